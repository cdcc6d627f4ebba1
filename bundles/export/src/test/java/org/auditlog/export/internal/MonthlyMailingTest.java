package org.auditlog.export.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Proxy;
import java.time.Clock;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.OrganizationStore;
import org.auditlog.work.internal.Work;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;

/** The monthly mailing's first look, scheduled at activation, runs even though the clock is bound after it. */
class MonthlyMailingTest {
    static final Instant NOW = Instant.parse("2026-12-01T03:00:00Z");

    /** A stand-in for an interface: answers the ledger's question, every other call with a neutral value. */
    @SuppressWarnings("unchecked")
    static <T> T stub(Class<T> type, List<Object> ledgerAsked) {
        return (T) Proxy.newProxyInstance(type.getClassLoader(), new Class<?>[] {type}, (proxy, m, args) -> {
            if (m.getDeclaringClass() == Object.class) {
                return switch (m.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    default -> type.getSimpleName();
                };
            }
            if (m.getName().equals("monthlyRunCompleted") && args.length == 1) {
                ledgerAsked.add(args[0]);
                return Optional.of(NOW); // done already: the look ends here
            }
            if (m.getName().equals("holder")) {
                return "node-0/test/1/this"; // the server's holder id, which the lease is taken for
            }
            if (m.getName().equals("checkSeconds")) {
                return 3600; // the second look is an hour away: only the first can pass the test
            }
            if (m.getDefaultValue() != null) {
                return m.getDefaultValue(); // the configuration's defaults
            }
            Class<?> r = m.getReturnType();
            if (r == boolean.class) {
                return false;
            }
            if (r == int.class || r == long.class) {
                return r == int.class ? (Object) 0 : (Object) 0L;
            }
            if (r == Optional.class) {
                return Optional.empty();
            }
            if (r == List.class) {
                return List.of();
            }
            if (r == Optional.class) {
                return Optional.empty();
            }
            return null;
        });
    }

    static Work work(LeaseStore leases) {
        Work work = new Work(leases);
        work.setClock(Clock.fixed(NOW, ZoneOffset.UTC));
        return work;
    }

    @Test
    void theFirstLookIsOnceDsHasSetTheClock() throws Exception {
        List<Object> asked = new CopyOnWriteArrayList<>();
        MonthlyMailing mailing = new MonthlyMailing(
                stub(BundleContext.class, asked),
                stub(ExportService.class, asked),
                stub(ExportJobStore.class, asked),
                stub(Mailer.class, asked),
                stub(OrganizationService.class, asked),
                stub(OrganizationStore.class, asked),
                stub(AccessPolicy.class, asked),
                stub(EventCapture.class, asked),
                work(stub(LeaseStore.class, asked)),
                stub(ServerNode.class, asked),
                stub(ExportConfig.class, asked));
        try {
            Thread.sleep(300);
            assertEquals(List.of(), asked, "no look before activation, where the clock field is not set yet");
            mailing.clock = Clock.fixed(NOW, ZoneOffset.UTC); // as DS sets it, then calls start
            mailing.start();
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(5);
            while (asked.isEmpty() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(!asked.isEmpty(), "the first look never asked whether last month's run was done");
            assertEquals(YearMonth.of(2026, 11), asked.get(0));
        } finally {
            mailing.deactivate();
        }
    }
}
