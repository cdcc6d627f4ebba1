package org.auditlog.storage.internal;

import java.util.List;

/**
 * The databases the stores run on, told apart by the JDBC URL. Each has its own versioned schema scripts
 * ({@code db/<id>/V<n>__<what>.sql}) and MyBatis statements marked {@code databaseId="<id>"} where its SQL must
 * differ; a statement without a database id serves both.
 */
enum Dialect {
    /** Embedded (file) or server HSQLDB: the default. */
    HSQLDB(
            "hsqldb",
            "jdbc:hsqldb:",
            List.of(
                    "V1__events_and_tokens.sql",
                    "V2__inbox_and_products.sql",
                    "V3__organizations.sql",
                    "V4__exports_and_mail.sql",
                    "V5__mail_failed.sql",
                    "V6__event_search_indexes.sql",
                    "V7__late_records.sql",
                    "V8__leases_and_claims.sql",
                    "V9__evidence.sql",
                    "V10__streams.sql",
                    "V11__search.sql")),
    /** PostgreSQL 14 or later: events in monthly partitions ({@link Partitions}). */
    POSTGRESQL(
            "postgresql",
            "jdbc:postgresql:",
            List.of(
                    "V1__schema.sql",
                    "V2__leases_and_claims.sql",
                    "V3__evidence.sql",
                    "V4__streams.sql",
                    "V5__search.sql"));

    /** The oldest PostgreSQL served: {@code DETACH PARTITION ... CONCURRENTLY} came with 14. */
    static final int MIN_POSTGRESQL_VERSION_NUM = 140000;

    private final String id;
    private final String urlPrefix;
    private final List<String> scripts;

    Dialect(String id, String urlPrefix, List<String> scripts) {
        this.id = id;
        this.urlPrefix = urlPrefix;
        this.scripts = scripts;
    }

    /** The dialect of a JDBC URL; {@link IllegalArgumentException} naming the accepted ones for any other. */
    static Dialect of(String url) {
        for (Dialect d : values()) {
            if (url.regionMatches(true, 0, d.urlPrefix, 0, d.urlPrefix.length())) {
                return d;
            }
        }
        // only the scheme is quoted: the rest of a URL may carry a password
        int colon = url.indexOf(':', url.indexOf(':') + 1);
        throw new IllegalArgumentException("url must start with jdbc:postgresql: or jdbc:hsqldb: (it starts with "
                + (colon > 0 && colon < 40 ? url.substring(0, colon + 1) : "something else") + ")");
    }

    /** MyBatis' database id and the folder of the scripts under {@code db/}. */
    String id() {
        return id;
    }

    String scriptFolder() {
        return "db/" + id;
    }

    List<String> scripts() {
        return scripts;
    }
}
