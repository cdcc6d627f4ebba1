package org.auditlog.itests;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/** The distribution started as an operator starts it: {@code bin/auditlog}, in its own process. */
final class ServerProcess implements AutoCloseable {
    private final Process process;
    final int port;
    final Api api;

    private ServerProcess(Process process, int port) {
        this.process = process;
        this.port = port;
        this.api = new Api(port);
    }

    static ServerProcess start(Path data, int port, String operatorToken, Path log, String... extra)
            throws IOException {
        return start(data, port, operatorToken, log, java.util.Map.of(), extra);
    }

    /** Starts the server with more environment variables (the mail settings, say). */
    static ServerProcess start(
            Path data, int port, String operatorToken, Path log, java.util.Map<String, String> env, String... extra)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(ServerOptions.distribution().resolve("bin/auditlog").toString());
        command.addAll(List.of(
                "--port",
                Integer.toString(port),
                "--data",
                data.toString(),
                "--deploy",
                data.resolve("deploy").toString()));
        command.addAll(List.of(extra));
        ProcessBuilder pb = new ProcessBuilder(command);
        pb.environment().put("AUDITLOG_ADMIN_TOKEN", operatorToken);
        // C1 only: a test's server lives seconds to a minute, and C2 compiling in the background took half the CPU
        // of a start (about 7 s of CPU to /health 200, 3.5 s without it); the suite is bound by the 2 cores
        pb.environment().put("JAVA_OPTS", "-Xmx512m -XX:TieredStopAtLevel=1");
        pb.environment().putAll(Postgres.env(data)); // the suite's PostgreSQL run; nothing on HSQLDB
        pb.environment().putAll(env);
        pb.redirectErrorStream(true);
        pb.redirectOutput(ProcessBuilder.Redirect.appendTo(log.toFile()));
        return new ServerProcess(pb.start(), port);
    }

    ServerProcess awaitHealthy() throws InterruptedException {
        api.awaitHealthy(Duration.ofSeconds(120));
        return this;
    }

    /** SIGKILL: no shutdown hook, no flush, no goodbye. */
    void kill() throws InterruptedException {
        process.destroyForcibly();
        process.waitFor();
    }

    /** SIGTERM, as Ctrl-C or a service manager sends it; returns the exit code. */
    int terminate() throws InterruptedException {
        process.destroy();
        return process.waitFor();
    }

    /** Waits (bounded) for the process to end by itself; returns its exit code. */
    int waitFor() throws InterruptedException {
        if (!process.waitFor(60, java.util.concurrent.TimeUnit.SECONDS)) {
            throw new AssertionError("the server did not exit within 60 s");
        }
        return process.exitValue();
    }

    boolean isAlive() {
        return process.isAlive();
    }

    @Override
    public void close() throws InterruptedException {
        if (process.isAlive()) {
            kill();
        }
    }
}
