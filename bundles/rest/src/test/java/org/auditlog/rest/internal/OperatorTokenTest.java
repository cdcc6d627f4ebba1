package org.auditlog.rest.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The operator token: from AUDITLOG_ADMIN_TOKEN (16 characters or more), else {@code data/admin-token}. */
class OperatorTokenTest {
    @TempDir
    Path data;

    @Test
    void theEnvironmentsTokenIsTakenStripped() throws IOException {
        OperatorToken t = OperatorToken.load("  0123456789abcdef \n", data);
        assertTrue(t.matches("0123456789abcdef"));
        assertFalse(t.matches("  0123456789abcdef \n"), "the presented token is compared as it comes");
        assertFalse(Files.exists(data.resolve("admin-token")), "no file is written then");
    }

    @Test
    void anEnvironmentTokenShorterThanSixteenCharactersStopsTheStart() {
        IllegalArgumentException e =
                assertThrows(IllegalArgumentException.class, () -> OperatorToken.load("0123456789abcde", data));
        assertEquals("AUDITLOG_ADMIN_TOKEN must be at least 16 characters long", e.getMessage());
        assertThrows(IllegalArgumentException.class, () -> OperatorToken.load("   0123456789abcde   ", data));
    }

    @Test
    void aBlankEnvironmentVariableCountsAsUnset() throws IOException {
        Files.writeString(data.resolve("admin-token"), "alo_from-the-file\n");
        assertTrue(OperatorToken.load("   ", data).matches("alo_from-the-file"));
        assertTrue(OperatorToken.load(null, data).matches("alo_from-the-file"));
    }

    @Test
    void theEnvironmentWinsOverTheFile() throws IOException {
        Files.writeString(data.resolve("admin-token"), "alo_from-the-file\n");
        OperatorToken t = OperatorToken.load("from-the-environment", data);
        assertTrue(t.matches("from-the-environment"));
        assertFalse(t.matches("alo_from-the-file"));
    }

    @Test
    void theFirstStartGeneratesTheTokenIntoAnOwnerOnlyFileAndSaysWhereNeverWhat() throws IOException {
        Path nested = data.resolve("not-yet");
        PrintStream previous = System.err;
        ByteArrayOutputStream printed = new ByteArrayOutputStream();
        OperatorToken first;
        OperatorToken second;
        try {
            System.setErr(new PrintStream(printed, true, StandardCharsets.UTF_8));
            first = OperatorToken.load(null, nested);
            second = OperatorToken.load(null, nested);
        } finally {
            System.setErr(previous);
        }
        Path file = nested.resolve("admin-token");
        String content = Files.readString(file);
        assertTrue(content.matches("alo_[A-Za-z0-9_-]{43}\n"), content);
        String token = content.strip();
        assertTrue(first.matches(token));
        assertTrue(second.matches(token), "the next start reads the same token");
        if (Files.getFileAttributeView(file, java.nio.file.attribute.PosixFileAttributeView.class) != null) {
            assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
        }
        String out = printed.toString(StandardCharsets.UTF_8);
        Matcher m = Pattern.compile("Auditlog operator token generated: it is in (.+) \\(readable by its owner only\\)")
                .matcher(out);
        assertTrue(m.find(), out);
        assertEquals(file.toAbsolutePath().toString(), m.group(1));
        assertFalse(out.contains(token), "where it is, never the value: the log goes to files others may read");
        assertFalse(m.find(), "printed once, by the start that made it");
    }

    @Test
    void twoGeneratedTokensDiffer() throws IOException {
        PrintStream previous = System.out;
        try {
            System.setOut(new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8));
            OperatorToken.load(null, data.resolve("a"));
            OperatorToken.load(null, data.resolve("b"));
        } finally {
            System.setOut(previous);
        }
        assertFalse(Files.readString(data.resolve("a/admin-token"))
                .equals(Files.readString(data.resolve("b/admin-token"))));
    }

    @Test
    void anEmptyTokenFileStopsTheStartSayingWhatToDo() throws IOException {
        Files.writeString(data.resolve("admin-token"), " \n");
        IOException e = assertThrows(IOException.class, () -> OperatorToken.load(null, data));
        assertTrue(
                e.getMessage().endsWith("admin-token is empty; delete it to generate a new operator token"),
                e.getMessage());
    }

    @Test
    void onlyTheWholeTokenMatches() throws IOException {
        OperatorToken t = OperatorToken.load("0123456789abcdef", data);
        assertTrue(t.matches("0123456789abcdef"));
        assertFalse(t.matches(null));
        assertFalse(t.matches(""));
        assertFalse(t.matches("0123456789abcdeF"), "one character off, the last");
        assertFalse(t.matches("0123456789abcde"), "a prefix");
        assertFalse(t.matches("0123456789abcdef0"), "longer");
        assertFalse(t.matches("0123456789ABCDEF"), "case matters");
    }
}
