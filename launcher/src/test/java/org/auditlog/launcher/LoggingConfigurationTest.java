package org.auditlog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which logging configuration Pax Logging reads as it starts. */
class LoggingConfigurationTest {
    @TempDir
    Path home;

    @Test
    void theConfigFoldersOwnFileWhenItHasOne() throws Exception {
        Path config = Files.createDirectories(home.resolve("site-config"));
        Files.writeString(config.resolve(Main.LOGGING_CFG), "log4j2.rootLogger.level = WARN\n");
        Options o = Options.parse(new String[] {"--home", home.toString(), "--config", config.toString()});
        assertEquals(config.resolve(Main.LOGGING_CFG), Main.loggingConfiguration(o));
        assertEquals(
                config.resolve(Main.LOGGING_CFG).toString(),
                Main.frameworkProperties(o).get("org.ops4j.pax.logging.property.file"));
    }

    @Test
    void theDistributionsFileWhenTheConfigFolderHasNone() throws Exception {
        Path config = Files.createDirectories(home.resolve("site-config"));
        Options o = Options.parse(new String[] {"--home", home.toString(), "--config", config.toString()});
        assertEquals(
                home.toAbsolutePath().normalize().resolve("config").resolve(Main.LOGGING_CFG),
                Main.loggingConfiguration(o));
    }
}
