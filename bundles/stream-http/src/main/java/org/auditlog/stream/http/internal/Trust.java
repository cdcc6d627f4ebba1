package org.auditlog.stream.http.internal;

import java.io.ByteArrayInputStream;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.MessageDigest;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.apache.hc.client5.http.ssl.DefaultClientTlsStrategy;
import org.apache.hc.client5.http.ssl.HostnameVerificationPolicy;
import org.apache.hc.client5.http.ssl.HttpsSupport;
import org.apache.hc.client5.http.ssl.TlsSocketStrategy;

/**
 * What a connection trusts: the JVM's trust store, or the certificates of a destination's {@code ca} setting
 * instead. Either way the server's certificate must name the URL's host (the JDK's HTTPS endpoint identification
 * and HttpClient's host name verifier both check it) and the host name goes out as SNI.
 *
 * @param key names the trust material: connections of the pool are reused only for requests with the same key
 * @param tls the TLS strategy of the connections made with it
 */
public record Trust(String key, TlsSocketStrategy tls) {
    static final int MAX_PEM_LENGTH = 64 * 1024;
    private static final int CACHED = 16;

    /** The trust material of the JVM (its default trust store). */
    static Trust jvm() {
        try {
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init((KeyStore) null);
            return new Trust("jvm", strategy(f));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("the JVM's trust store cannot be read", e);
        }
    }

    /** Trust in the certificates of a PEM text alone. */
    static Trust of(String pem) {
        try {
            KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
            store.load(null, null);
            int i = 0;
            for (X509Certificate c : certificates(pem)) {
                store.setCertificateEntry("ca" + i++, c);
            }
            TrustManagerFactory f = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
            f.init(store);
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(pem.getBytes(StandardCharsets.UTF_8));
            return new Trust("ca:" + HexFormat.of().formatHex(digest), strategy(f));
        } catch (GeneralSecurityException | java.io.IOException e) {
            throw new IllegalArgumentException("the ca certificates cannot be used: " + e.getMessage(), e);
        }
    }

    private static TlsSocketStrategy strategy(TrustManagerFactory trust) throws GeneralSecurityException {
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return new DefaultClientTlsStrategy(
                context, HostnameVerificationPolicy.BOTH, HttpsSupport.getDefaultHostnameVerifier());
    }

    /**
     * The certificates of a PEM text.
     *
     * @throws IllegalArgumentException saying what is wrong, in words for the client
     */
    public static List<X509Certificate> certificates(String pem) {
        if (pem.length() > MAX_PEM_LENGTH) {
            throw new IllegalArgumentException("must be at most " + MAX_PEM_LENGTH + " characters");
        }
        if (pem.contains("PRIVATE KEY")) {
            // settings are shown by the API: a key pasted with its certificate would be
            throw new IllegalArgumentException("must hold certificates only, not a private key");
        }
        if (!pem.contains("-----BEGIN CERTIFICATE-----")) {
            throw new IllegalArgumentException(
                    "must be the PEM text of a CA certificate (-----BEGIN CERTIFICATE-----)");
        }
        Collection<? extends Certificate> read;
        try {
            read = CertificateFactory.getInstance("X.509")
                    .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)));
        } catch (CertificateException e) {
            throw new IllegalArgumentException("must be the PEM text of a CA certificate: it cannot be read");
        }
        List<X509Certificate> out = new ArrayList<>();
        for (Certificate c : read) {
            out.add((X509Certificate) c);
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("must be the PEM text of a CA certificate: it holds none");
        }
        return out;
    }

    /** The trust of each {@code ca} setting in use, the most recently used kept. */
    public static final class Cache {
        private final Trust jvm = jvm();
        private final Map<String, Trust> byPem = new LinkedHashMap<>(CACHED, 0.75f, true) {
            @Override
            protected boolean removeEldestEntry(Map.Entry<String, Trust> eldest) {
                return size() > CACHED;
            }
        };

        /** The trust of a {@code ca} setting, or the JVM's for {@code null}. */
        public Trust get(String pem) {
            if (pem == null) {
                return jvm;
            }
            synchronized (byPem) {
                Trust t = byPem.get(pem);
                if (t == null) {
                    t = of(pem);
                    byPem.put(pem, t);
                }
                return t;
            }
        }
    }
}
