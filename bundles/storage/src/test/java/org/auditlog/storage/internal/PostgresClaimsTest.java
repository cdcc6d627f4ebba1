package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.store.ExportJob;
import org.auditlog.api.store.QueuedMail;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers claiming at once on one PostgreSQL database (several databases opened on it stand for several
 * servers): every export job and every due mail goes to exactly one of them (FOR UPDATE SKIP LOCKED).
 */
class PostgresClaimsTest {
    static final int SERVERS = 4;

    @TempDir
    Path dir;

    @Test
    void everyJobIsClaimedByExactlyOneServer() throws Exception {
        List<TestStorage> servers = open(Clock.systemUTC());
        ExecutorService threads = Executors.newFixedThreadPool(SERVERS);
        try {
            MyBatisExportJobStore first = servers.get(0).activate(MyBatisExportJobStore.class);
            Set<Long> created = new HashSet<>();
            for (int i = 0; i < 60; i++) {
                created.add(first.create(new ExportJob(
                                0,
                                "ACME",
                                "Apps",
                                "u" + i,
                                Instant.parse("2026-11-22T10:00:00Z").plusSeconds(i),
                                LocalDate.of(2026, 11, 1),
                                LocalDate.of(2026, 11, 22),
                                ExportJob.State.QUEUED,
                                0,
                                null,
                                null,
                                null,
                                null,
                                0))
                        .id());
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<Long>>> claims = new ArrayList<>();
            for (int s = 0; s < SERVERS; s++) {
                MyBatisExportJobStore jobs = servers.get(s).activate(MyBatisExportJobStore.class);
                String holder = "node-" + s + "/x";
                claims.add(threads.submit(() -> {
                    go.await();
                    List<Long> mine = new ArrayList<>();
                    for (Optional<ExportJob> j = jobs.claim(holder, Duration.ofMinutes(1));
                            j.isPresent();
                            j = jobs.claim(holder, Duration.ofMinutes(1))) {
                        mine.add(j.get().id());
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<Long> all = new ArrayList<>();
            for (Future<List<Long>> f : claims) {
                all.addAll(f.get());
            }
            assertEquals(created.size(), all.size(), "each job claimed once");
            assertEquals(created, new HashSet<>(all));
        } finally {
            threads.shutdownNow();
            servers.forEach(TestStorage::close);
        }
    }

    @Test
    void everyDueMailIsGivenToExactlyOneServer() throws Exception {
        Instant t0 = Instant.parse("2026-11-22T10:00:00Z");
        List<TestStorage> servers = open(Clock.fixed(t0, ZoneOffset.UTC));
        ExecutorService threads = Executors.newFixedThreadPool(SERVERS);
        try {
            MyBatisMailStore first = servers.get(0).activate(MyBatisMailStore.class);
            for (int i = 0; i < 200; i++) {
                first.enqueue(new MailMessage("k" + i, "u" + i + "@x.example", "s", "t", "h"), t0);
            }
            CountDownLatch go = new CountDownLatch(1);
            List<Future<List<String>>> given = new ArrayList<>();
            for (int s = 0; s < SERVERS; s++) {
                MyBatisMailStore mails = servers.get(s).activate(MyBatisMailStore.class);
                given.add(threads.submit(() -> {
                    go.await();
                    List<String> mine = new ArrayList<>();
                    for (List<QueuedMail> due = mails.due(t0, 7); !due.isEmpty(); due = mails.due(t0, 7)) {
                        due.forEach(m -> mine.add(m.message().key()));
                    }
                    return mine;
                }));
            }
            go.countDown();
            List<String> all = Collections.synchronizedList(new ArrayList<>());
            for (Future<List<String>> f : given) {
                all.addAll(f.get());
            }
            assertEquals(200, all.size(), "each mail given once");
            assertEquals(200, new HashSet<>(all).size());
        } finally {
            threads.shutdownNow();
            servers.forEach(TestStorage::close);
        }
    }

    /** The servers on the test's database, each with the Clock service {@code clock}. */
    private List<TestStorage> open(Clock clock) throws Exception {
        List<TestStorage> servers = new ArrayList<>();
        for (int s = 0; s < SERVERS; s++) {
            servers.add(TestStorage.open(dir, clock));
        }
        return servers;
    }
}
