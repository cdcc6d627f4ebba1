package org.auditlog.storage.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.reflect.Field;
import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.Dictionary;
import java.util.List;
import java.util.Optional;

import org.auditlog.api.DownloadGrant;
import org.auditlog.api.DownloadTokenStore;
import org.auditlog.api.ExportJob;
import org.auditlog.api.ExportJobStore;
import org.auditlog.api.MailMessage;
import org.auditlog.api.MailStatus;
import org.auditlog.api.MailStore;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;

/** The component publishes the export and download stores beside itself, for as long as it is active. */
class StorageComponentTest {
    @TempDir
    Path dir;

    /** One service registered through the fake bundle context. */
    static final class Registered {
        final String clazz;
        final Object service;
        final Dictionary<?, ?> properties;
        boolean unregistered;

        Registered(String clazz, Object service, Dictionary<?, ?> properties) {
            this.clazz = clazz;
            this.service = service;
            this.properties = properties;
        }
    }

    @Test
    void theExportAndDownloadStoresArePublishedWhileTheComponentIsActive() throws Exception {
        List<Registered> registered = new ArrayList<>();
        BundleContext context = (BundleContext) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {BundleContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getProperty" -> StorageComponent.DATA_PROPERTY.equals(args[0]) ? dir.toString() : null;
                    case "registerService" -> {
                        Registered r = new Registered(((Class<?>) args[0]).getName(), args[1], (Dictionary<?, ?>) args[2]);
                        registered.add(r);
                        yield Proxy.newProxyInstance(getClass().getClassLoader(), new Class<?>[] {ServiceRegistration.class},
                                (p, m, a) -> {
                                    if (m.getName().equals("unregister")) {
                                        r.unregistered = true;
                                    }
                                    return null;
                                });
                    }
                    default -> throw new UnsupportedOperationException(method.getName());
                });
        StorageComponent.Config config = (StorageComponent.Config) Proxy.newProxyInstance(getClass().getClassLoader(),
                new Class<?>[] {StorageComponent.Config.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "jdbcUrl", "password" -> "";
                    case "user" -> "SA";
                    case "maxConnections" -> 2;
                    default -> throw new UnsupportedOperationException(method.getName());
                });

        StorageComponent component = new StorageComponent(context, config);
        Field clockField = StorageComponent.class.getDeclaredField("clock");
        clockField.setAccessible(true);
        Clock clock = Clock.fixed(Instant.parse("2026-11-22T10:00:00Z"), ZoneOffset.UTC);
        clockField.set(component, clock);
        try {
            assertEquals(List.of(ExportJobStore.class.getName(), DownloadTokenStore.class.getName()),
                    registered.stream().map(r -> r.clazz).toList());
            for (Registered r : registered) {
                assertEquals("hsqldb", r.properties.get("auditlog.store"));
            }
            ExportJobStore jobs = (ExportJobStore) registered.get(0).service;
            DownloadTokenStore downloads = (DownloadTokenStore) registered.get(1).service;

            ExportJob job = jobs.create(new ExportJob(0, "ACME", "Apps", "u1", clock.instant(), LocalDate.of(2026, 11, 1),
                    LocalDate.of(2026, 11, 22), ExportJob.State.QUEUED, 0, null, null, null, null, 0));
            String token = downloads.issue(new DownloadGrant(null, "ACME", job.id(), "u1", "export-job:1:u1", null))
                    .token();
            assertEquals(clock.instant(), downloads.find(token).orElseThrow().created(), "the component's clock");

            MailStore mail = component;
            assertTrue(mail.enqueue(new MailMessage("export-job:1:u1", "ann@acme.example", "Ready", "t", "h"), null));
            assertEquals(Optional.of(MailStatus.State.PENDING), mail.status("export-job:1:u1").map(MailStatus::state));
            assertEquals(1, mail.pendingCount());

            // each deletes its own kind only
            assertEquals(1, jobs.deleteOrganization("ACME"));
            assertEquals(1, downloads.deleteOrganization("ACME"));
            assertEquals(0, component.deleteOrganization("ACME"));
        } finally {
            component.deactivate();
        }
        assertTrue(registered.stream().allMatch(r -> r.unregistered), "withdrawn on deactivation");
    }
}
