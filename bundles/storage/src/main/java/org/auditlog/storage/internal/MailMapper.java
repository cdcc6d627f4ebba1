package org.auditlog.storage.internal;

import java.time.Instant;
import java.util.List;
import org.apache.ibatis.annotations.Param;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;

/** MyBatis mapper over {@code mail_outbox}; statements in {@code MailMapper.xml}. */
public interface MailMapper {

    /** Inserts a pending mail, due at once; fails on the unique key when its key is stored already. */
    void insert(@Param("m") MailMessage message, @Param("queued") Instant queued);

    List<MailRow> due(@Param("now") Instant now, @Param("max") int max);

    /** Moves a pending mail's next attempt to {@code until}: claimed by the server that read it. */
    int claim(@Param("id") long id, @Param("until") Instant until);

    int markSent(@Param("id") long id, @Param("sent") Instant sent);

    int retryLater(
            @Param("id") long id,
            @Param("attempts") int attempts,
            @Param("next") Instant nextAttempt,
            @Param("error") String error);

    int markFailed(
            @Param("id") long id,
            @Param("attempts") int attempts,
            @Param("failed") Instant failed,
            @Param("error") String error);

    List<MailStatus> failed(@Param("max") int max);

    long failedCount();

    MailStatus status(@Param("key") String key);

    List<MailStatus> pending(@Param("max") int max);

    long pendingCount();

    Instant nextDue();

    int deleteSentBefore(@Param("cutoff") Instant cutoff);
}
