package org.auditlog.rest.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operator's bearer token, which authorises {@code /api/v1/admin/**}.
 *
 * <p>Taken from the environment variable {@value #ENV} when it is set; otherwise read from
 * {@code <data>/admin-token}, and generated into that file (owner-only permissions) on the first start,
 * when where it is (never the value) is printed once. Only its hash is kept in memory; presented tokens are compared in constant time.
 */
@Component(service = OperatorToken.class, immediate = true)
public final class OperatorToken {
    static final String ENV = "AUDITLOG_ADMIN_TOKEN";
    static final String FILE = "admin-token";
    private static final Logger LOG = LoggerFactory.getLogger(OperatorToken.class);

    private final byte[] hash;

    /** The server's operator token: from the environment, else from the data folder ({@code auditlog.data}). */
    @Activate
    public OperatorToken(BundleContext context) throws IOException {
        this(load(
                        System.getenv(ENV),
                        Path.of(Optional.ofNullable(context.getProperty("auditlog.data"))
                                .orElse("data")))
                .hash);
    }

    private OperatorToken(String token) {
        this(sha256(token));
    }

    private OperatorToken(byte[] hash) {
        this.hash = hash;
    }

    static OperatorToken load(String fromEnvironment, Path dataDir) throws IOException {
        if (fromEnvironment != null && !fromEnvironment.isBlank()) {
            if (fromEnvironment.strip().length() < 16) {
                throw new IllegalArgumentException(ENV + " must be at least 16 characters long");
            }
            LOG.info("Operator token taken from {}", ENV);
            return new OperatorToken(fromEnvironment.strip());
        }
        Path file = dataDir.resolve(FILE);
        if (Files.exists(file)) {
            String token = Files.readString(file, StandardCharsets.UTF_8).strip();
            if (token.isEmpty()) {
                throw new IOException(file + " is empty; delete it to generate a new operator token");
            }
            return new OperatorToken(token);
        }
        byte[] random = new byte[32];
        new SecureRandom().nextBytes(random);
        String token = "alo_" + Base64.getUrlEncoder().withoutPadding().encodeToString(random);
        Files.createDirectories(dataDir);
        try {
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        } catch (UnsupportedOperationException e) {
            Files.createFile(file);
        } catch (FileAlreadyExistsException e) {
            return load(null, dataDir); // another start won the race
        }
        Files.writeString(file, token + "\n", StandardCharsets.UTF_8);
        // Where it is, never the value: the log usually goes to a file others may read.
        LOG.info("Auditlog operator token generated: it is in {} (readable by its owner only)", file.toAbsolutePath());
        return new OperatorToken(token);
    }

    boolean matches(String presented) {
        return presented != null && MessageDigest.isEqual(hash, sha256(presented));
    }

    private static byte[] sha256(String s) {
        try {
            return MessageDigest.getInstance("SHA-256").digest(s.getBytes(StandardCharsets.UTF_8));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }
}
