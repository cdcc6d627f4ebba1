package org.auditlog.storage.internal;

import java.time.Instant;
import org.apache.ibatis.annotations.Param;
import org.auditlog.api.store.LeaseStore.Lease;

/**
 * MyBatis mapper over {@code lease}, and the database's own time, which every lease and claim is measured by;
 * statements in {@code LeaseMapper.xml}.
 */
public interface LeaseMapper {

    /** The database's time (the start of the transaction on PostgreSQL). */
    Instant now();

    /** The lease, or null; with {@code forUpdate}, its row locked until the transaction ends. */
    Lease find(@Param("name") String name, @Param("forUpdate") boolean forUpdate);

    /**
     * Makes the lease's row at epoch 1; on PostgreSQL 0 when another server made it first, on HSQLDB a unique
     * violation.
     */
    int insert(@Param("name") String name, @Param("holder") String holder, @Param("expires") Instant expires);

    int take(
            @Param("name") String name,
            @Param("holder") String holder,
            @Param("epoch") long epoch,
            @Param("expires") Instant expires);

    /**
     * 1 when {@code holder} has the lease at {@code epoch} and it has not expired, the lease's row then locked until
     * the transaction ends; else 0.
     */
    int hold(@Param("name") String name, @Param("holder") String holder, @Param("epoch") long epoch);

    /** Ends the lease at {@code expires} if that holder still has it at that epoch. */
    int release(
            @Param("name") String name,
            @Param("holder") String holder,
            @Param("epoch") long epoch,
            @Param("expires") Instant expires);
}
