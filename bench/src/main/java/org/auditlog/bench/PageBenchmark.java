package org.auditlog.bench;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.net.ServerSocket;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import org.openqa.selenium.By;
import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The audit log settings page in headless Chromium, over the same store as {@link QueryBenchmark}: an
 * organization of {@code bigEvents} events (default 10,000,000), one of 10,000, and 1,000 of 100 around them.
 *
 * <p>Each shape is the page opened at {@code /orgs/{key}/settings/audit-log?{filters}}, the way a bookmarked or
 * shared view is opened, by an admin already signed in: the time is the browser's own, from the start of the
 * navigation to the page's {@code auditlog-ready} User Timing mark (set once the organization, products, export
 * jobs, past months, streams, Audit Log Admins and the first 50 events are all on the screen). "load more" is the time
 * from the click to the next 50 rows in the table ({@code auditlog-events} mark). The baseline, measured in the
 * same run against the same server, is the REST call the page makes for those events, from a plain HTTP client:
 * {@code page / API} says what the page adds, {@code big / 10k} what the size of the organization adds.
 * Arguments: distribution folder, bigEvents, chromium, chromedriver, and optionally the data folder of an earlier
 * run to measure again without filling it (the organizations' owners get new member tokens).
 */
public final class PageBenchmark {
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int WARMUP = 3;
    private static final int TIMES = 30;
    private static final int MORE = 20;

    public static void main(String[] args) throws Exception {
        Path dist = Path.of(args[0]).toAbsolutePath();
        int bigEvents = args.length > 1 ? Integer.parseInt(args[1]) : 10_000_000;
        Path chromium = Path.of(args.length > 2 ? args[2] : "/usr/bin/chromium");
        Path chromedriver = Path.of(args.length > 3 ? args[3] : "/usr/bin/chromedriver");
        if (!Files.isExecutable(dist.resolve("bin/auditlog"))) {
            throw new IllegalStateException("no distribution at " + dist + " (build it with mvn package first)");
        }
        if (!Files.isExecutable(chromium) || !Files.isExecutable(chromedriver)) {
            throw new IllegalStateException("the page benchmark needs Chromium at " + chromium + " and its driver at "
                    + chromedriver + " (apt-get install -y chromium chromium-driver)");
        }
        // a fifth argument names the data folder of an earlier run (kept when it failed) to measure again
        boolean reuse = args.length > 4 && args[4] != null && !args[4].isBlank();
        Path data = reuse ? Path.of(args[4]).toAbsolutePath() : Files.createTempDirectory("auditlog-bench-page");
        int port;
        try (ServerSocket s = new ServerSocket(0)) {
            port = s.getLocalPort();
        }
        System.out.printf(
                "Page benchmark: %,d events of %s, %,d of %s, %,d organizations of %,d; %d cores, %s, Java %s%n",
                bigEvents,
                QueryBenchmark.BIG,
                QueryBenchmark.SMALL_EVENTS,
                QueryBenchmark.SMALL,
                QueryBenchmark.OTHER_ORGS,
                QueryBenchmark.OTHER_EVENTS,
                Runtime.getRuntime().availableProcessors(),
                System.getProperty("os.name") + " " + System.getProperty("os.arch"),
                System.getProperty("java.version"));
        System.out.println("data folder: " + data + (reuse ? " (of an earlier run)" : ""));

        HttpClient http =
                HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
        Instant end = LocalDate.now(ZoneOffset.UTC).atStartOfDay(ZoneOffset.UTC).toInstant();
        Map<String, String> tokens =
                reuse ? Map.of() : QueryBenchmark.setUpStore(dist, data, port, http, end, bigEvents);

        String base = "http://127.0.0.1:" + port;
        Process p = ExportBenchmark.start(dist, data, port, "run");
        Map<String, WebDriver> browsers = new LinkedHashMap<>();
        try {
            long started = System.nanoTime();
            IngestBenchmark.awaitHealthy(http, port);
            QueryBenchmark.awaitIndexed(data.resolve("server-run.log"), started);
            if (reuse) {
                tokens = QueryBenchmark.newTokens(http, port);
            }
            for (Map.Entry<String, String> org : tokens.entrySet()) {
                WebDriver browser = browser(chromium, chromedriver);
                browsers.put(org.getKey(), browser);
                signIn(browser, base, org.getKey(), org.getValue());
            }
            String day = LocalDate.ofInstant(end.minus(5, ChronoUnit.DAYS), ZoneOffset.UTC)
                    .toString();
            Map<String, String> shapes = new LinkedHashMap<>();
            shapes.put("newest", "");
            shapes.put("local time zone", "tz=local");
            shapes.put("product", "product=Backlog");
            shapes.put("user (id)", "user=user0042");
            shapes.put("user (email)", "user=" + enc("user42@example.com"));
            shapes.put("category+event", "category=Billing&event=" + enc("Change payment"));
            shapes.put("one day", "from=" + day + "&to=" + day);
            shapes.put("product+category+day", "product=Cacoo&category=Member&from=" + day + "&to=" + day);
            shapes.put("user nobody", "user=nobody");
            // the search language in the address, as a shared view opens: the events, their histogram and facets
            shapes.put("q word", "q=" + enc("payment"));
            shapes.put("q rare word", "q=" + enc(Integer.toString(bigEvents / 2)));
            shapes.put("q CIDR", "q=" + enc("ip:203.0.113.16/28"));
            shapes.put("q product -event", "q=" + enc("product:Backlog -event:\"Sign in\""));
            shapes.put("q actor phrase", "q=" + enc("actor:user0042 \"remove member\""));
            System.out.printf(
                    "%-22s %9s %9s %9s %9s %9s %9s %7s %7s  %s%n",
                    "page opened with",
                    "p50 big",
                    "p99 big",
                    "p50 10k",
                    "p99 10k",
                    "events",
                    "API all",
                    "big/10k",
                    "page/API",
                    "shown (big)");
            for (Map.Entry<String, String> shape : shapes.entrySet()) {
                Timing big = open(browsers.get(QueryBenchmark.BIG), base, QueryBenchmark.BIG, shape.getValue());
                Timing small = open(browsers.get(QueryBenchmark.SMALL), base, QueryBenchmark.SMALL, shape.getValue());
                Timing[] api = api(http, base, QueryBenchmark.BIG, tokens.get(QueryBenchmark.BIG), shape.getValue());
                System.out.printf(
                        "%-22s %7.1fms %7.1fms %7.1fms %7.1fms %7.1fms %7.1fms %7.2f %7.2f  %s%n",
                        shape.getKey(),
                        big.p50,
                        big.p99,
                        small.p50,
                        small.p99,
                        api[0].p99,
                        api[1].p99,
                        big.p99 / small.p99,
                        big.p99 / api[1].p99,
                        big.shown);
            }
            Timing moreBig = loadMore(browsers.get(QueryBenchmark.BIG), base, QueryBenchmark.BIG);
            Timing moreSmall = loadMore(browsers.get(QueryBenchmark.SMALL), base, QueryBenchmark.SMALL);
            Timing apiMore = apiPages(http, base, QueryBenchmark.BIG, tokens.get(QueryBenchmark.BIG));
            System.out.printf(
                    "%-22s %7.1fms %7.1fms %7.1fms %7.1fms %7.1fms %9s %7.2f %7.2f  %s%n",
                    "load more (x" + MORE + ")",
                    moreBig.p50,
                    moreBig.p99,
                    moreSmall.p50,
                    moreSmall.p99,
                    apiMore.p99,
                    "",
                    moreBig.p99 / moreSmall.p99,
                    moreBig.p99 / apiMore.p99,
                    moreBig.shown);
            System.out.println(
                    "page: navigation start to everything on the screen (load more: click to the rows), in "
                            + "the browser; p99 of " + TIMES
                            + " is their slowest. API: the events call / all the page's calls in "
                            + "turn, over HTTP from a plain client; page/API is page p99 / API (all) p99 (load more: / events)");
        } finally {
            for (WebDriver browser : browsers.values()) {
                browser.quit();
            }
            ExportBenchmark.stop(p);
        }
        if (!reuse) {
            ExportBenchmark.deleteTree(data);
        }
    }

    record Timing(double p50, double p99, String shown) {
        static Timing of(double[] ms, String shown) {
            Arrays.sort(ms);
            return new Timing(ms[ms.length / 2], ms[(int) Math.ceil(ms.length * 0.99) - 1], shown);
        }
    }

    private static WebDriver browser(Path chromium, Path chromedriver) {
        ChromeOptions options = new ChromeOptions();
        options.setBinary(chromium.toFile());
        options.addArguments(
                "--headless=new",
                "--no-sandbox",
                "--disable-dev-shm-usage",
                "--disable-gpu",
                "--window-size=1280,900",
                "--lang=en-US");
        ChromeDriverService service = new ChromeDriverService.Builder()
                .usingDriverExecutable(chromedriver.toFile())
                .usingAnyFreePort()
                .build();
        WebDriver browser = new ChromeDriver(service, options);
        browser.manage().timeouts().scriptTimeout(Duration.ofSeconds(120));
        return browser;
    }

    private static void signIn(WebDriver browser, String base, String spaceKey, String token) {
        browser.get(base + "/");
        WebDriverWait wait = new WebDriverWait(browser, Duration.ofSeconds(60));
        wait.until(d -> d.findElement(By.id("sign-in-form")).isDisplayed());
        browser.findElement(By.id("token")).sendKeys(token);
        browser.findElement(By.cssSelector("#sign-in-form button[type='submit']"))
                .click();
        wait.until(d -> d.getCurrentUrl().equals(base + "/orgs/" + spaceKey + "/settings/audit-log"));
    }

    /** The page opened with the filters in its address, as a bookmark opens it: navigation start to ready. */
    private static Timing open(WebDriver browser, String base, String spaceKey, String filters) {
        String url = base + "/orgs/" + spaceKey + "/settings/audit-log" + (filters.isEmpty() ? "" : "?" + filters);
        double[] ms = new double[TIMES];
        for (int i = -WARMUP; i < TIMES; i++) {
            browser.get(url);
            double ready = ((Number) js(
                            browser,
                            "const done = arguments[arguments.length - 1];"
                                    + "(function poll() { const m = performance.getEntriesByName('auditlog-ready');"
                                    + " if (m.length) done(m[0].startTime); else setTimeout(poll, 2); })();"))
                    .doubleValue();
            if (i >= 0) {
                ms[i] = ready;
            }
        }
        return Timing.of(ms, shown(browser));
    }

    /** "Load more" pressed {@code MORE} times on the newest events: the click to the next page in the table. */
    private static Timing loadMore(WebDriver browser, String base, String spaceKey) {
        double[] ms = new double[MORE];
        browser.get(base + "/orgs/" + spaceKey + "/settings/audit-log");
        js(
                browser,
                "const done = arguments[arguments.length - 1];"
                        + "(function poll() { if (performance.getEntriesByName('auditlog-ready').length) done(1);"
                        + " else setTimeout(poll, 2); })();");
        for (int i = 0; i < MORE; i++) {
            ms[i] = ((Number)
                            js(
                                    browser,
                                    "const done = arguments[arguments.length - 1];"
                                            + "const before = performance.getEntriesByName('auditlog-events').length; const t = performance.now();"
                                            + "document.getElementById('events-more').click();"
                                            + "(function poll() { const m = performance.getEntriesByName('auditlog-events');"
                                            + " if (m.length > before) done(m[m.length - 1].startTime - t); else setTimeout(poll, 2); })();"))
                    .doubleValue();
        }
        return Timing.of(ms, shown(browser));
    }

    private static String shown(WebDriver browser) {
        String error = browser.findElement(By.id("events-error")).isDisplayed()
                ? " ERROR: " + browser.findElement(By.id("events-error")).getText()
                : "";
        return browser.findElement(By.id("events-status")).getText() + error;
    }

    private static Object js(WebDriver browser, String script) {
        return ((JavascriptExecutor) browser).executeAsyncScript(script);
    }

    /**
     * The baselines, from a plain HTTP client with the member token: the events call the page makes, and every
     * call the page makes to show itself, one after the other (the page makes the last six at once).
     */
    private static Timing[] api(HttpClient http, String base, String spaceKey, String token, String filters)
            throws Exception {
        String query = filters.replace("tz=local", "");
        String org = base + "/api/v1/orgs/" + spaceKey;
        String events = org + "/events?" + (query.isEmpty() ? "" : query + "&") + "limit=50";
        // (and GET /api/v1/session, which answers only to the session cookie)
        String[] page = {
            org,
            base + "/api/v1/products",
            org + "/exports",
            org + "/archives",
            org + "/streams",
            org + "/audit-admins",
            org + "/members",
            events
        };
        double[] one = new double[TIMES];
        double[] all = new double[TIMES];
        for (int i = -WARMUP; i < TIMES; i++) {
            long t = System.nanoTime();
            get(http, events, token);
            long u = System.nanoTime();
            for (String url : page) {
                get(http, url, token);
            }
            if (i >= 0) {
                one[i] = (u - t) / 1e6;
                all[i] = (System.nanoTime() - u) / 1e6;
            }
        }
        return new Timing[] {Timing.of(one, ""), Timing.of(all, "")};
    }

    /** The baseline of "load more": the next {@code MORE} pages of 50 through the cursor. */
    private static Timing apiPages(HttpClient http, String base, String spaceKey, String token) throws Exception {
        String url = base + "/api/v1/orgs/" + spaceKey + "/events?limit=50";
        String cursor = get(http, url, token);
        double[] ms = new double[MORE];
        for (int i = 0; i < MORE; i++) {
            long t = System.nanoTime();
            cursor = get(http, url + "&cursor=" + enc(cursor), token);
            ms[i] = (System.nanoTime() - t) / 1e6;
        }
        return Timing.of(ms, "");
    }

    /** GETs a page of events; its next cursor. */
    private static String get(HttpClient http, String url, String token) throws Exception {
        HttpResponse<String> r = http.send(
                HttpRequest.newBuilder(URI.create(url))
                        .header("Authorization", "Bearer " + token)
                        .GET()
                        .build(),
                HttpResponse.BodyHandlers.ofString());
        if (r.statusCode() != 200) {
            throw new IllegalStateException(url + " answered " + r.statusCode() + ": " + r.body());
        }
        JsonNode next = JSON.readTree(r.body()).get("nextCursor");
        return next == null || next.isNull() ? null : next.asText();
    }

    private static String enc(String s) {
        return URLEncoder.encode(s, StandardCharsets.UTF_8);
    }
}
