package org.auditlog.evidence.verifier;

import com.code_intelligence.jazzer.junit.FuzzTest;

/**
 * The offline verifier's fuzz targets for Jazzer, one per parser ({@link FuzzTargets} holds their bodies). Compiled
 * and run only in this bundle's {@code fuzz} profile, one target after the other, each for {@code fuzz.seconds}
 * (docs/evidence.md, "Fuzzing"); without {@code JAZZER_FUZZ} Jazzer runs each target on its inputs under
 * {@code src/test/resources/org/auditlog/evidence/verifier/VerifierFuzzInputs/<target>/} instead, as {@link FuzzCorpusTest}
 * does in every build. A crasher found is written there, and so becomes a regression test.
 */
class VerifierFuzz {

    @FuzzTest(maxDuration = "60s")
    void zip(byte[] data) {
        FuzzTargets.zip(data);
    }

    @FuzzTest(maxDuration = "60s")
    void manifest(byte[] data) {
        FuzzTargets.manifest(data);
    }

    @FuzzTest(maxDuration = "60s")
    void numbers(byte[] data) {
        FuzzTargets.numbers(data);
    }

    @FuzzTest(maxDuration = "60s")
    void rows(byte[] data) {
        FuzzTargets.rows(data);
    }

    @FuzzTest(maxDuration = "60s")
    void csv(byte[] data) {
        FuzzTargets.csv(data);
    }

    @FuzzTest(maxDuration = "60s")
    void json(byte[] data) {
        FuzzTargets.json(data);
    }

    @FuzzTest(maxDuration = "60s")
    void note(byte[] data) {
        FuzzTargets.note(data);
    }

    @FuzzTest(maxDuration = "60s")
    void prove(byte[] data) {
        FuzzTargets.prove(data);
    }

    @FuzzTest(maxDuration = "60s")
    void stream(byte[] data) {
        FuzzTargets.stream(data);
    }
}
