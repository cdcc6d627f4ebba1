package org.auditlog.web.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

class PageServletTest {
    @Test
    void theRootIsTheSignInPageAndTheSettingsPathTheSettingsPage() {
        PageServlet.Asset signIn = PageServlet.SIGN_IN;
        assertTrue(RootFilter.isRoot("/"));
        assertFalse(RootFilter.isRoot("/index.html") || RootFilter.isRoot("//") || RootFilter.isRoot("/health"));
        assertTrue(new String(signIn.bytes(), StandardCharsets.UTF_8).contains("id=\"sign-in\""));
        PageServlet.Asset settings = PageServlet.resolve("/orgs", "/ACME_1-x/settings/audit-log");
        assertTrue(new String(settings.bytes(), StandardCharsets.UTF_8).contains("id=\"settings\""));
        assertSame(settings, PageServlet.resolve("/orgs", "/OTHER/settings/audit-log"));
    }

    @Test
    void onlyTheNamedAssetsAreServedAndNoPathReachesAFileName() {
        assertTrue(PageServlet.resolve("/assets", "/app.js").contentType().startsWith("text/javascript"));
        assertTrue(PageServlet.resolve("/assets", "/app.css").contentType().startsWith("text/css"));
        for (String info : new String[] {
            "/../web/app.js",
            "/index.html",
            "/app.js/",
            "/",
            "",
            "/settings.html",
            "/%2e%2e/app.js",
            "/META-INF/MANIFEST.MF"
        }) {
            assertNull(PageServlet.resolve("/assets", info), info);
        }
        for (String info : new String[] {
            "/ACME",
            "/ACME/settings",
            "/ACME/settings/audit-log/x",
            "/A CME/settings/audit-log",
            "/" + "K".repeat(65) + "/settings/audit-log",
            "/../settings/audit-log",
            ""
        }) {
            assertNull(PageServlet.resolve("/orgs", info), info);
        }
    }

    @Test
    void everyModuleOfThePageIsServedAsJavaScriptAndEveryImportNamesOne() throws IOException {
        Path web = Path.of("src/main/resources/web");
        List<String> files;
        try (Stream<Path> list = Files.list(web)) {
            files = list.map(p -> p.getFileName().toString())
                    .filter(n -> n.endsWith(".js"))
                    .sorted()
                    .toList();
        }
        assertEquals(files, PageServlet.MODULES.stream().sorted().toList());
        Pattern imports = Pattern.compile("(?m)^\\s*(?:import|export)\\b[^;]*?\\bfrom\\s+\"\\./([^\"]+)\"");
        int found = 0;
        for (String file : files) {
            PageServlet.Asset asset = PageServlet.resolve("/assets", "/" + file);
            assertEquals("text/javascript; charset=utf-8", asset.contentType(), file);
            Matcher m = imports.matcher(new String(asset.bytes(), StandardCharsets.UTF_8));
            while (m.find()) {
                assertNotNull(PageServlet.resolve("/assets", "/" + m.group(1)), file + " imports " + m.group(1));
                found++;
            }
        }
        assertTrue(found > files.size(), "the modules import one another: " + found);
        for (PageServlet.Asset page :
                new PageServlet.Asset[] {PageServlet.SIGN_IN, PageServlet.resolve("/orgs", "/ACME/settings/audit-log")
                }) {
            String html = new String(page.bytes(), StandardCharsets.UTF_8);
            assertTrue(html.contains("<script type=\"module\" src=\"/assets/app.js\"></script>"));
        }
    }

    @Test
    void thePagesHaveNoInlineScriptOrStyle() {
        for (PageServlet.Asset page :
                new PageServlet.Asset[] {PageServlet.SIGN_IN, PageServlet.resolve("/orgs", "/ACME/settings/audit-log")
                }) {
            String html = new String(page.bytes(), StandardCharsets.UTF_8);
            assertFalse(html.matches("(?s).*<script(?![^>]*\\ssrc=)[^>]*>.*"), "inline script");
            assertFalse(html.contains("<style"), "style element");
            assertFalse(html.matches("(?s).*\\sstyle=.*"), "style attribute");
            assertFalse(html.matches("(?s).*\\son[a-z]+=.*"), "event handler attribute");
        }
        assertTrue(PageServlet.CSP.contains("script-src 'self'")
                && PageServlet.CSP.contains("frame-ancestors 'none'")
                && !PageServlet.CSP.contains("unsafe-inline"));
    }
}
