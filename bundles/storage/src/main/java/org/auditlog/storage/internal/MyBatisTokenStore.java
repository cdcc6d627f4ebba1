package org.auditlog.storage.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.auditlog.api.store.IssuedToken;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.api.store.TokenStore;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@link TokenStore} on MyBatis. A token reads {@code alt_<id>_<secret>}: the id finds the row, the
 * secret (256 random bits) is kept only as its SHA-256 hash and compared in constant time.
 */
@Component(service = TokenStore.class, property = StorageDatabase.STORE)
public class MyBatisTokenStore implements TokenStore {
    static final String PREFIX = "alt_";

    private final Transactions tx;
    private final Supplier<Clock> clock;

    /** The component: the store on the bundle's database. */
    @Activate
    public MyBatisTokenStore(@Reference StorageDatabase database) {
        this.tx = database.database().transactions();
        this.clock = database::clock;
    }

    @Override
    public IssuedToken issue(TokenGrant grant) {
        Secrets minted = Secrets.mint();
        String id = minted.id();
        TokenGrant stored = new TokenGrant(
                id,
                grant.kind(),
                grant.product(),
                grant.spaceKey(),
                grant.userId(),
                clock.get().instant(),
                grant.expires());
        tx.update(
                "could not store the token: ",
                session -> session.getMapper(TokenMapper.class)
                        .insert(new TokenRow(
                                id,
                                stored.kind(),
                                stored.product(),
                                stored.spaceKey(),
                                stored.userId(),
                                minted.hash(),
                                stored.created(),
                                null,
                                stored.expires())));
        return new IssuedToken(PREFIX + id + "_" + minted.secret(), stored);
    }

    @Override
    public Optional<TokenGrant> verify(String presented) {
        if (presented == null || !presented.startsWith(PREFIX)) {
            return Optional.empty();
        }
        int split = presented.indexOf('_', PREFIX.length());
        if (split < 0) {
            return Optional.empty();
        }
        String id = presented.substring(PREFIX.length(), split);
        String secret = presented.substring(split + 1);
        if (id.length() != Secrets.ID_LENGTH || secret.isEmpty()) {
            return Optional.empty();
        }
        TokenRow row = tx.read(
                "could not read token " + id + ": ",
                session -> session.getMapper(TokenMapper.class).find(id));
        if (row == null || row.revoked() != null || !Secrets.matches(row.secretHash(), secret)) {
            return Optional.empty();
        }
        if (row.expires() != null && !clock.get().instant().isBefore(row.expires())) {
            return Optional.empty();
        }
        return Optional.of(grantOf(row));
    }

    @Override
    public List<TokenGrant> list() {
        return tx
                .read(
                        "could not list the tokens: ",
                        session -> session.getMapper(TokenMapper.class).listActive())
                .stream()
                .map(MyBatisTokenStore::grantOf)
                .toList();
    }

    @Override
    public boolean revoke(String tokenId) {
        return tx.write(
                        "could not revoke token " + tokenId + ": ",
                        session -> session.getMapper(TokenMapper.class)
                                .revoke(tokenId, clock.get().instant()))
                > 0;
    }

    @Override
    public int revokeAll(String spaceKey, String userId) {
        return tx.write(
                "could not revoke the tokens of " + spaceKey + ": ",
                session -> session.getMapper(TokenMapper.class)
                        .revokeAll(spaceKey, userId, clock.get().instant()));
    }

    private static TokenGrant grantOf(TokenRow row) {
        return new TokenGrant(
                row.id(), row.kind(), row.product(), row.spaceKey(), row.userId(), row.created(), row.expires());
    }
}
