package org.auditlog.storage.internal;

import java.time.Clock;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.api.store.DownloadGrant;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.IssuedDownload;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link DownloadTokenStore} on MyBatis. A token reads {@code dl_<id>_<secret>}: 16 lowercase hex digits of
 * id (64 random bits, finds the row) and 43 characters of unpadded base64url secret (256 random bits), kept
 * only as its SHA-256 hash and compared in constant time. A presented value of any other shape is refused
 * before the database is asked.
 */
@Component(service = DownloadTokenStore.class, property = StorageDatabase.STORE)
public class MyBatisDownloadTokenStore implements DownloadTokenStore {
    static final String PREFIX = "dl_";
    private static final int ID_LENGTH = Secrets.ID_LENGTH;
    private static final int SECRET_LENGTH = Secrets.SECRET_LENGTH;
    private static final int TOKEN_LENGTH = PREFIX.length() + ID_LENGTH + 1 + SECRET_LENGTH;

    private final Database db;
    private final Supplier<Clock> clock;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisDownloadTokenStore(@Reference StorageDatabase database) {
        this.db = database.database();
        this.clock = database::clock;
    }

    @Override
    public IssuedDownload issue(DownloadGrant grant) {
        Secrets minted = Secrets.mint();
        String id = minted.id();
        // To the millisecond, as the column keeps it: the grant returned equals the one found later.
        Instant created = clock.get().instant().truncatedTo(ChronoUnit.MILLIS);
        DownloadGrant stored =
                new DownloadGrant(id, grant.spaceKey(), grant.jobId(), grant.userId(), grant.mailKey(), created);
        db.transactions()
                .update(
                        "could not store the download token: ",
                        session -> session.getMapper(DownloadTokenMapper.class)
                                .insert(new DownloadTokenRow(
                                        id,
                                        stored.spaceKey(),
                                        stored.jobId(),
                                        stored.userId(),
                                        stored.mailKey(),
                                        minted.hash(),
                                        created)));
        return new IssuedDownload(PREFIX + id + "_" + minted.secret(), stored);
    }

    @Override
    public Optional<DownloadGrant> find(String presented) {
        if (!wellFormed(presented)) {
            return Optional.empty();
        }
        String id = presented.substring(PREFIX.length(), PREFIX.length() + ID_LENGTH);
        String secret = presented.substring(PREFIX.length() + ID_LENGTH + 1);
        DownloadTokenRow row = db.transactions()
                .read(
                        "could not read download token " + id + ": ",
                        session -> session.getMapper(DownloadTokenMapper.class).find(id));
        if (row == null || !Secrets.matches(row.secretHash(), secret)) {
            return Optional.empty();
        }
        return Optional.of(
                new DownloadGrant(row.id(), row.spaceKey(), row.jobId(), row.userId(), row.mailKey(), row.created()));
    }

    @Override
    public int deleteIssuedBefore(Instant cutoff) {
        return db.transactions()
                .write(
                        "could not delete old download tokens: ",
                        session -> session.getMapper(DownloadTokenMapper.class).deleteIssuedBefore(cutoff));
    }

    @Override
    public int deleteTokensOf(String spaceKey) {
        return db.transactions()
                .write(
                        "could not delete the download tokens of " + spaceKey + ": ",
                        session -> session.getMapper(DownloadTokenMapper.class).deleteOrganization(spaceKey));
    }

    /** {@code dl_}, 16 lowercase hex digits, {@code _}, 43 base64url characters, nothing else. */
    static boolean wellFormed(String presented) {
        if (presented == null
                || presented.length() != TOKEN_LENGTH
                || !presented.startsWith(PREFIX)
                || presented.charAt(PREFIX.length() + ID_LENGTH) != '_') {
            return false;
        }
        for (int i = PREFIX.length(); i < PREFIX.length() + ID_LENGTH; i++) {
            char c = presented.charAt(i);
            if (!(c >= '0' && c <= '9' || c >= 'a' && c <= 'f')) {
                return false;
            }
        }
        for (int i = PREFIX.length() + ID_LENGTH + 1; i < TOKEN_LENGTH; i++) {
            char c = presented.charAt(i);
            if (!(c >= 'A' && c <= 'Z' || c >= 'a' && c <= 'z' || c >= '0' && c <= '9' || c == '-' || c == '_')) {
                return false;
            }
        }
        return true;
    }
}
