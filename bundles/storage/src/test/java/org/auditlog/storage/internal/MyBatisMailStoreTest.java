package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.MailStatus;
import org.auditlog.api.store.QueuedMail;
import org.auditlog.api.store.StoreException;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MyBatisMailStoreTest {
    @TempDir
    Path dir;

    static final Instant T0 = Instant.parse("2026-11-22T10:00:00Z");
    final Clock clock = Clock.fixed(T0, ZoneOffset.UTC);

    static MailMessage mail(String key) {
        return new MailMessage(
                key, "alice@acme.example", "Your export " + key, "text of " + key, "<p>html of " + key + "</p>");
    }

    @Test
    void aKeyIsQueuedOnceAndTheFirstMailIsKept() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            assertEquals(Optional.empty(), mails.status("export-job:42:alice"));
            assertTrue(mails.enqueue(mail("export-job:42:alice"), T0));
            MailMessage again = new MailMessage("export-job:42:alice", "mallory@evil.example", "other", "t", "h");
            assertEquals(false, mails.enqueue(again, T0.plusSeconds(5)));
            assertEquals(1, mails.pendingCount());
            assertEquals(
                    Optional.of(new MailStatus(
                            "export-job:42:alice",
                            "alice@acme.example",
                            "Your export export-job:42:alice",
                            MailStatus.State.PENDING,
                            T0,
                            null,
                            0,
                            T0,
                            null)),
                    mails.status("export-job:42:alice"));
            List<QueuedMail> due = mails.due(T0, 10);
            assertEquals(1, due.size());
            assertEquals(mail("export-job:42:alice"), due.get(0).message());
            assertEquals(T0, due.get(0).queued());
            assertEquals(0, due.get(0).attempts());
        }
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            assertEquals(
                    false,
                    mails.enqueue(mail("export-job:42:alice"), T0.plusSeconds(60)),
                    "a key stays queued across a restart");
            assertEquals(1, mails.pendingCount());
        }
    }

    @Test
    void ofManyThreadsQueuingTheSameKeyAtOnceExactlyOneSucceeds() throws Exception {
        int threads = 8;
        int rounds = 15;
        try (TestStorage storage = TestStorage.open(dir, clock, "writeConnections", threads)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            ExecutorService pool = Executors.newFixedThreadPool(threads);
            try {
                for (int round = 0; round < rounds; round++) {
                    String key = "monthly:202610:ACME:u" + round;
                    CountDownLatch start = new CountDownLatch(1);
                    List<Future<Boolean>> results = new ArrayList<>();
                    for (int t = 0; t < threads; t++) {
                        results.add(pool.submit(() -> {
                            start.await();
                            return mails.enqueue(mail(key), T0);
                        }));
                    }
                    start.countDown();
                    int stored = 0;
                    for (Future<Boolean> f : results) {
                        if (f.get()) {
                            stored++;
                        }
                    }
                    assertEquals(1, stored, "round " + round);
                }
            } finally {
                pool.shutdownNow();
            }
            assertEquals(rounds, mails.pendingCount());
            assertEquals(rounds, mails.due(T0, 1000).size());
        }
    }

    @Test
    void dueMailsComeInTheOrderTheyFallDueAndARetryMovesOneBack() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            mails.enqueue(mail("a"), T0);
            mails.enqueue(mail("b"), T0.plusSeconds(1));
            mails.enqueue(mail("c"), T0.plusSeconds(2));
            // same due time as a: the one queued first (lower id) comes first
            mails.enqueue(mail("a2"), T0);

            assertEquals(List.of(), mails.due(T0.minusMillis(1), 10));
            assertEquals(List.of("a", "a2"), keys(mails.due(T0, 10)));
            // a mail given is claimed: not given again (to this server or another) while its claim lasts
            assertEquals(List.of("b"), keys(mails.due(T0.plusSeconds(1), 10)));
            assertEquals(List.of("c"), keys(mails.due(T0.plusSeconds(5), 10)));
            assertEquals(List.of(), mails.due(T0.plusSeconds(5), 10));
            assertEquals(List.of(), mails.due(T0.plusSeconds(5), 0));

            // a claim runs out (its server stopped before it reported): the mail is given again
            Instant later = T0.plus(MyBatisMailStore.CLAIM);
            List<QueuedMail> again = mails.due(later, 1);
            assertEquals(List.of("a"), keys(again));
            long a = again.get(0).id();
            mails.retryLater(a, 1, later.plusSeconds(60), "451 4.7.1 try again later");
            assertEquals(List.of("a2", "b", "c"), keys(mails.due(later.plusSeconds(5), 10)));
            List<QueuedMail> retried = mails.due(later.plusSeconds(60), 10);
            assertEquals(List.of("a"), keys(retried));
            assertEquals(1, retried.get(0).attempts());
            assertEquals(T0, retried.get(0).queued());

            MailStatus status = mails.status("a").orElseThrow();
            assertEquals(MailStatus.State.PENDING, status.state());
            assertEquals(1, status.attempts());
            assertEquals(later.plusSeconds(60), status.nextAttempt(), "a claim leaves the next attempt as it was");
            assertEquals("451 4.7.1 try again later", status.lastError());
            assertEquals(4, mails.pendingCount());
        }
    }

    @Test
    void aSentMailIsNoLongerPendingOrDue() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            mails.enqueue(mail("a"), T0);
            mails.enqueue(mail("b"), T0.plusSeconds(1));
            QueuedMail a = mails.due(T0, 10).get(0);
            mails.retryLater(a.id(), 1, T0.plusSeconds(30), "connection refused");
            Instant sent = T0.plusSeconds(31);
            mails.markSent(a.id(), sent);

            MailStatus status = mails.status("a").orElseThrow();
            assertEquals(MailStatus.State.SENT, status.state());
            assertEquals(sent, status.sent());
            assertNull(status.nextAttempt());
            assertEquals(1, status.attempts());
            assertEquals("connection refused", status.lastError(), "the last failure stays readable");
            assertEquals(1, mails.pendingCount());
            assertEquals(List.of("b"), keys(mails.due(T0.plusSeconds(3600), 10)));
            assertEquals(
                    List.of("b"),
                    mails.pending(10).stream().map(MailStatus::key).toList());

            // a late report of the same mail changes nothing
            mails.markSent(a.id(), sent.plusSeconds(10));
            mails.retryLater(a.id(), 2, T0.plusSeconds(600), "late failure");
            assertEquals(Optional.of(status), mails.status("a"));
            assertEquals(false, mails.enqueue(mail("a"), T0.plusSeconds(700)), "a sent key is not queued again");
        }
    }

    @Test
    void aMailRefusedForGoodIsKeptAsFailedAndNotTriedAgain() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            mails.enqueue(mail("a"), T0);
            mails.enqueue(mail("b"), T0.plusSeconds(1));
            QueuedMail a = mails.due(T0, 10).get(0);
            mails.markFailed(a.id(), 1, T0.plusSeconds(2), "550 5.1.1 <alice@acme.example>: no such user");

            MailStatus status = mails.status("a").orElseThrow();
            assertEquals(MailStatus.State.FAILED, status.state());
            assertNull(status.sent());
            assertNull(status.nextAttempt());
            assertEquals("550 5.1.1 <alice@acme.example>: no such user", status.lastError());
            assertEquals(List.of("b"), keys(mails.due(T0.plusSeconds(86_400), 10)), "never due again");
            assertEquals(1, mails.pendingCount());
            assertEquals(
                    List.of("b"),
                    mails.pending(10).stream().map(MailStatus::key).toList());
            assertEquals(1, mails.failedCount());
            assertEquals(List.of(status), mails.failed(10));
            assertEquals(
                    Optional.of(T0.plusSeconds(86_400).plus(MyBatisMailStore.CLAIM)),
                    mails.nextDue(),
                    "b, claimed by the look above until its claim runs out");

            // a late retry or a second report changes nothing; the key stays taken
            mails.retryLater(a.id(), 2, T0.plusSeconds(60), "late");
            mails.markFailed(a.id(), 3, T0.plusSeconds(70), "again");
            assertEquals(Optional.of(status), mails.status("a"));
            assertEquals(false, mails.enqueue(mail("a"), T0.plusSeconds(80)));

            // retention deletes failed mails like sent ones
            assertEquals(1, mails.deleteSentBefore(T0.plusSeconds(3)));
            assertEquals(0, mails.failedCount());
            assertEquals(1, mails.pendingCount());
        }
    }

    @Test
    void pendingMailsAreListedOldestFirstAndCounted() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            assertEquals(List.of(), mails.pending(10));
            assertEquals(0, mails.pendingCount());
            mails.enqueue(mail("b"), T0.plusSeconds(1));
            mails.enqueue(mail("a"), T0);
            mails.enqueue(mail("c"), T0.plusSeconds(2));
            List<MailStatus> pending = mails.pending(10);
            assertEquals(
                    List.of("a", "b", "c"),
                    pending.stream().map(MailStatus::key).toList());
            assertEquals(
                    new MailStatus(
                            "a",
                            "alice@acme.example",
                            "Your export a",
                            MailStatus.State.PENDING,
                            T0,
                            null,
                            0,
                            T0,
                            null),
                    pending.get(0));
            assertEquals(
                    List.of("a", "b"),
                    mails.pending(2).stream().map(MailStatus::key).toList());
            assertEquals(3, mails.pendingCount());
        }
    }

    @Test
    void nextDueIsTheEarliestNextAttemptOfAPendingMail() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            assertEquals(Optional.empty(), mails.nextDue());
            mails.enqueue(mail("a"), T0);
            mails.enqueue(mail("b"), T0.plusSeconds(10));
            assertEquals(Optional.of(T0), mails.nextDue());
            long a = mails.due(T0, 1).get(0).id();
            mails.retryLater(a, 1, T0.plusSeconds(300), "timeout");
            assertEquals(Optional.of(T0.plusSeconds(10)), mails.nextDue());
            long b = mails.due(T0.plusSeconds(10), 1).get(0).id();
            mails.markSent(b, T0.plusSeconds(11));
            assertEquals(Optional.of(T0.plusSeconds(300)), mails.nextDue());
            mails.markSent(a, T0.plusSeconds(301));
            assertEquals(Optional.empty(), mails.nextDue());
        }
    }

    @Test
    void deleteSentBeforeRemovesOnlySentMailsSentBeforeTheCutoff() throws Exception {
        Instant cutoff = T0.plusSeconds(3600);
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            for (String key : List.of("old", "atCutoff", "recent", "pending")) {
                mails.enqueue(mail(key), T0);
            }
            List<QueuedMail> due = mails.due(T0, 10);
            mails.markSent(due.get(0).id(), cutoff.minusMillis(1));
            mails.markSent(due.get(1).id(), cutoff);
            mails.markSent(due.get(2).id(), cutoff.plusSeconds(1));

            assertEquals(1, mails.deleteSentBefore(cutoff));
            assertEquals(Optional.empty(), mails.status("old"));
            assertTrue(mails.status("atCutoff").isPresent());
            assertTrue(mails.status("recent").isPresent());
            assertEquals(
                    MailStatus.State.PENDING,
                    mails.status("pending").orElseThrow().state());
            assertEquals(0, mails.deleteSentBefore(cutoff));
            assertEquals(1, mails.pendingCount());
        }
    }

    @Test
    void aLongErrorIsCutToTheColumnInsteadOfRefused() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            mails.enqueue(mail("a"), T0);
            long id = mails.due(T0, 1).get(0).id();
            // a surrogate pair straddles the cut: it must not be split
            String error = "550 " + "e".repeat(990) + "\uD83D\uDCE7".repeat(100);
            mails.retryLater(id, 1, T0.plusSeconds(60), error);
            String stored = mails.status("a").orElseThrow().lastError();
            assertTrue(stored.length() <= 1000, "length " + stored.length());
            assertTrue(stored.startsWith("550 eee"));
            assertTrue(stored.endsWith("..."));
            assertTrue(stored.codePoints().noneMatch(cp -> cp >= 0xD800 && cp <= 0xDFFF), "no half of a pair is left");
            assertTrue(stored.contains("\uD83D\uDCE7"), "whole pairs before the cut are kept");
            mails.retryLater(id, 2, T0.plusSeconds(120), null);
            assertNull(mails.status("a").orElseThrow().lastError());
        }
    }

    @Test
    void largeJapaneseBodiesReadBackIntactAfterARestart() throws Exception {
        StringBuilder text = new StringBuilder();
        for (int i = 0; text.length() < 200 * 1024; i++) {
            text.append(i).append(" 監査ログのエクスポートが完了しました。ダウンロードはこちら 🗂️\n");
        }
        String body = text.toString();
        String html = "<html><body><pre>" + body + "</pre></body></html>";
        MailMessage big = new MailMessage("export-job:7:太郎", "taro@example.jp", "監査ログ: エクスポート完了", body, html);
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            assertTrue(storage.activate(MyBatisMailStore.class).enqueue(big, T0));
        }
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            List<QueuedMail> due = mails.due(T0, 10);
            assertEquals(1, due.size());
            assertEquals(big, due.get(0).message());
            assertEquals(
                    "監査ログ: エクスポート完了",
                    mails.status("export-job:7:太郎").orElseThrow().subject());
        }
    }

    @Test
    void aMailWithoutAQueuedTimeIsQueuedNow() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            mails.enqueue(mail("a"), null);
            assertEquals(T0, mails.status("a").orElseThrow().queued());
            assertEquals(Optional.of(T0), mails.nextDue());
        }
    }

    @Test
    void aMailTheColumnsCannotHoldIsRefusedWithAStoreException() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            StoreException e = assertThrows(StoreException.class, () -> mails.enqueue(mail("k".repeat(201)), T0));
            assertTrue(e.getMessage().startsWith("could not queue mail"), e.getMessage());
            assertEquals(0, mails.pendingCount());
        }
    }

    private static List<String> keys(List<QueuedMail> mails) {
        return mails.stream().map(m -> m.message().key()).toList();
    }

    @Test
    void aClaimOfAServerThatStoppedEndsAtTheNextStartOfAStoreNoOtherServerShares() throws Exception {
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            mails.enqueue(mail("a"), T0);
            assertEquals(List.of("a"), keys(mails.due(T0, 10))); // claimed, and the server stops before sending
        }
        try (TestStorage storage = TestStorage.open(dir, clock)) {
            MyBatisMailStore mails = storage.activate(MyBatisMailStore.class);
            // the embedded database's lock says the claim's server is gone; PostgreSQL's other servers wait it out
            assertEquals(TestDatabases.onPostgres() ? List.of() : List.of("a"), keys(mails.due(T0.plusSeconds(1), 10)));
            assertEquals(List.of("a"), keys(mails.due(T0.plusSeconds(1).plus(MyBatisMailStore.CLAIM), 10)));
        }
    }
}
