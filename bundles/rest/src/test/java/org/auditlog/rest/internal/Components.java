package org.auditlog.rest.internal;

import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.store.TokenStore;
import org.osgi.framework.BundleContext;

/**
 * The REST bundle's components as Declarative Services makes them: from the descriptors bnd generates, with
 * their references found among the services given, and the REST configuration ({@link RestConfig}) of the
 * properties named, the metatype defaults for the others. The tests build them here rather than through
 * constructors of their own.
 */
final class Components {
    private Components() {}

    /** The limits of the REST configuration of {@code properties} (name, value, ...). */
    static RestLimits limits(Object... properties) {
        return MockOsgi.registerInjectActivateService(RestLimits.class, MockOsgi.newBundleContext(), properties);
    }

    /** The sessions of a server whose clock is {@code clock}, configured with {@code properties}. */
    static Sessions sessions(Clock clock, Object... properties) {
        BundleContext context = MockOsgi.newBundleContext();
        context.registerService(ServerClock.class, () -> clock, null);
        return MockOsgi.registerInjectActivateService(Sessions.class, context, properties);
    }

    /** The cursors of a server whose signing key is named {@code signingKey}. */
    static Cursors cursors(String signingKey) {
        BundleContext context = MockOsgi.newBundleContext();
        context.registerService(CheckpointService.class, new Signer(signingKey), null);
        return MockOsgi.registerInjectActivateService(Cursors.class, context);
    }

    /** The authenticator of the services given. */
    static Authenticator authenticator(
            OperatorToken operatorToken, TokenStore tokens, AccessPolicy policy, Sessions sessions) {
        BundleContext context = MockOsgi.newBundleContext();
        context.registerService(OperatorToken.class, operatorToken, null);
        context.registerService(TokenStore.class, tokens, null);
        context.registerService(AccessPolicy.class, policy, null);
        context.registerService(Sessions.class, sessions, null);
        return MockOsgi.registerInjectActivateService(Authenticator.class, context);
    }

    /** A checkpoint service whose signature of a text is the text under the key's name: deterministic, as Ed25519. */
    record Signer(String key) implements CheckpointService {
        @Override
        public String sign(String text) {
            return text + "\n— " + key + "\n";
        }

        @Override
        public Optional<SignedCheckpoint> latest(String spaceKey, String product) {
            throw new UnsupportedOperationException();
        }

        @Override
        public String key() {
            return key;
        }

        @Override
        public List<String> keys() {
            return List.of(key);
        }

        @Override
        public String origin(String spaceKey, String product) {
            return key + "/" + spaceKey + "/" + product;
        }
    }
}
