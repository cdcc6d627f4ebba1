package org.auditlog.rest.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.auditlog.api.store.IssuedToken;
import org.auditlog.api.store.TokenGrant;
import org.auditlog.api.store.TokenStore;

/** Tokens by their secret; issuing one gives it an id and the fixed creation time. */
final class FakeTokens implements TokenStore {
    final Map<String, TokenGrant> bySecret = new LinkedHashMap<>();
    final List<TokenGrant> issued = new ArrayList<>();
    final List<String> verified = new ArrayList<>();
    final List<String> revokedAll = new ArrayList<>();

    FakeTokens() {
        bySecret.put("alt_t-ann_secret", Fixtures.ANN_TOKEN);
        bySecret.put("alt_t-bob_secret", Fixtures.BOB_TOKEN);
        bySecret.put("alt_t-zed_secret", Fixtures.OTHER_ORG_TOKEN);
        bySecret.put("alt_t-bl_secret", Fixtures.BACKLOG_INGEST);
        bySecret.put("alt_t-ap_secret", Fixtures.APPS_INGEST_ACME);
    }

    @Override
    public IssuedToken issue(TokenGrant grant) {
        String id = "t-new" + issued.size();
        TokenGrant g = new TokenGrant(
                id, grant.kind(), grant.product(), grant.spaceKey(), grant.userId(), Fixtures.NOW, grant.expires());
        issued.add(g);
        String secret = "alt_" + id + "_secret";
        bySecret.put(secret, g);
        return new IssuedToken(secret, g);
    }

    @Override
    public Optional<TokenGrant> verify(String presented) {
        verified.add(presented);
        return Optional.ofNullable(bySecret.get(presented));
    }

    @Override
    public List<TokenGrant> list() {
        return List.copyOf(bySecret.values());
    }

    @Override
    public boolean revoke(String tokenId) {
        return bySecret.values().removeIf(g -> g.id().equals(tokenId));
    }

    @Override
    public int revokeAll(String spaceKey, String userId) {
        revokedAll.add(spaceKey + " " + userId);
        return TokenStore.super.revokeAll(spaceKey, userId);
    }
}
