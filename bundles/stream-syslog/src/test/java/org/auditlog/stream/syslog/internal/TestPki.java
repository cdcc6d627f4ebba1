package org.auditlog.stream.syslog.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.security.cert.Certificate;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.KeyManagerFactory;
import javax.net.ssl.SSLContext;

/**
 * A test certificate authority and the certificates it issues, made with the JDK's keytool (RSA keys: GnuTLS does
 * not read the EC keys the JDK writes): the CA ({@code ca.pem}); the receiver's key ({@code server.key}, PKCS#8 PEM
 * as GnuTLS reads it) and certificate ({@code server.pem}) for the DNS name {@link #HOST} only; the client
 * certificate of the destination ({@code client.pem}, {@code client.key}) for {@link #CLIENT}; and a second CA that
 * issued nothing the receiver has ({@code other-ca.pem}).
 */
final class TestPki {
    /** The name the receiver's certificate is for; the tests' guard resolves it to 127.0.0.1. */
    static final String HOST = "syslog.test";
    /** The name of the destination's client certificate. */
    static final String CLIENT = "auditlog-client.test";

    private static final String PASSWORD = "test-password";

    final Path folder;
    final Path caPem;
    final Path serverPem;
    final Path serverKey;
    final Path clientPem;
    final Path clientKey;
    final Path otherCaPem;

    private TestPki(Path folder) {
        this.folder = folder;
        this.caPem = folder.resolve("ca.pem");
        this.serverPem = folder.resolve("server.pem");
        this.serverKey = folder.resolve("server.key");
        this.clientPem = folder.resolve("client.pem");
        this.clientKey = folder.resolve("client.key");
        this.otherCaPem = folder.resolve("other-ca.pem");
    }

    static TestPki create(Path folder) throws IOException, InterruptedException {
        TestPki pki = new TestPki(folder);
        pki.make();
        return pki;
    }

    String ca() throws IOException {
        return Files.readString(caPem);
    }

    String otherCa() throws IOException {
        return Files.readString(otherCaPem);
    }

    String clientCertificate() throws IOException {
        return Files.readString(clientPem);
    }

    String clientKey() throws IOException {
        return Files.readString(clientKey);
    }

    String serverKey() throws IOException {
        return Files.readString(serverKey);
    }

    /** A TLS context serving the receiver's key and certificate (for the tests' own TLS servers). */
    SSLContext serverContext() throws Exception {
        KeyStore store = KeyStore.getInstance("PKCS12");
        try (InputStream in = Files.newInputStream(folder.resolve("server.p12"))) {
            store.load(in, PASSWORD.toCharArray());
        }
        PrivateKey key = (PrivateKey) store.getKey("key", PASSWORD.toCharArray());
        List<Certificate> chain = new ArrayList<>(Tls.certificates(Files.readString(serverPem)));
        chain.addAll(Tls.certificates(ca()));
        KeyStore served = KeyStore.getInstance("PKCS12");
        served.load(null, null);
        served.setKeyEntry("server", key, PASSWORD.toCharArray(), chain.toArray(new Certificate[0]));
        KeyManagerFactory keys = KeyManagerFactory.getInstance(KeyManagerFactory.getDefaultAlgorithm());
        keys.init(served, PASSWORD.toCharArray());
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(keys.getKeyManagers(), null, null);
        return context;
    }

    private void make() throws IOException, InterruptedException {
        Path ca = folder.resolve("ca.p12");
        keypair(ca, "CN=Auditlog test CA", "-ext", "bc:c");
        keytool("-exportcert", "-rfc", "-alias", "key", "-keystore", ca.toString(), "-file", caPem.toString());
        Path other = folder.resolve("other-ca.p12");
        keypair(other, "CN=Another test CA", "-ext", "bc:c");
        keytool("-exportcert", "-rfc", "-alias", "key", "-keystore", other.toString(), "-file", otherCaPem.toString());
        issue(ca, folder.resolve("server.p12"), HOST, "serverAuth", serverPem, serverKey);
        issue(ca, folder.resolve("client.p12"), CLIENT, "clientAuth", clientPem, clientKey);
    }

    /** A key pair in {@code store} and its certificate for {@code name} issued by {@code ca}, both written PEM. */
    private void issue(Path ca, Path store, String name, String usage, Path pem, Path key)
            throws IOException, InterruptedException {
        Path csr = folder.resolve(name + ".csr");
        keypair(store, "CN=" + name);
        keytool("-certreq", "-alias", "key", "-keystore", store.toString(), "-file", csr.toString());
        keytool(
                "-gencert",
                "-rfc",
                "-alias",
                "key",
                "-keystore",
                ca.toString(),
                "-infile",
                csr.toString(),
                "-outfile",
                pem.toString(),
                "-validity",
                "2",
                "-ext",
                "san=dns:" + name,
                "-ext",
                "ku:c=digitalSignature,keyEncipherment",
                "-ext",
                "eku=" + usage);
        try (InputStream in = Files.newInputStream(store)) {
            KeyStore keys = KeyStore.getInstance("PKCS12");
            keys.load(in, PASSWORD.toCharArray());
            byte[] pkcs8 = keys.getKey("key", PASSWORD.toCharArray()).getEncoded();
            Files.writeString(
                    key,
                    "-----BEGIN PRIVATE KEY-----\n"
                            + Base64.getMimeEncoder(64, new byte[] {'\n'}).encodeToString(pkcs8)
                            + "\n-----END PRIVATE KEY-----\n",
                    StandardCharsets.US_ASCII);
        } catch (GeneralSecurityException e) {
            throw new IOException(e);
        }
    }

    private void keypair(Path store, String name, String... extensions) throws IOException, InterruptedException {
        List<String> arguments = new ArrayList<>(List.of(
                "-genkeypair",
                "-alias",
                "key",
                "-keyalg",
                "RSA",
                "-keysize",
                "2048",
                "-dname",
                name,
                "-validity",
                "2",
                "-keystore",
                store.toString()));
        arguments.addAll(List.of(extensions));
        keytool(arguments.toArray(new String[0]));
    }

    private void keytool(String... arguments) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "keytool").toString());
        command.addAll(List.of(arguments));
        command.addAll(List.of("-storetype", "PKCS12", "-storepass", PASSWORD, "-keypass", PASSWORD, "-noprompt"));
        Process p = new ProcessBuilder(command)
                .directory(folder.toFile())
                .redirectErrorStream(true)
                .start();
        String output = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
            throw new IOException("keytool " + String.join(" ", arguments) + " failed: " + output);
        }
    }
}
