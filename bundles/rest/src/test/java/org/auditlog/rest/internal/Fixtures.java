package org.auditlog.rest.internal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.stream.Stream;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.Organization;
import org.auditlog.api.access.OrganizationSnapshot;
import org.auditlog.api.access.PlanState;
import org.auditlog.api.access.PrivilegeGrant;
import org.auditlog.api.access.Role;
import org.auditlog.api.store.TokenGrant;

/** The organization, members and tokens the REST tests share. */
final class Fixtures {
    /**
     * The API's routes, from every resource class the bundle has (its compiled classes, as the bundle's component
     * descriptions list them to {@link RestApplication}).
     */
    static final Routes ROUTES = Routes.of(resourceClasses());

    /** The classes of this package that are {@link ApiResource}s, found on disk rather than listed. */
    static List<Class<?>> resourceClasses() {
        try {
            Path dir = Path.of(ApiResource.class
                            .getProtectionDomain()
                            .getCodeSource()
                            .getLocation()
                            .toURI())
                    .resolve(ApiResource.class.getPackageName().replace('.', '/'));
            try (Stream<Path> files = Files.list(dir)) {
                return files.map(p -> p.getFileName().toString())
                        .filter(n -> n.endsWith(".class") && !n.contains("$"))
                        .map(n -> load(ApiResource.class.getPackageName() + "." + n.substring(0, n.length() - 6)))
                        .filter(c -> ApiResource.class.isAssignableFrom(c) && !c.isInterface())
                        .<Class<?>>map(c -> c)
                        .sorted(java.util.Comparator.comparing(Class::getName))
                        .toList();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        } catch (URISyntaxException e) {
            throw new IllegalStateException(e);
        }
    }

    private static Class<?> load(String name) {
        try {
            return Class.forName(name);
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException(e);
        }
    }

    static final Instant NOW = Instant.parse("2026-11-20T10:00:00Z");
    static final Clock CLOCK = Clock.fixed(NOW, ZoneOffset.UTC);
    static final Instant CREATED = Instant.parse("2026-10-01T08:00:00Z");

    static final Member ANN = new Member("u1", "Ann", "ann@acme.example", Role.ADMIN);
    static final Member BOB = new Member("u2", "Bob", "bob@acme.example", Role.MEMBER);

    static final Organization ACME =
            new Organization("ACME", "Acme", 10, PlanState.TRIAL, "u1", CREATED, null, null, CREATED, null, 3);

    /** Ann holds the privilege since the trial started; Bob does not. */
    static final PrivilegeGrant ANN_HOLDS = new PrivilegeGrant("u1", "System user", CREATED, null, null, "plan admin");

    static final TokenGrant ANN_TOKEN =
            new TokenGrant("t-ann", TokenGrant.MEMBER, null, "ACME", "u1", CREATED, NOW.plus(Duration.ofDays(20)));
    static final TokenGrant BOB_TOKEN =
            new TokenGrant("t-bob", TokenGrant.MEMBER, null, "ACME", "u2", CREATED, NOW.plus(Duration.ofDays(20)));
    static final TokenGrant OTHER_ORG_TOKEN =
            new TokenGrant("t-zed", TokenGrant.MEMBER, null, "OTHER", "z1", CREATED, NOW.plus(Duration.ofDays(20)));
    static final TokenGrant BACKLOG_INGEST = new TokenGrant("t-bl", TokenGrant.INGEST, "Backlog", null, null, CREATED);
    static final TokenGrant APPS_INGEST_ACME = new TokenGrant("t-ap", TokenGrant.INGEST, "Apps", "ACME", null, CREATED);

    static final String OPERATOR_SECRET = "alo_operator-secret-0123456789";

    private Fixtures() {}

    static OrganizationSnapshot acme() {
        return new OrganizationSnapshot(ACME, List.of(ANN, BOB), List.of(ANN_HOLDS));
    }

    static Caller operator() {
        return new Caller(true, null);
    }

    static Caller member(TokenGrant grant) {
        return new Caller(false, grant);
    }
}
