package org.auditlog.launcher;

import java.nio.file.Path;

/** Command-line options of {@code bin/auditlog}. */
record Options(Path home, int port, Path data, Path config, Path deploy, boolean help) {

    static final String USAGE = """
            usage: bin/auditlog [--port N] [--data DIR] [--config DIR] [--deploy DIR]
              --port N      HTTP port (default 8080)
              --data DIR    database, operator token, caches (default <home>/data)
              --config DIR  .cfg/.config files, watched for changes (default <home>/config)
              --deploy DIR  bundles to install, watched for changes (default <home>/deploy)
            Environment: AUDITLOG_ADMIN_TOKEN sets the operator token; JAVA_OPTS adds JVM options.""";

    static Options parse(String[] args) {
        Path home = Path.of(".");
        Integer port = null;
        Path data = null;
        Path config = null;
        Path deploy = null;
        boolean help = false;
        for (int i = 0; i < args.length; i++) {
            String a = args[i];
            switch (a) {
                case "--help", "-h" -> help = true;
                case "--home" -> home = Path.of(value(args, ++i, a));
                case "--port" -> port = port(value(args, ++i, a));
                case "--data" -> data = Path.of(value(args, ++i, a));
                case "--config" -> config = Path.of(value(args, ++i, a));
                case "--deploy" -> deploy = Path.of(value(args, ++i, a));
                default -> throw new IllegalArgumentException("unknown option " + a);
            }
        }
        home = home.toAbsolutePath().normalize();
        return new Options(
                home,
                port == null ? 8080 : port,
                (data == null ? home.resolve("data") : data).toAbsolutePath().normalize(),
                (config == null ? home.resolve("config") : config)
                        .toAbsolutePath()
                        .normalize(),
                (deploy == null ? home.resolve("deploy") : deploy)
                        .toAbsolutePath()
                        .normalize(),
                help);
    }

    private static String value(String[] args, int i, String option) {
        if (i >= args.length || args[i].startsWith("--")) {
            throw new IllegalArgumentException(option + " needs a value");
        }
        return args[i];
    }

    private static int port(String text) {
        try {
            int p = Integer.parseInt(text);
            if (p >= 1 && p <= 65535) {
                return p;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw new IllegalArgumentException("--port must be a number from 1 to 65535: " + text);
    }
}
