package org.auditlog.evidence.verifier;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every input kept for the verifier's fuzz targets, run through its target as plain JUnit in every build (Jazzer is
 * needed only to fuzz, in the {@code fuzz} profile): the seeds each target starts from, and each crasher the fuzzing
 * found, kept as {@code src/test/resources/org/auditlog/evidence/verifier/VerifierFuzzInputs/<target>/crash-<sha1>} once its
 * defect was fixed.
 */
class FuzzCorpusTest {
    static final Map<String, Consumer<byte[]>> TARGETS = Map.of(
            "zip",
            FuzzTargets::zip,
            "manifest",
            FuzzTargets::manifest,
            "numbers",
            FuzzTargets::numbers,
            "rows",
            FuzzTargets::rows,
            "csv",
            FuzzTargets::csv,
            "json",
            FuzzTargets::json,
            "note",
            FuzzTargets::note,
            "prove",
            FuzzTargets::prove,
            "stream",
            FuzzTargets::stream);

    @TestFactory
    Stream<DynamicTest> everyKeptInputPassesItsTarget() throws IOException, URISyntaxException {
        Path inputs =
                Path.of(FuzzCorpusTest.class.getResource("VerifierFuzzInputs").toURI());
        List<DynamicTest> tests = new ArrayList<>();
        for (Map.Entry<String, Consumer<byte[]>> target : TARGETS.entrySet()) {
            Path dir = inputs.resolve(target.getKey());
            assertTrue(Files.isDirectory(dir), "inputs of " + target.getKey());
            try (Stream<Path> files = Files.list(dir)) {
                for (Path file : files.sorted().toList()) {
                    tests.add(DynamicTest.dynamicTest(
                            target.getKey() + "/" + file.getFileName(),
                            () -> target.getValue().accept(Files.readAllBytes(file))));
                }
            }
        }
        return tests.stream();
    }
}
