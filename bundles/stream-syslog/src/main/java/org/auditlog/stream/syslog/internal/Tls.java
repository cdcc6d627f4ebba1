package org.auditlog.stream.syslog.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.KeyStore;
import java.security.Principal;
import java.security.PrivateKey;
import java.security.SecureRandom;
import java.security.Signature;
import java.security.cert.Certificate;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import javax.net.ssl.KeyManager;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLEngine;
import javax.net.ssl.TrustManagerFactory;
import javax.net.ssl.X509ExtendedKeyManager;

/**
 * The TLS side of a destination: the certificates it trusts (the {@code ca} setting, else the JVM's trust store)
 * and the certificate it presents when the receiver asks for one (the {@code clientCertificate} setting and the
 * {@code clientKey} secret: RFC 5425's certificate-based authentication of the transport sender, which librelp's
 * TLS requires).
 */
final class Tls {
    private static final String BEGIN_KEY = "-----BEGIN PRIVATE KEY-----";
    private static final String END_KEY = "-----END PRIVATE KEY-----";

    private Tls() {}

    /** The certificates of PEM text, in their order. */
    static List<X509Certificate> certificates(String pem) throws CertificateException {
        List<X509Certificate> certificates = new ArrayList<>();
        for (Certificate c : CertificateFactory.getInstance("X.509")
                .generateCertificates(new ByteArrayInputStream(pem.getBytes(StandardCharsets.US_ASCII)))) {
            if (!(c instanceof X509Certificate x)) {
                throw new CertificateException("not an X.509 certificate");
            }
            certificates.add(x);
        }
        return certificates;
    }

    /** The private key of PKCS#8 PEM text ({@code -----BEGIN PRIVATE KEY-----}, unencrypted): RSA, EC or EdDSA. */
    static PrivateKey privateKey(String pem) throws GeneralSecurityException {
        String text = pem.strip();
        if (!text.startsWith(BEGIN_KEY) || !text.endsWith(END_KEY)) {
            throw new GeneralSecurityException("not an unencrypted PKCS#8 PEM key");
        }
        byte[] der;
        try {
            der = Base64.getMimeDecoder().decode(text.substring(BEGIN_KEY.length(), text.length() - END_KEY.length()));
        } catch (IllegalArgumentException e) {
            throw new GeneralSecurityException("not base64");
        }
        for (String algorithm : List.of("RSA", "EC", "Ed25519", "Ed448", "RSASSA-PSS")) {
            try {
                return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
            } catch (GeneralSecurityException e) {
                // another algorithm
            }
        }
        throw new GeneralSecurityException("not an RSA, EC or EdDSA key");
    }

    /** Fails unless {@code key} is the private key of {@code certificate}: a signature of one checked by the other. */
    static void checkPair(PrivateKey key, X509Certificate certificate) throws GeneralSecurityException {
        String algorithm = switch (key.getAlgorithm()) {
            case "RSA" -> "SHA256withRSA";
            case "EC" -> "SHA256withECDSA";
            case "Ed25519", "Ed448", "EdDSA" -> key.getAlgorithm();
            default -> throw new GeneralSecurityException("a key of type " + key.getAlgorithm());
        };
        byte[] challenge = new byte[32];
        new SecureRandom().nextBytes(challenge);
        Signature signer = Signature.getInstance(algorithm);
        signer.initSign(key);
        signer.update(challenge);
        byte[] signature = signer.sign();
        Signature verifier = Signature.getInstance(algorithm);
        verifier.initVerify(certificate.getPublicKey());
        verifier.update(challenge);
        if (!verifier.verify(signature)) {
            throw new GeneralSecurityException("the key is not the certificate's");
        }
    }

    /**
     * A TLS context trusting {@code ca} (or the JVM's trust store when {@code null}) and, when
     * {@code clientCertificate} is given, presenting it with {@code clientKey} to a receiver that asks for a
     * certificate, whatever authorities the receiver names (a receiver that names none is common).
     */
    static SSLContext context(String ca, String clientCertificate, String clientKey)
            throws GeneralSecurityException, IOException {
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        if (ca == null) {
            trust.init((KeyStore) null);
        } else {
            KeyStore anchors = KeyStore.getInstance(KeyStore.getDefaultType());
            anchors.load(null, null);
            int i = 0;
            for (X509Certificate certificate : certificates(ca)) {
                anchors.setCertificateEntry("ca-" + i++, certificate);
            }
            trust.init(anchors);
        }
        KeyManager[] keys = null;
        if (clientCertificate != null && clientKey != null) {
            keys = new KeyManager[] {
                new ClientKey(
                        privateKey(clientKey), certificates(clientCertificate).toArray(new X509Certificate[0]))
            };
        }
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys, trust.getTrustManagers(), null);
        return context;
    }

    /** The one certificate a destination presents, for any key type and authorities the receiver asks. */
    private static final class ClientKey extends X509ExtendedKeyManager {
        private static final String ALIAS = "client";
        private final PrivateKey key;
        private final X509Certificate[] chain;

        ClientKey(PrivateKey key, X509Certificate[] chain) {
            this.key = key;
            this.chain = chain;
        }

        @Override
        public String chooseClientAlias(String[] keyTypes, Principal[] issuers, Socket socket) {
            for (String keyType : keyTypes) {
                if (keyType.equals(key.getAlgorithm())) {
                    return ALIAS;
                }
            }
            return null;
        }

        @Override
        public String chooseEngineClientAlias(String[] keyTypes, Principal[] issuers, SSLEngine engine) {
            return chooseClientAlias(keyTypes, issuers, null);
        }

        @Override
        public String[] getClientAliases(String keyType, Principal[] issuers) {
            return keyType.equals(key.getAlgorithm()) ? new String[] {ALIAS} : null;
        }

        @Override
        public X509Certificate[] getCertificateChain(String alias) {
            return ALIAS.equals(alias) ? chain.clone() : null;
        }

        @Override
        public PrivateKey getPrivateKey(String alias) {
            return ALIAS.equals(alias) ? key : null;
        }

        @Override
        public String[] getServerAliases(String keyType, Principal[] issuers) {
            return null;
        }

        @Override
        public String chooseServerAlias(String keyType, Principal[] issuers, Socket socket) {
            return null;
        }
    }
}
