package org.auditlog.itests;

import static org.junit.Assert.assertEquals;
import static org.junit.Assert.assertFalse;
import static org.junit.Assert.assertNotNull;
import static org.junit.Assert.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.icegreen.greenmail.util.GreenMail;
import com.icegreen.greenmail.util.ServerSetup;
import java.io.IOException;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import javax.mail.internet.MimeMessage;
import org.apache.commons.csv.CSVRecord;
import org.auditlog.api.adapter.Column;
import org.junit.AfterClass;
import org.junit.Before;
import org.junit.BeforeClass;
import org.junit.Test;
import org.openqa.selenium.By;
import org.openqa.selenium.Cookie;
import org.openqa.selenium.Dimension;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.Keys;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.StaleElementReferenceException;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.Select;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The settings page as an Audit Log Admin uses it: Debian's Chromium, headless, driven by Selenium, against the
 * distribution in its own process, mailing a real SMTP server (GreenMail). Each test asserts what the person
 * sees, and saves each screen as a PNG under {@code itests/target/screenshots/}, at a desktop's and a phone's
 * width. The browser must be installed ({@code apt-get install chromium chromium-driver}; {@code .ci/run} does
 * it): without it these tests fail, saying so.
 */
public class WebPageIT {
    static final String TOKEN = "web-page-it-operator-token";
    static final DateTimeFormatter MONTH = DateTimeFormatter.ofPattern("uuuuMM");
    static final Pattern LINK =
            Pattern.compile("(http://localhost:\\d+/orgs/WEB/settings/audit-log\\?download=)" + "([A-Za-z0-9_%-]+)");

    static GreenMail smtp;
    static ServerProcess server;
    static String base;
    static String owner;
    static String carol;
    static String otherOwner;
    static YearMonth month;
    static Path downloads;

    ChromeDriver browser;
    WebDriverWait wait;

    /** On a failure, what the page showed and what its script logged, to tell why; then the browser is closed. */
    @org.junit.Rule
    public org.junit.rules.TestWatcher diagnostics = new org.junit.rules.TestWatcher() {
        @Override
        protected void failed(Throwable e, org.junit.runner.Description description) {
            if (browser == null) {
                return;
            }
            try {
                System.out.println("=== " + description.getMethodName() + " failed at " + browser.getCurrentUrl());
                System.out.println(browser.findElement(By.tagName("body")).getText());
                browser.manage()
                        .logs()
                        .get(org.openqa.selenium.logging.LogType.BROWSER)
                        .forEach(entry -> System.out.println("console: " + entry));
                screenshot("failed-" + description.getMethodName());
            } catch (RuntimeException | IOException ignored) {
                // the diagnostics are a help, the failure is the result
            }
        }

        @Override
        protected void finished(org.junit.runner.Description description) {
            if (browser != null) {
                browser.quit();
            }
        }
    };

    @BeforeClass
    public static void start() throws Exception {
        int smtpPort = ServerOptions.freePort();
        smtp = new GreenMail(new ServerSetup(smtpPort, "127.0.0.1", ServerSetup.PROTOCOL_SMTP));
        smtp.start();
        int port = ServerOptions.freePort();
        base = "http://localhost:" + port;
        Path data = Files.createTempDirectory("auditlog-web");
        server = ServerProcess.start(
                        data,
                        port,
                        TOKEN,
                        data.resolve("server.log"),
                        Map.of(
                                "AUDITLOG_SMTP_HOST",
                                "127.0.0.1",
                                "AUDITLOG_SMTP_PORT",
                                Integer.toString(smtpPort),
                                "AUDITLOG_SMTP_TLS",
                                "none",
                                "AUDITLOG_BASE_URL",
                                base,
                                // the streams' test receiver is on loopback, over plain HTTP
                                "AUDITLOG_STREAMS_ALLOWED_NETWORKS",
                                "127.0.0.1/32"))
                .awaitHealthy();
        Api api = server.api;
        api.activeOrg(TOKEN, "WEB");
        api.activeOrg(TOKEN, "OTHER");
        member(api, "WEB", "carol", "Carol Member", "carol@web.example", "member");
        member(api, "WEB", "dave", "Dave Member", "dave@web.example", "member");
        member(api, "WEB", "gus", "Gus Guest", "gus@web.example", "guest");
        owner = memberToken(api, "WEB", "owner");
        carol = memberToken(api, "WEB", "carol");
        otherOwner = memberToken(api, "OTHER", "owner");
        String backlog = api.ingestToken(TOKEN, "Backlog", null);
        Instant now = Instant.now();
        month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        List<Map<String, Object>> records = new ArrayList<>();
        Instant first = month.atDay(1).atStartOfDay().toInstant(ZoneOffset.UTC);
        long span = Math.max(70, now.toEpochMilli() - first.toEpochMilli() - 1000);
        for (int i = 0; i < 70; i++) {
            records.add(Api.record("WEB", first.plusMillis(span * i / 70).toString(), "row " + i, "Ann"));
        }
        for (int i = 0; i < 5; i++) {
            records.add(
                    Api.record("WEB", month.minusMonths(1).atDay(3) + "T0" + i + ":00:00Z", "last month " + i, "Ann"));
        }
        records.add(Api.record("OTHER", now.minusSeconds(5).toString(), "another organization", "Ann"));
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Backlog/events",
                                backlog,
                                "application/vnd.auditlog.v1+json",
                                Api.json(records))
                        .status());
    }

    @AfterClass
    public static void stop() throws Exception {
        if (server != null) {
            server.close();
        }
        if (smtp != null) {
            smtp.stop();
        }
    }

    @Before
    public void openBrowser() throws IOException {
        Path chromium = Path.of(System.getProperty("it.chromium", "/usr/bin/chromium"));
        Path driver = Path.of(System.getProperty("it.chromedriver", "/usr/bin/chromedriver"));
        assertTrue(
                "WebPageIT needs Chromium at " + chromium + " and its driver at " + driver
                        + " (apt-get install -y chromium chromium-driver)",
                Files.isExecutable(chromium) && Files.isExecutable(driver));
        downloads = Files.createTempDirectory("auditlog-web-downloads");
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--lang=en-US");
        Map<String, Object> prefs = new HashMap<>();
        prefs.put("download.default_directory", downloads.toString());
        prefs.put("download.prompt_for_download", false);
        options.setExperimentalOption("prefs", prefs);
        org.openqa.selenium.logging.LoggingPreferences logs = new org.openqa.selenium.logging.LoggingPreferences();
        logs.enable(org.openqa.selenium.logging.LogType.BROWSER, java.util.logging.Level.ALL);
        options.setCapability("goog:loggingPrefs", logs);
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(driver.toFile())
                .usingAnyFreePort()
                .build();
        browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(60));
        wait = new WebDriverWait(browser, Duration.ofSeconds(30));
        wait.ignoring(StaleElementReferenceException.class);
    }

    @Test
    public void anAdminSignsInExportsWithBothConfirmationsAndDownloadsFromTheMailedLink() throws Exception {
        browser.get(base + "/");
        assertEquals("Sign in to the audit log", text("sign-in-heading"));
        assertEquals(List.of(), unlabelled());
        screenshot("sign-in");
        signIn(owner);
        wait.until(d -> d.getCurrentUrl().equals(base + "/orgs/WEB/settings/audit-log"));
        awaitVisible("content");
        assertTrue(text("org-name"), text("org-name").contains("WEB Inc (WEB)"));
        assertTrue(text("who").contains("Olive Owner"));

        // the session: an HttpOnly, SameSite=Strict cookie no script can read; nothing kept in the browser's storage
        Cookie cookie = browser.manage().getCookieNamed("auditlog_session");
        assertNotNull(cookie);
        assertTrue(cookie.isHttpOnly());
        assertEquals("Strict", cookie.getSameSite());
        assertFalse("not Secure over plain http", cookie.isSecure());
        assertFalse(
                (String) js("return document.cookie"),
                ((String) js("return document.cookie")).contains("auditlog_session"));
        assertEquals(0L, js("return localStorage.length + sessionStorage.length"));
        assertFalse(((String) js("return document.documentElement.outerHTML")).contains(owner));
        assertEquals(List.of(), unlabelled());
        screenshot("settings");
        // the sections as tabs, each reached by its name and kept in the address
        for (String name : List.of("export", "archives", "streams", "admins")) {
            tab(name);
            assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().endsWith("?tab=" + name));
            assertFalse(byId("events-section").isDisplayed());
            screenshot("tab-" + name);
        }
        // the arrow keys move between the tabs
        byId("tab-admins").sendKeys(Keys.ARROW_LEFT);
        awaitVisible("streams-section");
        assertEquals(byId("tab-streams"), browser.switchTo().activeElement());
        assertEquals("true", byId("tab-streams").getAttribute("aria-selected"));

        // Export: product, Export, "Continue", then "it may take up to 30 minutes", "Done"
        tab("export");
        new Select(byId("export-product")).selectByVisibleText("Backlog");
        byId("export-button").click();
        awaitDialog("confirm-export");
        assertTrue(text("confirm-export-text"), text("confirm-export-text").contains("Backlog"));
        screenshot("export-confirm");
        byId("confirm-export-continue").click();
        awaitDialog("export-started");
        assertFalse(isOpen("confirm-export"));
        assertTrue(text("export-started-text"), text("export-started-text").contains("up to 30 minutes"));
        screenshot("export-started");
        byId("export-started-done").click();
        wait.until(d -> !isOpen("export-started"));
        String fileName = "auditlog-" + month.atDay(1).format(DateTimeFormatter.BASIC_ISO_DATE) + "-"
                + Instant.now().atOffset(ZoneOffset.UTC).toLocalDate().format(DateTimeFormatter.BASIC_ISO_DATE)
                + "-Backlog-csv.zip";
        WebElement job = wait.until(d -> d.findElements(By.cssSelector("#jobs-table tr[data-state='done']")).stream()
                .filter(r -> r.getText().contains(fileName))
                .findFirst()
                .orElse(null));
        assertTrue(
                job.getText(),
                job.getText().contains("Done")
                        && job.getText().contains("70")
                        && job.getText().contains(fileName));
        screenshot("export-done");
        // the job's progress is the server's: a reload shows it again
        browser.navigate().refresh();
        awaitVisible("content");
        wait.until(d -> d.findElements(By.cssSelector("#jobs-table tr[data-state='done']")).stream()
                .anyMatch(r -> r.getText().contains(fileName)));

        // The mailed link: the download dialog, the token gone from the address bar, the zip saved
        String link = mailedLink(awaitMail("Backlog"));
        browser.get(link);
        awaitDialog("download-dialog");
        wait.until(d -> text("download-text").contains(fileName));
        assertEquals(base + "/orgs/WEB/settings/audit-log", browser.getCurrentUrl());
        assertFalse(browser.getCurrentUrl().contains("download="));
        screenshot("download-dialog");
        byId("download-button").click();
        Path zip = awaitDownload(fileName);
        List<CSVRecord> rows = MailIT.csv(Files.readAllBytes(zip), fileName.replace("-csv.zip", ".csv"));
        assertEquals(Column.header(), rows.get(0).toList());
        assertEquals(71, rows.size());
        wait.until(d -> text("download-status").contains("downloaded"));
        // neither the link's token nor the member token is in any address the page asked for (the mailed link
        // itself, which the browser opened, is the one address that carries the link's token)
        String token = link.substring(link.indexOf("download=") + "download=".length());
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertFalse(requested.isEmpty());
        for (String url : requested) {
            assertFalse(url, url.contains(token) || url.contains(owner));
        }
        byId("download-dialog").findElement(By.cssSelector("[data-close]")).click();
        wait.until(d -> !isOpen("download-dialog"));

        // Past months: last month's Backlog file from the table, built on demand, with its size afterwards
        tab("archives");
        String past = month.minusMonths(1).format(MONTH);
        String pastName = "auditlog-" + past + "-Backlog-csv.zip";
        WebElement row = browser.findElement(By.cssSelector("#archives-table tr[data-archive='" + past + "/Backlog']"));
        assertTrue(
                row.getText(), row.getText().contains(pastName) && row.getText().contains("not built yet"));
        row.findElement(By.cssSelector("button[aria-label='Download " + pastName + "']"))
                .click();
        Path archive = awaitDownload(pastName);
        assertEquals(
                6,
                MailIT.csv(Files.readAllBytes(archive), pastName.replace("-csv.zip", ".csv"))
                        .size());
        wait.until(d -> d.findElement(By.cssSelector("#archives-table tr[data-archive='" + past + "/Backlog']"))
                        .getText()
                        .contains("KiB")
                || d.findElement(By.cssSelector("#archives-table tr[data-archive='" + past + "/Backlog']"))
                        .getText()
                        .contains("bytes"));
        screenshot("past-months");

        // and the monthly mail's kind of link opens the same file in the dialog
        browser.get(base + "/orgs/WEB/settings/audit-log?archive=" + past + "&product=Backlog");
        awaitDialog("download-dialog");
        wait.until(d -> text("download-text").contains(pastName));
        assertEquals(base + "/orgs/WEB/settings/audit-log", browser.getCurrentUrl());
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(d -> !isOpen("download-dialog"));

        // sign-out ends the session on the server
        byId("sign-out").click();
        wait.until(d -> d.getCurrentUrl().equals(base + "/"));
        assertEquals(
                401,
                server.api
                        .request("GET", "/api/v1/session", null, "Cookie", "auditlog_session=" + cookie.getValue())
                        .status());
    }

    @Test
    public void aMailedLinkOpenedSignedOutAsksToSignInThenComesBackToIt() throws Exception {
        Api.Reply asked =
                server.api.post("/api/v1/orgs/WEB/exports", owner, "application/json", "{\"product\":\"Apps\"}");
        assertEquals(asked.toString(), 202, asked.status());
        String link = mailedLink(awaitMail("Apps"));
        browser.get(link);
        awaitVisible("sign-in");
        assertFalse(
                "the token left the address bar before sign-in",
                browser.getCurrentUrl().contains("download="));
        assertTrue(text("sign-in-reason"), text("sign-in-reason").contains("link from your email"));
        screenshot("link-sign-in");
        signIn(owner);
        awaitDialog("download-dialog");
        wait.until(d -> text("download-text").contains("-Apps-csv.zip"));

        // the same link, opened by a member of another organization: refused, in words
        browser.manage().deleteAllCookies();
        browser.get(base + "/");
        signIn(otherOwner);
        wait.until(d -> d.getCurrentUrl().equals(base + "/orgs/OTHER/settings/audit-log"));
        browser.get(link);
        awaitDialog("download-dialog");
        awaitVisible("download-error");
        assertEquals("This download link belongs to another organization.", text("download-error-title"));
        assertEquals("foreign_download_link", text("download-error-rule"));
        assertFalse(byId("download-button").isEnabled());
        awaitVisible("other-org");
        screenshot("link-foreign");

        // an unknown link says so
        browser.get(base + "/orgs/OTHER/settings/audit-log?download=dl_unknown_link_000");
        awaitDialog("download-dialog");
        awaitVisible("download-error");
        assertEquals("This download link is unknown.", text("download-error-title"));
        assertEquals(base + "/orgs/OTHER/settings/audit-log", browser.getCurrentUrl());
    }

    @Test
    public void aMemberWithoutThePrivilegeSeesTheReason() throws Exception {
        browser.get(base + "/");
        signIn(carol);
        awaitVisible("refused");
        assertTrue(text("refused-text"), text("refused-text").toLowerCase().contains("audit log admin"));
        assertEquals("not_audit_log_admin", text("refused-rule"));
        assertFalse(byId("content").isDisplayed());
        // nor does the page ask for what only holders see, such as the organization's streams
        @SuppressWarnings("unchecked")
        List<String> requested = (List<String>) js("return performance.getEntriesByType('resource').map(e => e.name)");
        assertFalse(requested.isEmpty());
        assertTrue(requested.toString(), requested.stream().noneMatch(u -> u.contains("/api/v1/orgs/WEB/streams")));
        screenshot("refused");
    }

    @Test
    public void aPlanThatForbidsExportsIsSaidAndItsButtonsAreOff() throws Exception {
        Api api = server.api;
        api.activeOrg(TOKEN, "LATE");
        // a record of last month: the past months listed begin with it (the organization was made today)
        assertEquals(
                201,
                api.post(
                                "/api/v1/products/Backlog/events",
                                api.ingestToken(TOKEN, "Backlog", null),
                                "application/vnd.auditlog.v1+json",
                                Api.json(List.of(Api.record(
                                        "LATE", month.minusMonths(1).atDay(2) + "T10:00:00Z", "late", "Ann"))))
                        .status());
        assertEquals(
                200,
                api.put("/api/v1/admin/orgs/LATE/plan", TOKEN, "{\"state\":\"paid\"}")
                        .status());
        assertEquals(
                200,
                api.put("/api/v1/admin/orgs/LATE/plan", TOKEN, "{\"state\":\"overdue\"}")
                        .status());
        browser.get(base + "/");
        signIn(memberToken(api, "LATE", "owner"));
        awaitVisible("content");
        tab("export");
        awaitVisible("export-refused");
        assertEquals("plan_overdue", text("export-refused-rule"));
        assertTrue(
                text("export-refused-text"),
                text("export-refused-text").toLowerCase().contains("overdue"));
        assertFalse(byId("export-button").isEnabled());
        tab("archives");
        wait.until(d ->
                !d.findElements(By.cssSelector("#archives-table tbody button")).isEmpty());
        for (WebElement b : browser.findElements(By.cssSelector("#archives-table tbody button"))) {
            assertFalse(b.isEnabled());
        }
        screenshot("plan-overdue");
    }

    @Test
    public void auditLogAdminsAreGrantedAndRevokedAndTheLastAdminHolderStays() throws Exception {
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        tab("admins");
        wait.until(d -> !d.findElements(By.cssSelector("#admins-table tr[data-user='owner']"))
                .isEmpty());
        Select grant = new Select(byId("grant-member"));
        List<String> offered =
                grant.getOptions().stream().map(o -> o.getAttribute("value")).toList();
        assertTrue(offered.toString(), offered.contains("dave") && offered.contains("carol"));
        assertFalse("a guest is not offered", offered.contains("gus"));
        grant.selectByValue("dave");
        byId("grant-button").click();
        wait.until(d -> !d.findElements(By.cssSelector("#admins-table tr[data-user='dave']"))
                .isEmpty());
        screenshot("admins");
        browser.findElement(By.cssSelector("#admins-table tr[data-user='dave'] button"))
                .click();
        wait.until(d -> d.findElements(By.cssSelector("#admins-table tr[data-user='dave']"))
                .isEmpty());
        // the owner is the last admin holding it: the page says why it stays
        browser.findElement(By.cssSelector("#admins-table tr[data-user='owner'] button"))
                .click();
        awaitVisible("admins-error");
        assertTrue(text("admins-error"), text("admins-error").contains("last_admin_holder"));
        assertTrue(
                text("admins-error"),
                text("admins-error").contains("The last admin holding the privilege cannot lose it."));
        assertFalse(browser.findElements(By.cssSelector("#admins-table tr[data-user='owner']"))
                .isEmpty());
        screenshot("admins-last-holder");
    }

    @Test
    public void eventsAreShownInEitherTimeZoneWithinTheirCardAndInDetail() throws Exception {
        browser.executeCdpCommand("Emulation.setTimezoneOverride", Map.of("timezoneId", "Asia/Tokyo"));
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        wait.until(d -> d.findElements(By.cssSelector("#events-table tbody tr")).size() == 50);
        assertTrue(byId("events-more").isDisplayed());
        // the table fits its card at 1280 px: no column cut off, nothing to scroll sideways
        assertEquals(
                Boolean.TRUE,
                js("const t = document.getElementById('events-table');"
                        + "return t.offsetWidth <= t.parentElement.clientWidth"
                        + " && document.documentElement.scrollWidth <= document.documentElement.clientWidth"));

        // UTC by default, with its offset; the browser's zone (Tokyo here) on request, kept in the address
        WebElement newest = browser.findElement(By.cssSelector("#events-table tbody tr td.date time"));
        String iso = newest.getAttribute("datetime");
        assertTrue(newest.getText(), newest.getText().endsWith(" +00:00"));
        byId("tz-local").click();
        wait.until(d -> newest.getText().endsWith(" +09:00"));
        assertEquals(
                Instant.parse(iso)
                        .atOffset(ZoneOffset.ofHours(9))
                        .toLocalDateTime()
                        .toString()
                        .substring(0, 16)
                        .replace('T', ' '),
                newest.getText().substring(0, 16));
        assertEquals(base + "/orgs/WEB/settings/audit-log?tz=local", browser.getCurrentUrl());
        screenshot("events");
        // and remembered by this browser: an address without tz shows the zone chosen
        browser.get(base + "/orgs/WEB/settings/audit-log?tab=events");
        awaitVisible("content");
        wait.until(d -> d.findElements(By.cssSelector("#events-table tbody tr td.date time"))
                        .size()
                == 50);
        assertTrue(byId("tz-local").isSelected());
        assertTrue(browser.findElement(By.cssSelector("#events-table tbody tr td.date time"))
                .getText()
                .endsWith(" +09:00"));
        assertEquals("local", js("return localStorage.getItem('auditlog.tz')"));
        byId("tz-utc").click();
        wait.until(d -> d.findElement(By.cssSelector("#events-table tbody tr td.date time"))
                .getText()
                .endsWith(" +00:00"));

        // the detail of one event, its JSON, and Escape closes the dialog, giving focus back
        WebElement details = browser.findElement(By.cssSelector("#events-table tbody tr button"));
        details.click();
        awaitDialog("event-dialog");
        String json = text("event-json");
        assertTrue(json, json.contains("\"space_key\": \"WEB\"") && json.contains("\"version\": \"V1\""));
        assertEquals(
                Boolean.TRUE, js("return document.getElementById('event-dialog').contains(document.activeElement)"));
        screenshot("event-detail");
        byId("copy-json").click();
        wait.until(
                d -> text("copy-status").contains("cop") || text("copy-status").contains("selected"));
        browser.switchTo().activeElement().sendKeys(Keys.ESCAPE);
        wait.until(d -> !isOpen("event-dialog"));
        assertTrue(details.equals(browser.switchTo().activeElement()));
    }

    @Test
    public void eventsAreSearchedFromTheAddressAndTheBoxAndLoadedPageByPage() throws Exception {
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        // an address of the page's former filters opens as a search, and the address says it so
        browser.get(base + "/orgs/WEB/settings/audit-log?product=Backlog&category=Test");
        awaitVisible("content");
        wait.until(d -> d.findElements(By.cssSelector("#events-table tbody tr")).size() == 50);
        assertEquals("product:Backlog category:Test", byId("q").getAttribute("value"));
        assertEquals(
                base + "/orgs/WEB/settings/audit-log?q=product%3ABacklog+category%3ATest", browser.getCurrentUrl());
        assertTrue(byId("events-more").isDisplayed());
        byId("events-more").click();
        wait.until(d -> d.findElements(By.cssSelector("#events-table tbody tr")).size() == 75);
        assertFalse(byId("events-more").isDisplayed());
        for (WebElement r : browser.findElements(By.cssSelector("#events-table tbody tr"))) {
            assertTrue(
                    r.getText(), r.getText().contains("Backlog") && r.getText().contains("Test event"));
        }

        // a search typed in the box goes into the address, which another admin can open
        byId("q").clear();
        byId("q").sendKeys("actor:nobody-at-all");
        byId("search-button").click();
        wait.until(d -> text("events-status").equals("No events match."));
        assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().endsWith("?q=actor%3Anobody-at-all"));
        // back: the search before it
        browser.navigate().back();
        wait.until(d -> byId("q").getAttribute("value").equals("product:Backlog category:Test"));
        wait.until(d -> d.findElements(By.cssSelector("#events-table tbody tr")).size() == 50);
        byId("search-clear").click();
        wait.until(d -> browser.getCurrentUrl().equals(base + "/orgs/WEB/settings/audit-log"));
        wait.until(d -> d.findElements(By.cssSelector("#events-table tbody tr")).size() == 50);
        wait.until(d -> browser.findElements(By.cssSelector("#events-table tbody tr")).stream()
                .anyMatch(r -> r.getText().contains("Audit log")));
    }

    @Test
    public void theSearchBoxOffersKeysThenTheirValues() throws Exception {
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        WebElement q = byId("q");
        q.sendKeys("-pro");
        awaitVisible("q-suggestions");
        assertEquals("true", q.getAttribute("aria-expanded"));
        assertEquals(List.of("-product:"), suggestions());
        q.sendKeys(Keys.ARROW_DOWN);
        assertEquals("q-option-0", q.getAttribute("aria-activedescendant"));
        q.sendKeys(Keys.ENTER);
        // the key taken, its values next: the products the server knows
        wait.until(d -> suggestions().contains("-product:Backlog"));
        assertEquals("-product:", q.getAttribute("value"));
        assertEquals(
                List.of("-product:Apps", "-product:Backlog", "-product:Cacoo", "-product:Typetalk"), suggestions());
        q.sendKeys("ca");
        wait.until(d -> suggestions().equals(List.of("-product:Cacoo")));
        q.sendKeys(Keys.ARROW_DOWN, Keys.ENTER);
        assertEquals("-product:Cacoo ", q.getAttribute("value"));
        assertFalse(byId("q-suggestions").isDisplayed());
        // an event's name with spaces is quoted
        q.sendKeys("event:\"add an i");
        wait.until(d -> suggestions().contains("event:\"Add an issue\""));
        screenshot("search-suggestions");
        q.sendKeys(Keys.ESCAPE);
        assertFalse(byId("q-suggestions").isDisplayed());
        assertEquals("false", q.getAttribute("aria-expanded"));
    }

    @Test
    public void aQueryTheServerCannotReadIsMarkedWhereItStopped() throws Exception {
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        WebElement q = byId("q");
        // a query the server cannot read: its words, and the character where it stopped, marked and with the caret
        String bad = "product:Backlog created:2026-13-01";
        Api.Reply refused = server.api.get(
                "/api/v1/orgs/WEB/events?q=" + java.net.URLEncoder.encode(bad, StandardCharsets.UTF_8), owner);
        assertEquals(refused.toString(), 400, refused.status());
        assertEquals("invalid_query", refused.json().get("error").asText());
        int position = refused.json().get("position").asInt();
        q.clear();
        q.sendKeys(bad, Keys.ENTER);
        awaitVisible("q-error");
        assertTrue(
                text("q-error-text"),
                text("q-error-text").contains(refused.json().get("detail").asText()));
        assertTrue(text("q-error-text"), text("q-error-text").contains("At character " + (position + 1)));
        assertEquals(bad.substring(0, position), js("return document.getElementById('q-error-before').textContent"));
        assertEquals(
                position < bad.length() ? bad.substring(position, position + 1) : " ",
                js("return document.getElementById('q-error-at').textContent"));
        assertEquals("true", q.getAttribute("aria-invalid"));
        assertEquals(q, browser.switchTo().activeElement());
        assertEquals(((Number) js("return document.getElementById('q').selectionStart")).intValue(), position);
        assertEquals(
                0,
                browser.findElements(By.cssSelector("#events-table tbody tr")).size());
        screenshot("search-refused");
    }

    @Test
    public void theHistogramSetsTheTimeAndATopValueIsAddedToTheSearch() throws Exception {
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        browser.get(base + "/orgs/WEB/settings/audit-log?q=product%3ABacklog");
        awaitVisible("content");
        // by UTC day over the last 30 days, each bar named by its day and count, as the server counted
        JsonNode counted = server.api
                .get("/api/v1/orgs/WEB/events/histogram?q=product%3ABacklog", owner)
                .json();
        JsonNode buckets = counted.get("buckets");
        wait.until(d ->
                d.findElements(By.cssSelector("#histogram-bars button.bar")).size() == buckets.size());
        List<WebElement> bars = browser.findElements(By.cssSelector("#histogram-bars button.bar"));
        assertEquals(30, bars.size());
        JsonNode last = buckets.get(buckets.size() - 1);
        String today = Instant.now().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        assertEquals(
                today + "T00:00:00Z", Instant.parse(last.get("start").asText()).toString());
        long lastCount = last.get("count").asLong();
        assertEquals(
                today + ": " + lastCount + (lastCount == 1 ? " event" : " events"),
                bars.get(bars.size() - 1).getAttribute("aria-label"));
        assertTrue(
                text("histogram-summary"),
                text("histogram-summary").startsWith(counted.get("total").asLong() + " event"));
        screenshot("histogram");

        // a range dragged over three bars: its days, in the search and the address
        String first = Instant.parse(
                        buckets.get(buckets.size() - 3).get("start").asText())
                .toString()
                .substring(0, 10);
        new org.openqa.selenium.interactions.Actions(browser)
                .clickAndHold(bars.get(bars.size() - 3))
                .moveToElement(bars.get(bars.size() - 1))
                .release()
                .perform();
        String range = "product:Backlog created:" + first + ".." + today;
        wait.until(d -> byId("q").getAttribute("value").equals(range));
        assertTrue(browser.getCurrentUrl(), browser.getCurrentUrl().contains("created%3A" + first + ".." + today));
        wait.until(d -> text("events-status").endsWith("."));
        for (WebElement r : browser.findElements(By.cssSelector("#events-table tbody tr td.date time"))) {
            String day = r.getAttribute("datetime").substring(0, 10);
            assertTrue(day, day.compareTo(first) >= 0 && day.compareTo(today) <= 0);
        }

        // one day with the keyboard: its hours next, in the address too. The newest day with Backlog events (the
        // fill spreads them from the month's start to now: today may have none yet)
        String busy = null;
        for (JsonNode b : buckets) {
            if (b.get("count").asLong() > 0) {
                busy = b.get("start").asText().substring(0, 10);
            }
        }
        assertNotNull("a day of the last 30 has Backlog events", busy);
        String day = busy;
        WebElement todays = wait.until(d -> d.findElements(By.cssSelector("#histogram-bars button.bar")).stream()
                .filter(b -> b.getAttribute("aria-label").startsWith(day + ":"))
                .findFirst()
                .orElse(null));
        todays.sendKeys(Keys.ENTER);
        wait.until(d -> byId("q").getAttribute("value").equals("product:Backlog created:" + day));
        wait.until(d -> browser.getCurrentUrl().contains("interval=hour"));
        wait.until(d ->
                d.findElements(By.cssSelector("#histogram-bars button.bar")).size() == 24);
        assertEquals(
                "hour", new Select(byId("interval")).getFirstSelectedOption().getAttribute("value"));
        for (WebElement r : browser.findElements(By.cssSelector("#events-table tbody tr td.date time"))) {
            assertTrue(r.getAttribute("datetime").startsWith(day));
        }
        screenshot("histogram-hours");

        // a top value clicked: added to the search (Ann acted in every Backlog event here)
        WebElement ann = wait.until(d -> d.findElement(By.cssSelector("#facet-actors button[data-value='u1']")));
        assertTrue(ann.getText(), ann.getText().contains("Ann"));
        ann.click();
        wait.until(d -> byId("q").getAttribute("value").equals("product:Backlog created:" + day + " actor:u1"));
        wait.until(d -> text("events-status").endsWith("."));
        for (WebElement r : browser.findElements(By.cssSelector("#events-table tbody tr"))) {
            assertTrue(r.getText(), r.getText().contains("Ann"));
        }
        screenshot("facets");

        // the address, opened again, is the same view
        String address = browser.getCurrentUrl();
        String shown = text("events-status");
        browser.get(address);
        awaitVisible("content");
        wait.until(d -> text("events-status").equals(shown));
        assertEquals("product:Backlog created:" + day + " actor:u1", byId("q").getAttribute("value"));
        wait.until(d ->
                d.findElements(By.cssSelector("#histogram-bars button.bar")).size() == 24);
    }

    @Test
    public void aStreamIsCreatedTestedPausedChangedReplayedAndDeletedInItsSection() throws Exception {
        // a webhook receiver's address where nothing listens: every delivery fails on the network
        String nowhere = "http://127.0.0.1:" + ServerOptions.freePort() + "/hooks/auditlog";
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        tab("streams");
        awaitVisible("stream-new");

        // the form: a URL the server may not reach is refused, and the refusal is shown at the URL
        byId("stream-new").click();
        awaitDialog("stream-dialog");
        assertEquals(byId("stream-name"), browser.switchTo().activeElement());
        byId("stream-name").sendKeys("SIEM webhook");
        new Select(byId("stream-type")).selectByValue("webhook");
        assertFalse(byId("stream-host").isDisplayed());
        byId("stream-url").sendKeys("http://10.0.0.5/x");
        byId("stream-secret").sendKeys(StreamsIT.SECRET);
        assertEquals("password", byId("stream-secret").getAttribute("type"));
        browser.findElement(By.cssSelector("#stream-products input[value='Backlog']"))
                .click();
        byId("stream-save").click();
        awaitVisible("stream-url-error");
        assertTrue(text("stream-url-error"), text("stream-url-error").contains("10.0.0.5 is a private address"));
        assertEquals("true", byId("stream-url").getAttribute("aria-invalid"));
        assertEquals(byId("stream-url"), browser.switchTo().activeElement());
        assertFalse(byId("stream-form-error").isDisplayed());
        assertTrue(isOpen("stream-dialog"));
        assertEquals(List.of(), unlabelled());
        screenshot("stream-form-error");

        byId("stream-url").clear();
        byId("stream-url").sendKeys(nowhere);
        byId("stream-save").click();
        wait.until(d -> !isOpen("stream-dialog"));
        WebElement card = awaitStream("SIEM webhook");
        String id = card.getAttribute("data-stream");
        assertTrue(card.getText(), card.getText().contains("Webhook: " + nowhere));
        assertTrue(card.getText(), card.getText().contains("(secrets set: secret)"));
        assertEquals("Backlog", streamFact(id, 2));
        assertEquals("All categories", streamFact(id, 3));
        assertTrue(streamFact(id, 4), streamFact(id, 4).startsWith("Active: "));
        assertFalse(
                "the secret is in no element of the page",
                ((String) js("return document.documentElement.outerHTML")).contains(StreamsIT.SECRET));
        assertEquals("", byId("stream-secret").getAttribute("value"));

        // a test event: the receiver cannot be reached, so a retry on the network
        clickStream(id, "test");
        WebElement note =
                wait.until(d -> d.findElement(By.cssSelector("article[data-stream='" + id + "'] .stream-note.retry")));
        assertTrue(note.getText(), note.getText().startsWith("Test event not delivered: retry (network): "));
        // the stream's own place for Backlog: nothing delivered, its backlog, and the network error of its attempts
        WebElement backlog = wait.until(d -> {
            WebElement row =
                    d.findElement(By.cssSelector("article[data-stream='" + id + "'] tr[data-product='Backlog']"));
            return row.getText().contains("network") ? row : null;
        });
        assertTrue(backlog.getText(), backlog.getText().startsWith("Backlog none yet 75 none yet none yet "));
        assertEquals("Active: retrying, the destination fails (see Last error)", streamFact(id, 4));
        assertTrue(
                "only the products it streams",
                browser.findElements(By.cssSelector("article[data-stream='" + id + "'] tr[data-product='Apps']"))
                        .isEmpty());
        screenshot("streams", "streams-section");

        // pause and resume; focus stays on the one button, which says what it does next
        clickStream(id, "toggle");
        wait.until(d -> streamFact(id, 4).equals("Paused by you (owner); it keeps its place"));
        assertEquals("Resume", browser.switchTo().activeElement().getText());
        clickStream(id, "toggle");
        wait.until(d -> streamFact(id, 4).startsWith("Active: "));
        assertEquals("Pause", browser.switchTo().activeElement().getText());

        // a change: the secret left empty keeps the stored one
        clickStream(id, "edit");
        awaitDialog("stream-dialog");
        assertEquals(nowhere, byId("stream-url").getAttribute("value"));
        assertEquals("", byId("stream-secret").getAttribute("value"));
        assertTrue(text("stream-secret-help"), text("stream-secret-help").startsWith("Leave empty to keep"));
        assertTrue(browser.findElement(By.cssSelector("#stream-products input[value='Backlog']"))
                .isSelected());
        byId("stream-name").clear();
        byId("stream-name").sendKeys("SIEM");
        byId("stream-save").click();
        wait.until(d -> !isOpen("stream-dialog"));
        awaitStream("SIEM");
        JsonNode changed =
                server.api.get("/api/v1/orgs/WEB/streams/" + id, owner).json();
        assertEquals("SIEM", changed.get("name").asText());
        assertEquals("secret", changed.get("destination").get("secrets").get(0).asText());

        // a replay from a UTC date and time
        clickStream(id, "replay");
        awaitDialog("replay-dialog");
        byId("replay-button").click();
        wait.until(d -> !isOpen("replay-dialog"));
        String today = Instant.now().atOffset(ZoneOffset.UTC).toLocalDate().toString();
        assertEquals(
                "The stream SIEM delivers again from " + today + " 00:00:00.000 +00:00.",
                js("return document.getElementById('streams-status').textContent"));

        // deleting asks first
        clickStream(id, "delete");
        awaitDialog("delete-stream-dialog");
        assertTrue(text("delete-stream-text"), text("delete-stream-text").contains(nowhere));
        screenshot("stream-delete");
        byId("delete-stream-button").click();
        wait.until(d -> !isOpen("delete-stream-dialog"));
        wait.until(d -> d.findElements(By.cssSelector("article[data-stream='" + id + "']"))
                .isEmpty());
        awaitVisible("streams-empty");
        assertEquals(byId("stream-new"), browser.switchTo().activeElement());
        assertEquals(
                404, server.api.get("/api/v1/orgs/WEB/streams/" + id, owner).status());
    }

    @Test
    public void splunkHecAndS3StreamsAreCreatedAndChangedFromTheForm() throws Exception {
        // a collector's address where nothing listens (loopback, which the server may reach over plain HTTP)
        String collector = "http://127.0.0.1:" + ServerOptions.freePort();
        String token = "0f5e2d1c-3b4a-4968-8776-a5b4c3d2e1f0";
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        tab("streams");
        awaitVisible("stream-new");
        try {
            byId("stream-new").click();
            awaitDialog("stream-dialog");
            byId("stream-name").sendKeys("Splunk");
            new Select(byId("stream-type")).selectByValue("splunk-hec");
            assertTrue(byId("stream-hec-url").isDisplayed());
            assertFalse(byId("stream-url").isDisplayed());
            assertFalse(byId("stream-host").isDisplayed());
            assertTrue("a HEC trusts a private CA too", byId("stream-ca").isDisplayed());
            assertEquals("password", byId("stream-hec-token").getAttribute("type"));
            assertTrue(
                    text("stream-hec-token-help"), text("stream-hec-token-help").contains("never shown again"));
            assertTrue(byId("stream-hec-ack").isSelected());
            assertEquals(List.of(), unlabelled());

            // the API's refusal of the collector's URL is shown at the HEC's URL, not at the webhook's
            byId("stream-hec-url").sendKeys(collector + "/services/collector/event");
            byId("stream-save").click();
            awaitVisible("stream-hec-url-error");
            assertTrue(
                    text("stream-hec-url-error"), text("stream-hec-url-error").contains("without /services/collector"));
            assertEquals("true", byId("stream-hec-url").getAttribute("aria-invalid"));
            assertEquals(byId("stream-hec-url"), browser.switchTo().activeElement());
            assertFalse(byId("stream-form-error").isDisplayed());
            screenshot("stream-form-splunk");

            // no token at creation: refused at the token's field
            byId("stream-hec-url").clear();
            byId("stream-hec-url").sendKeys(collector);
            byId("stream-save").click();
            awaitVisible("stream-hec-token-error");
            assertTrue(
                    text("stream-hec-token-error"),
                    text("stream-hec-token-error").contains("is required"));
            assertFalse(byId("stream-hec-url-error").isDisplayed());
            assertEquals(byId("stream-hec-token"), browser.switchTo().activeElement());

            byId("stream-hec-token").sendKeys(token);
            byId("stream-hec-index").sendKeys("audit");
            byId("stream-hec-host").sendKeys("auditlog.web.example");
            byId("stream-hec-ack").click();
            byId("stream-save").click();
            wait.until(d -> !isOpen("stream-dialog"));
            WebElement card = awaitStream("Splunk");
            String id = card.getAttribute("data-stream");
            assertEquals("Splunk HEC: " + collector + ", index audit (secrets set: token)", streamFact(id, 1));
            assertFalse(
                    "the token is in no element of the page",
                    ((String) js("return document.documentElement.outerHTML")).contains(token));
            JsonNode d = server.api
                    .get("/api/v1/orgs/WEB/streams/" + id, owner)
                    .json()
                    .get("destination");
            assertEquals("splunk-hec", d.get("type").asText());
            assertEquals(collector, d.get("url").asText());
            assertEquals("audit", d.get("index").asText());
            assertEquals("auditlog:v1", d.get("sourcetype").asText());
            assertEquals("auditlog", d.get("source").asText());
            assertEquals("auditlog.web.example", d.get("host").asText());
            assertEquals("false", d.get("ack").asText());
            assertEquals("[\"token\"]", d.get("secrets").toString());

            // a change: the form shows the settings, the token left empty keeps the stored one
            clickStream(id, "edit");
            awaitDialog("stream-dialog");
            assertEquals(
                    "splunk-hec",
                    new Select(byId("stream-type")).getFirstSelectedOption().getAttribute("value"));
            assertEquals(collector, byId("stream-hec-url").getAttribute("value"));
            assertEquals("audit", byId("stream-hec-index").getAttribute("value"));
            assertEquals("auditlog:v1", byId("stream-hec-sourcetype").getAttribute("value"));
            assertFalse(byId("stream-hec-ack").isSelected());
            assertEquals("", byId("stream-hec-token").getAttribute("value"));
            assertTrue(
                    text("stream-hec-token-help"), text("stream-hec-token-help").startsWith("Leave empty to keep"));
            byId("stream-hec-index").clear();
            byId("stream-hec-index").sendKeys("security");
            byId("stream-save").click();
            wait.until(d2 -> !isOpen("stream-dialog"));
            wait.until(d2 -> streamFact(id, 1).contains(", index security"));
            JsonNode changed = server.api
                    .get("/api/v1/orgs/WEB/streams/" + id, owner)
                    .json()
                    .get("destination");
            assertEquals("security", changed.get("index").asText());
            assertEquals("[\"token\"]", changed.get("secrets").toString());

            // the form for an S3 bucket: its fields shown, each with its label, the secrets as password fields
            byId("stream-new").click();
            awaitDialog("stream-dialog");
            new Select(byId("stream-type")).selectByValue("s3");
            Map<String, String> labels = new java.util.LinkedHashMap<>();
            labels.put("stream-s3-bucket", "Bucket");
            labels.put("stream-s3-region", "Region");
            labels.put("stream-s3-endpoint", "Endpoint of an S3-compatible service (optional)");
            labels.put(
                    "stream-s3-path-style",
                    "Path-style addresses (endpoint/bucket/key instead of bucket.endpoint/key,"
                            + " as most S3-compatible servers need)");
            labels.put("stream-s3-prefix", "Key prefix");
            labels.put("stream-s3-access-key", "Access key ID");
            labels.put("stream-s3-secret-key", "Secret access key");
            for (Map.Entry<String, String> field : labels.entrySet()) {
                assertTrue(field.getKey(), byId(field.getKey()).isDisplayed());
                assertEquals(field.getKey(), field.getValue(), labelOf(field.getKey()));
            }
            assertFalse(byId("stream-s3-path-style").isSelected());
            assertEquals("password", byId("stream-s3-access-key").getAttribute("type"));
            assertEquals("password", byId("stream-s3-secret-key").getAttribute("type"));
            assertTrue(
                    text("stream-s3-secret-key-help"),
                    text("stream-s3-secret-key-help").contains("never shown again"));
            assertFalse("an S3 destination has no CA setting", byId("stream-ca").isDisplayed());
            assertFalse(byId("stream-hec-url").isDisplayed());
            assertFalse(byId("stream-url").isDisplayed());
            assertEquals(List.of(), unlabelled());
            screenshot("stream-form-s3");

            // a bucket name off S3's rules: refused at the bucket's field
            String endpoint = "http://127.0.0.1:" + ServerOptions.freePort();
            String keyId = "AKIAIOSFODNN7EXAMPLE";
            String secretKey = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
            byId("stream-name").sendKeys("Bucket");
            byId("stream-s3-bucket").sendKeys("Audit_Logs");
            byId("stream-s3-endpoint").sendKeys(endpoint);
            byId("stream-s3-path-style").click();
            byId("stream-s3-prefix").sendKeys("web/");
            byId("stream-s3-access-key").sendKeys(keyId);
            byId("stream-s3-secret-key").sendKeys(secretKey);
            byId("stream-save").click();
            awaitVisible("stream-s3-bucket-error");
            assertTrue(
                    text("stream-s3-bucket-error"),
                    text("stream-s3-bucket-error").contains("lower-case letters"));
            assertEquals("true", byId("stream-s3-bucket").getAttribute("aria-invalid"));
            byId("stream-s3-bucket").clear();
            byId("stream-s3-bucket").sendKeys("audit-logs");
            byId("stream-save").click();
            wait.until(d2 -> !isOpen("stream-dialog"));
            WebElement bucket = awaitStream("Bucket");
            String s3Id = bucket.getAttribute("data-stream");
            assertTrue(streamFact(s3Id, 1), streamFact(s3Id, 1).startsWith("S3: s3://audit-logs/web/ at " + endpoint));
            String html = (String) js("return document.documentElement.outerHTML");
            assertFalse("neither key is in the page", html.contains(keyId) || html.contains(secretKey));
            JsonNode s3 = server.api
                    .get("/api/v1/orgs/WEB/streams/" + s3Id, owner)
                    .json()
                    .get("destination");
            assertEquals("s3", s3.get("type").asText());
            assertEquals("audit-logs", s3.get("bucket").asText());
            assertEquals(endpoint, s3.get("endpoint").asText());
            assertEquals("true", s3.get("pathStyle").asText());
            assertEquals("web/", s3.get("prefix").asText());
            assertEquals(
                    "[\"accessKeyId\",\"secretAccessKey\"]", s3.get("secrets").toString());

            // a change: the keys left empty keep the stored ones
            clickStream(s3Id, "edit");
            awaitDialog("stream-dialog");
            assertEquals("audit-logs", byId("stream-s3-bucket").getAttribute("value"));
            assertTrue(byId("stream-s3-path-style").isSelected());
            assertEquals("", byId("stream-s3-secret-key").getAttribute("value"));
            assertTrue(
                    text("stream-s3-secret-key-help"),
                    text("stream-s3-secret-key-help").startsWith("Leave empty to keep"));
            byId("stream-s3-prefix").clear();
            byId("stream-s3-prefix").sendKeys("auditlog/web/");
            byId("stream-save").click();
            wait.until(d2 -> !isOpen("stream-dialog"));
            wait.until(d2 -> streamFact(s3Id, 1).contains("s3://audit-logs/auditlog/web/"));
            JsonNode s3Changed = server.api
                    .get("/api/v1/orgs/WEB/streams/" + s3Id, owner)
                    .json()
                    .get("destination");
            assertEquals("auditlog/web/", s3Changed.get("prefix").asText());
            assertEquals(
                    "[\"accessKeyId\",\"secretAccessKey\"]",
                    s3Changed.get("secrets").toString());
        } finally {
            // the organization's other stream tests start from no stream
            for (JsonNode s :
                    server.api.get("/api/v1/orgs/WEB/streams", owner).json().get("streams")) {
                String type = s.get("destination").get("type").asText();
                if (type.equals("splunk-hec") || type.equals("s3")) {
                    server.api.delete("/api/v1/orgs/WEB/streams/" + s.get("id").asText(), owner);
                }
            }
        }
    }

    @Test
    public void aPageOfAnotherSiteCannotExportWithTheSignedInSession() throws Exception {
        browser.get(base + "/");
        signIn(owner);
        awaitVisible("content");
        int jobs = server.api
                .get("/api/v1/orgs/WEB/exports", owner)
                .json()
                .get("exports")
                .size();
        // another site (127.0.0.1 is not localhost) posts a form, which no CORS rule stops, at the export call, and
        // leads the browser to the session call
        String target = base + "/api/v1/orgs/WEB/exports";
        String form = "<!DOCTYPE html><html><head><title>prize</title></head><body>"
                + "<form id=f method=post enctype=text/plain action=\"" + target + "\">"
                + "<input name='{\"product\":\"Backlog\",\"x\":\"' value='\"}'></form>"
                + "<script>document.getElementById('f').submit()</script></body></html>";
        String lead = "<!DOCTYPE html><html><head><title>prize</title></head><body>"
                + "<script>window.location.href = '" + base + "/api/v1/session'</script></body></html>";
        com.sun.net.httpserver.HttpServer evil =
                com.sun.net.httpserver.HttpServer.create(new java.net.InetSocketAddress("127.0.0.1", 0), 0);
        evil.createContext("/", exchange -> {
            byte[] body =
                    (exchange.getRequestURI().getPath().equals("/lead") ? lead : form).getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().set("Content-Type", "text/html; charset=utf-8");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        evil.start();
        try {
            String site = "http://127.0.0.1:" + evil.getAddress().getPort();
            browser.get(site + "/");
            wait.until(d -> d.getCurrentUrl().equals(target));
            String answer = browser.findElement(By.tagName("body")).getText();
            assertTrue(answer, answer.contains("\"error\":") && !answer.contains("\"state\""));
            // SameSite=Strict: coming from another site, the browser sends no session cookie at all
            browser.get(site + "/lead");
            wait.until(d -> d.getCurrentUrl().equals(base + "/api/v1/session"));
            answer = browser.findElement(By.tagName("body")).getText();
            assertTrue(answer, answer.contains("\"error\":\"unauthorized\"") && answer.contains("Cookie"));
        } finally {
            evil.stop(0);
        }
        assertEquals(
                jobs,
                server.api
                        .get("/api/v1/orgs/WEB/exports", owner)
                        .json()
                        .get("exports")
                        .size());
        // and the session itself still works on the page's own origin
        browser.get(base + "/orgs/WEB/settings/audit-log");
        awaitVisible("content");
    }

    // ---------------------------------------------------------------------------------------------------------

    private void signIn(String token) {
        awaitVisible("sign-in-form");
        byId("token").sendKeys(token);
        byId("sign-in-form")
                .findElement(By.cssSelector("button[type='submit']"))
                .click();
    }

    /**
     * The form controls and buttons of the screen that have no name a screen reader could say: no label, no
     * {@code aria-label}, no text. Hidden ones are left out.
     */
    @SuppressWarnings("unchecked")
    private List<String> unlabelled() {
        return (List<String>) js("return [...document.querySelectorAll('input, select, textarea, button')]"
                + ".filter(e => e.offsetParent !== null && e.type !== 'hidden')"
                + ".filter(e => !(e.labels && e.labels.length) && !e.getAttribute('aria-label')"
                + " && !(e.tagName === 'BUTTON' && e.textContent.trim()))"
                + ".map(e => e.id || e.outerHTML.slice(0, 80))");
    }

    /** The text of the label of a form control, as a screen reader names it (spaces made single). */
    private String labelOf(String id) {
        return ((String) js("const e = document.getElementById('" + id + "');"
                        + "return e.labels.length ? e.labels[0].textContent : ''"))
                .replaceAll("\\s+", " ")
                .strip();
    }

    /** The card of the stream of that name, once the list shows it. */
    private WebElement awaitStream(String name) {
        return wait.until(d -> d.findElements(By.cssSelector("#streams-list article")).stream()
                .filter(a -> a.findElement(By.tagName("h3")).getText().equals(name))
                .findFirst()
                .orElse(null));
    }

    /** The n-th fact (1: destination, 2: products, 3: categories, 4: state) of a stream's card, as shown. */
    private String streamFact(String id, int n) {
        return browser.findElement(By.cssSelector("article[data-stream='" + id + "'] dl dd:nth-of-type(" + n + ")"))
                .getText()
                .strip();
    }

    /** Clicks an action of a stream's card, looking again when a refresh has just built the card anew. */
    private void clickStream(String id, String action) {
        wait.until(d -> {
            d.findElement(By.cssSelector("article[data-stream='" + id + "'] button[data-action='" + action + "']"))
                    .click();
            return true;
        });
    }

    /** The suggestions offered under the search box, as shown. */
    private List<String> suggestions() {
        return browser.findElements(By.cssSelector("#q-suggestions li code")).stream()
                .map(WebElement::getText)
                .toList();
    }

    /** Shows a section of the page by its tab. */
    private void tab(String name) {
        byId("tab-" + name).click();
        awaitVisible(name + "-section");
    }

    private WebElement byId(String id) {
        return browser.findElement(By.id(id));
    }

    private String text(String id) {
        return byId(id).getText().strip();
    }

    private Object js(String script) {
        return ((JavascriptExecutor) browser).executeScript(script);
    }

    private boolean isOpen(String dialog) {
        return Boolean.TRUE.equals(js("return document.getElementById('" + dialog + "').open"));
    }

    private void awaitDialog(String id) {
        wait.until(d -> isOpen(id));
    }

    private void awaitVisible(String id) {
        wait.until(d -> {
            try {
                return d.findElement(By.id(id)).isDisplayed();
            } catch (org.openqa.selenium.WebDriverException e) {
                // a look that met the page navigating (signing in leads on to the settings page): look again
                if (e.getMessage() != null && e.getMessage().contains("aborted by navigation")) {
                    return false;
                }
                throw e;
            }
        });
    }

    /** Waits (bounded) until the browser has saved a file of that name in full. */
    private Path awaitDownload(String name) {
        Path file = downloads.resolve(name);
        wait.until(d -> {
            try (Stream<Path> files = Files.list(downloads)) {
                return Files.isRegularFile(file)
                        && files.noneMatch(p -> p.toString().endsWith(".crdownload"));
            } catch (IOException e) {
                return false;
            }
        });
        return file;
    }

    /**
     * Saves the screen at a desktop's width and at a phone's (390 px), and checks it at both with axe-core: no
     * finding of serious or critical impact (a screen of a failed test is only saved).
     */
    private void screenshot(String name) throws IOException {
        screenshot(name, null);
    }

    /** The same, the element of that id scrolled to the top of the screen at each width. */
    private void screenshot(String name, String scrollTo) throws IOException {
        scrollTo(scrollTo);
        Path dir = Files.createDirectories(Path.of(System.getProperty("it.screenshots", "target/screenshots")));
        Files.write(dir.resolve(name + "-desktop.png"), browser.getScreenshotAs(OutputType.BYTES));
        boolean check = !name.startsWith("failed-");
        if (check) {
            assertAccessible(name + " (desktop)");
        }
        Dimension size = browser.manage().window().getSize();
        browser.manage().window().setSize(new Dimension(390, 844));
        try {
            scrollTo(scrollTo);
            Files.write(dir.resolve(name + "-phone.png"), browser.getScreenshotAs(OutputType.BYTES));
            if (check) {
                assertAccessible(name + " (phone)");
            }
        } finally {
            browser.manage().window().setSize(size);
        }
    }

    private void scrollTo(String id) {
        if (id != null) {
            js("document.getElementById('" + id + "').scrollIntoView({block: 'start'})");
        }
    }

    /** axe-core's engine, as Deque ships it (the jar of com.deque.html.axe-core:selenium). */
    private static String axe;

    /**
     * Runs axe-core in the page as it is now (WCAG 2.0, 2.1 and 2.2 A and AA rules and axe's best practices) and
     * fails on any finding of serious or critical impact, naming the rule and the elements. Each screen's
     * findings, of any impact, are written beside its screenshots ({@code <screen>-axe.json}).
     */
    private void assertAccessible(String screen) throws IOException {
        if (axe == null) {
            try (var in = WebPageIT.class.getClassLoader().getResourceAsStream("axe.min.js")) {
                assertNotNull("axe.min.js on the test class path", in);
                axe = new String(in.readAllBytes(), StandardCharsets.UTF_8);
            }
        }
        JavascriptExecutor js = (JavascriptExecutor) browser;
        // once per page: the phone-sized look at a screen runs in the page the desktop look loaded it in
        if (!Boolean.TRUE.equals(js.executeScript("return typeof axe === 'object'"))) {
            js.executeScript(axe);
        }
        Object result = js.executeAsyncScript("const done = arguments[arguments.length - 1];"
                + "axe.run(document, {resultTypes: ['violations']}).then(r => done(JSON.stringify("
                + "r.violations.map(v => ({id: v.id, impact: v.impact, help: v.help,"
                + " nodes: v.nodes.slice(0, 5).map(n => n.target.join(' '))})))))"
                + ".catch(e => done('axe failed: ' + e));");
        String json = String.valueOf(result);
        assertFalse(json, json.startsWith("axe failed"));
        Path dir = Files.createDirectories(Path.of(System.getProperty("it.screenshots", "target/screenshots")));
        Files.writeString(dir.resolve(screen.replaceAll("[^A-Za-z0-9-]+", "-") + "axe.json"), json);
        List<String> severe = new ArrayList<>();
        for (var v : new com.fasterxml.jackson.databind.ObjectMapper().readTree(json)) {
            String impact = v.path("impact").asText();
            if (impact.equals("serious") || impact.equals("critical")) {
                severe.add(impact + " " + v.path("id").asText() + ": "
                        + v.path("help").asText() + " at " + v.path("nodes"));
            }
        }
        assertTrue("axe-core on " + screen + ": " + severe, severe.isEmpty());
    }

    /** The export mail of a product, once it has arrived (bounded wait). */
    private static MimeMessage awaitMail(String product) throws Exception {
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (System.nanoTime() < deadline) {
            for (MimeMessage m : smtp.getReceivedMessages()) {
                if (m.getSubject().startsWith("Audit log export ready")
                        && m.getSubject().contains(product)) {
                    return m;
                }
            }
            smtp.waitForIncomingEmail(1000, smtp.getReceivedMessages().length + 1);
        }
        throw new AssertionError("no export mail for " + product + " within 60 s");
    }

    private static String mailedLink(MimeMessage mail) throws Exception {
        Matcher m = LINK.matcher(MailIT.parts(mail).get("text/plain"));
        assertTrue(MailIT.parts(mail).get("text/plain"), m.find());
        return m.group(1) + URLDecoder.decode(m.group(2), StandardCharsets.UTF_8);
    }

    static void member(Api api, String spaceKey, String userId, String name, String email, String role)
            throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/orgs/" + spaceKey + "/members",
                TOKEN,
                "application/json",
                "{\"userId\":\"" + userId + "\",\"name\":\"" + name + "\",\"email\":\"" + email + "\",\"role\":\""
                        + role + "\"}");
        assertEquals(r.toString(), 201, r.status());
    }

    static String memberToken(Api api, String spaceKey, String userId) throws Exception {
        return memberToken(api, spaceKey, userId, TOKEN);
    }

    static String memberToken(Api api, String spaceKey, String userId, String operator) throws Exception {
        Api.Reply r = api.post(
                "/api/v1/admin/tokens",
                operator,
                "application/json",
                "{\"kind\":\"member\",\"spaceKey\":\"" + spaceKey + "\",\"userId\":\"" + userId + "\"}");
        assertEquals(r.toString(), 201, r.status());
        return r.json().get("token").asText();
    }
}
