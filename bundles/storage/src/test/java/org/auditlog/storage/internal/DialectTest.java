package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The database a configured URL names, and what a URL of any other database is told. */
class DialectTest {
    @Test
    void theUrlNamesTheDatabase() {
        assertEquals(Dialect.POSTGRESQL, Dialect.of("jdbc:postgresql://db.example.internal:5432/auditlog?ssl=true"));
        assertEquals(Dialect.POSTGRESQL, Dialect.of("JDBC:PostgreSQL://db/auditlog"));
        assertEquals(Dialect.HSQLDB, Dialect.of("jdbc:hsqldb:hsql://db.example.internal/auditlog"));
        assertEquals("db/postgresql", Dialect.POSTGRESQL.scriptFolder());
        assertEquals(
                SchemaMigrator.versionOf(
                        Dialect.HSQLDB.scripts().get(Dialect.HSQLDB.scripts().size() - 1)),
                Dialect.HSQLDB.scripts().size(),
                "HSQLDB's scripts are V1 to Vn, none missing");
    }

    @Test
    void anotherDatabaseIsRefusedWithoutQuotingWhatMayBeAPassword() {
        IllegalArgumentException e = assertThrows(
                IllegalArgumentException.class, () -> Dialect.of("jdbc:mysql://auditlog:s3cret@db/auditlog"));
        assertTrue(
                e.getMessage()
                        .contains("url must start with jdbc:postgresql: or jdbc:hsqldb: (it starts with "
                                + "jdbc:mysql:)"),
                e.getMessage());
        assertFalse(e.getMessage().contains("s3cret"), e.getMessage());
        assertFalse(assertThrows(IllegalArgumentException.class, () -> Dialect.of("postgres://u:s3cret@db/x"))
                .getMessage()
                .contains("s3cret"));
    }

    @Test
    void theLogShowsAUrlWithoutItsQueryString() {
        assertEquals(
                "jdbc:postgresql://db/auditlog?...",
                PostgresServer.withoutSecrets("jdbc:postgresql://db/auditlog?user=a&password=s3cret"));
        assertEquals("jdbc:postgresql://db/auditlog", PostgresServer.withoutSecrets("jdbc:postgresql://db/auditlog"));
    }
}
