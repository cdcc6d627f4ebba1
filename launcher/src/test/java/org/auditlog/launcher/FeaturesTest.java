package org.auditlog.launcher;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class FeaturesTest {
    @TempDir
    Path dir;

    private Features write(String body) throws Exception {
        Path f = dir.resolve("features.xml");
        Files.writeString(
                f, "<features name='t' xmlns='http://karaf.apache.org/xmlns/features/v1.6.0'>" + body + "</features>");
        return Features.read(f);
    }

    @Test
    void bundlesOfNamedFeaturesComeOnceInStartLevelThenFileOrder() throws Exception {
        Features f = write("""
                <feature name='base'><bundle start-level='5'>mvn:g/b/1</bundle><bundle start-level='1'>mvn:g/a/1</bundle></feature>
                <feature name='app'><feature>base</feature><bundle start-level='5'>mvn:g/c/1</bundle><bundle>mvn:g/d/1</bundle>
                  <bundle start-level='5'>mvn:g/b/1</bundle></feature>
                <feature name='all'><feature>app</feature><feature>base</feature></feature>
                """);
        List<String> locations =
                f.bundles("all").stream().map(Features.BundleRef::location).toList();
        assertEquals(List.of("mvn:g/a/1", "mvn:g/b/1", "mvn:g/c/1", "mvn:g/d/1"), locations);
        assertEquals(80, f.bundles("all").get(3).startLevel());
    }

    @Test
    void unknownFeaturesAndCyclesAreErrors() throws Exception {
        Features f = write(
                "<feature name='a'><feature>b</feature></feature><feature name='b'><feature>a</feature></feature>");
        assertThrows(IllegalArgumentException.class, () -> f.bundles("a"));
        assertThrows(IllegalArgumentException.class, () -> f.bundles("missing"));
    }

    @Test
    void prerequisitesOfTheHostContainerAreSkippedButOtherUnknownFeaturesAreErrors() throws Exception {
        Features f = write("""
                <feature name='base'><bundle start-level='5'>mvn:g/b/1</bundle></feature>
                <feature name='app'>
                  <feature prerequisite='true'>scr</feature><feature prerequisite="true" version="[1,2)">spifly</feature>
                  <feature prerequisite='true'>base</feature><bundle>mvn:g/c/1</bundle></feature>
                <feature name='broken'><feature>scr</feature><bundle>mvn:g/c/1</bundle></feature>
                <feature name='alsoBroken'><feature prerequisite='false'>scr</feature></feature>
                """);
        // scr and spifly are the container's; a prerequisite the file defines is installed as usual
        assertEquals(
                List.of("mvn:g/b/1", "mvn:g/c/1"),
                f.bundles("app").stream().map(Features.BundleRef::location).toList());
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> f.bundles("broken"));
        assertEquals("the feature file has no feature named 'scr'", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> f.bundles("alsoBroken"));
    }

    @Test
    void mavenLocationsMapToRepositoryPaths() {
        assertEquals("org/auditlog/api/1.0/api-1.0.jar", Features.mavenPath("mvn:org.auditlog/api/1.0"));
        assertEquals(
                "org/auditlog/f/1.0/f-1.0-features.xml", Features.mavenPath("mvn:org.auditlog/f/1.0/xml/features"));
        assertThrows(IllegalArgumentException.class, () -> Features.mavenPath("file:/x.jar"));
        assertThrows(IllegalArgumentException.class, () -> Features.mavenPath("mvn:g/a"));
    }

    @Test
    void optionsHaveDefaultsAndRefuseNonsense() {
        Options o = Options.parse(new String[] {"--home", dir.toString()});
        assertEquals(8080, o.port());
        assertEquals(dir.resolve("data"), o.data());
        assertEquals(dir.resolve("deploy"), o.deploy());
        assertEquals(9000, Options.parse(new String[] {"--port", "9000"}).port());
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--port", "99999"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--port"}));
        assertThrows(IllegalArgumentException.class, () -> Options.parse(new String[] {"--colour"}));
    }
}
