package org.auditlog.evidence;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.auditlog.evidence.internal.Frontier;
import org.junit.jupiter.api.Test;

/**
 * The verifier's own JSON reads what it writes and refuses what is not JSON; the frontier of a tree at any size,
 * extended by the leaves after it, gives RFC 9162's root at every later size.
 */
class JsonAndFrontierTest {

    @Test
    void jsonReadsBackWhatItWritesByteForByte() {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("text", "Zoë \"quoted\"\\ \n\r\t\u0001 end");
        m.put("n", Long.MIN_VALUE);
        m.put("list", List.of(1L, "two", List.of(), new LinkedHashMap<>()));
        m.put("none", null);
        m.put("yes", Boolean.TRUE);
        String text = Json.write(m);
        Object back = Json.parse(text);
        assertEquals(m, back);
        assertEquals(text, Json.write(back), "the same values give the same bytes (seals are hashed)");
        assertEquals(Map.of("a", List.of(1L, 2L)), Json.parse(" { \"a\" : [ 1 , 2 ] } "));
        assertEquals("/\u00e9", Json.parse("\"\\/\\u00e9\""));
    }

    @Test
    void jsonRefusesWhatIsNotJsonNamingWhere() {
        for (String bad : List.of(
                "",
                "{",
                "{\"a\":1,}",
                "[1 2]",
                "{\"a\":1,\"a\":2}",
                "\"open",
                "01x",
                "-",
                "1.5",
                "99999999999999999999",
                "{\"a\":1} x",
                "\"\u0001\"",
                "\"\\q\"",
                "\"\\u12\"",
                "nul")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("not valid JSON at character "), e.getMessage());
        }
    }

    @Test
    void jsonNestedDeeperThanItsBoundIsRefusedWithoutOverflowingTheStack() {
        for (String open : List.of("[", "{\"a\":")) {
            String deep = open.repeat(100_000);
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(deep));
            assertEquals(
                    "not valid JSON at character " + Json.MAX_DEPTH * open.length() + ": values nested deeper than "
                            + Json.MAX_DEPTH,
                    e.getMessage());
        }
        String deepest = "[".repeat(Json.MAX_DEPTH) + "]".repeat(Json.MAX_DEPTH);
        assertEquals(deepest, Json.write(Json.parse(deepest)));
        assertThrows(IllegalArgumentException.class, () -> Json.parse("[" + deepest + "]"));
    }

    @Test
    void jsonBoundsStringsAndNumbersAndReadsOnlyAsciiDigits() {
        String longest = "x".repeat(Json.MAX_STRING);
        assertEquals(longest, Json.parse("\"" + longest + "\""));
        IllegalArgumentException tooLong =
                assertThrows(IllegalArgumentException.class, () -> Json.parse("\"" + longest + "xx\""));
        assertEquals(
                "not valid JSON at character " + (Json.MAX_STRING + 2) + ": a string longer than " + Json.MAX_STRING
                        + " characters",
                tooLong.getMessage());
        assertEquals(Long.MAX_VALUE, Json.parse("9223372036854775807"));
        assertEquals(Long.MIN_VALUE, Json.parse("-9223372036854775808"));
        assertEquals(0L, Json.parse("-0"));
        IllegalArgumentException digits =
                assertThrows(IllegalArgumentException.class, () -> Json.parse("1".repeat(1_000_000)));
        assertEquals("not valid JSON at character 19: a number of more than 19 digits", digits.getMessage());
        for (String bad : List.of(
                "9223372036854775808",
                "007",
                "-01",
                "1e3",
                "2.0",
                "\u0663",
                "\"\\u+123\"",
                "\"\\u-123\"",
                "\"\\u\uff11234\"",
                "--1")) {
            IllegalArgumentException e = assertThrows(IllegalArgumentException.class, () -> Json.parse(bad), bad);
            assertEquals(true, e.getMessage().startsWith("not valid JSON at character "), e.getMessage());
        }
    }

    static List<byte[]> leaves(int n) {
        List<byte[]> out = new ArrayList<>();
        for (int i = 0; i < n; i++) {
            out.add(Merkle.leafHash(("leaf " + i).getBytes(StandardCharsets.UTF_8)));
        }
        return out;
    }

    @Test
    void aFrontierExtendedByTheLaterLeavesGivesEveryLaterRoot() {
        List<byte[]> all = leaves(70);
        Map<Long, byte[]> stored = new java.util.HashMap<>();
        CompactTree.Nodes nodes = (level, index) -> stored.get(((long) level << 40) | index);
        for (CompactTree.Node node : CompactTree.append(0, all, (l, i) -> null)) {
            stored.put(((long) node.level() << 40) | node.index(), node.hash());
        }
        for (int start = 0; start <= 70; start++) {
            List<byte[]> frontier = new ArrayList<>();
            long offset = 0;
            for (int level = 63; level >= 0; level--) {
                if (((long) start >> level & 1) == 1) {
                    frontier.add(nodes.node(level, offset >> level));
                    offset += 1L << level;
                }
            }
            Frontier f = new Frontier(start, frontier);
            assertArrayEquals(Merkle.root(all.subList(0, start)), f.root(), "start " + start);
            for (int end = start; end < 70; end++) {
                f.append(all.get(end));
                assertArrayEquals(Merkle.root(all.subList(0, end + 1)), f.root(), start + " to " + (end + 1));
            }
        }
        // the subtrees of any range, appended to the frontier at its start, give the root at its end
        for (int from = 0; from <= 70; from++) {
            for (int to = from; to <= 70; to++) {
                List<byte[]> frontier = new ArrayList<>();
                for (long[] node : CompactRange.of(0, from)) {
                    frontier.add(nodes.node((int) node[0], node[1]));
                }
                Frontier f = new Frontier(from, frontier);
                long at = from;
                for (long[] node : CompactRange.of(from, to)) {
                    assertEquals(at, node[1] << node[0], "contiguous and aligned");
                    f.append(nodes.node((int) node[0], node[1]), 1L << node[0]);
                    at += 1L << node[0];
                }
                assertEquals(to, at);
                assertArrayEquals(Merkle.root(all.subList(0, to)), f.root(), from + " to " + to);
            }
        }
        assertThrows(IllegalArgumentException.class, () -> new Frontier(5, List.of(new byte[32])));
        assertThrows(IllegalArgumentException.class, () -> new Frontier(4, Arrays.asList(new byte[32], new byte[32])));
    }
}
