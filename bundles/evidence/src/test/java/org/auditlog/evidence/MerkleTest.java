package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * The tree against the transparency-dev merkle project's test vectors (src/test/resources/transparency-dev,
 * SOURCE.md): every inclusion and consistency proof there, each answered as the vector says, the negative cases
 * refused; and every proof this class makes, for every tree of up to 70 leaves, verified.
 */
class MerkleTest {
    private static final ObjectMapper JSON = new ObjectMapper();
    /** The leaves of RFC 6962's test tree, which the vectors' proofs are of. */
    static final String[] LEAVES = {
        "", "00", "10", "2021", "3031", "40414243", "5051525354555657", "606162636465666768696a6b6c6d6e6f"
    };

    @TestFactory
    Stream<DynamicTest> inclusionVectors() throws Exception {
        return vectors("inclusion")
                .map(file -> DynamicTest.dynamicTest(name(file), () -> {
                    JsonNode v = JSON.readTree(file.toFile());
                    boolean ok = Merkle.verifyInclusion(
                            v.get("leafIdx").asLong(),
                            v.get("treeSize").asLong(),
                            bytes(v.get("leafHash")),
                            hashes(v.get("proof")),
                            bytes(v.get("root")));
                    assertEquals(
                            !v.get("wantErr").asBoolean(), ok, v.get("desc").asText());
                }));
    }

    @TestFactory
    Stream<DynamicTest> consistencyVectors() throws Exception {
        return vectors("consistency")
                .map(file -> DynamicTest.dynamicTest(name(file), () -> {
                    JsonNode v = JSON.readTree(file.toFile());
                    boolean ok = Merkle.verifyConsistency(
                            v.get("size1").asLong(),
                            v.get("size2").asLong(),
                            hashes(v.get("proof")),
                            bytes(v.get("root1")),
                            bytes(v.get("root2")));
                    assertEquals(
                            !v.get("wantErr").asBoolean(), ok, v.get("desc").asText());
                }));
    }

    @Test
    void theVectorsCoverHappyPathsAndManyNegativeCases() throws Exception {
        long happy = 0;
        long negative = 0;
        for (String kind : List.of("inclusion", "consistency")) {
            for (Path f : vectors(kind).toList()) {
                if (JSON.readTree(f.toFile()).get("wantErr").asBoolean()) {
                    negative++;
                } else {
                    happy++;
                }
            }
        }
        assertTrue(happy >= 10 && negative >= 150, happy + " happy, " + negative + " negative");
    }

    @Test
    void theRootsOfRfc6962sTestTreeAreTheVectorsRoots() throws Exception {
        List<byte[]> leaves = new ArrayList<>();
        for (String leaf : LEAVES) {
            leaves.add(Merkle.leafHash(HexFormat.of().parseHex(leaf)));
        }
        assertEquals(
                "5dc9da79a70659a9ad559cb701ded9a2ab9d823aad2f4960cfe370eff4604328", Merkle.hex(Merkle.root(leaves)));
        assertEquals(
                "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855", Merkle.hex(Merkle.root(List.of())));
        JsonNode v = JSON.readTree(dir("inclusion").resolve("1/happy-path.json").toFile());
        List<byte[]> proof = Merkle.inclusionProof(leaves, v.get("leafIdx").asInt());
        List<byte[]> expected = hashes(v.get("proof"));
        assertEquals(expected.size(), proof.size());
        for (int i = 0; i < proof.size(); i++) {
            assertArrayEquals(expected.get(i), proof.get(i));
        }
        JsonNode c =
                JSON.readTree(dir("consistency").resolve("1/happy-path.json").toFile());
        List<byte[]> consistency =
                Merkle.consistencyProof(leaves, c.get("size1").asInt());
        List<byte[]> want = hashes(c.get("proof"));
        assertEquals(want.size(), consistency.size());
        for (int i = 0; i < want.size(); i++) {
            assertArrayEquals(want.get(i), consistency.get(i));
        }
    }

    @Test
    void everyProofMadeVerifiesAndFailsForAnyOtherLeafSizeOrRoot() {
        List<byte[]> leaves = new ArrayList<>();
        List<byte[]> roots = new ArrayList<>();
        roots.add(Merkle.emptyRoot());
        for (int n = 1; n <= 70; n++) {
            leaves.add(Merkle.leafHash(("record " + n).getBytes()));
            roots.add(Merkle.root(leaves));
        }
        for (int n = 1; n <= 70; n++) {
            List<byte[]> tree = leaves.subList(0, n);
            byte[] root = roots.get(n);
            for (int i = 0; i < n; i++) {
                List<byte[]> proof = Merkle.inclusionProof(tree, i);
                assertTrue(Merkle.verifyInclusion(i, n, tree.get(i), proof, root), "leaf " + i + " of " + n);
                assertFalse(Merkle.verifyInclusion(i, n, leaves.get((i + 1) % 70), proof, root), "another leaf");
                if (n < 70) {
                    assertFalse(
                            Merkle.verifyInclusion(i, n + 1, tree.get(i), proof, roots.get(n + 1)), "a larger tree");
                }
            }
            for (int m = 1; m <= n; m++) {
                List<byte[]> proof = Merkle.consistencyProof(tree, m);
                assertTrue(Merkle.verifyConsistency(m, n, proof, roots.get(m), root), m + " to " + n);
                if (m < n) {
                    if (m > 1) {
                        assertFalse(
                                Merkle.verifyConsistency(m, n, proof, roots.get(m - 1), root), "another first root");
                    }
                    assertFalse(Merkle.verifyConsistency(m, n, proof, roots.get(m), roots.get(n - 1)), "another root");
                }
            }
        }
    }

    private static Stream<Path> vectors(String kind) throws Exception {
        return Files.walk(dir(kind)).filter(p -> p.toString().endsWith(".json")).sorted();
    }

    private static Path dir(String kind) throws Exception {
        return Path.of(MerkleTest.class.getResource("/transparency-dev/" + kind).toURI());
    }

    private static String name(Path file) {
        return file.getParent().getFileName() + "/" + file.getFileName();
    }

    private static byte[] bytes(JsonNode base64) {
        return base64 == null || base64.isNull() ? null : Base64.getDecoder().decode(base64.asText());
    }

    private static List<byte[]> hashes(JsonNode array) {
        List<byte[]> out = new ArrayList<>();
        if (array != null && !array.isNull()) {
            array.forEach(h -> out.add(Base64.getDecoder().decode(h.asText())));
        }
        return out;
    }
}
