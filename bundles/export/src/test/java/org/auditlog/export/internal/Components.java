package org.auditlog.export.internal;

import java.lang.reflect.Proxy;
import java.nio.file.Path;
import java.time.Clock;
import java.util.function.Supplier;
import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.DownloadTokenStore;
import org.auditlog.api.store.ExportJobStore;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.framework.BundleContext;

/**
 * The export bundle's components as Declarative Services makes them: from the descriptors bnd generates, in a
 * test's bundle context, with their references found among the services the test registered there (and, for the
 * references a test does not care about, the fakes below), and the export configuration ({@link ExportConfig}) of
 * the properties named, the metatype defaults for the others. The tests build them here rather than through
 * constructors of their own.
 */
final class Components {
    /** This server among the servers sharing the database. */
    static final ServerNode NODE = new Node(0, "node-0/test/1/this");

    private Components() {}

    record Node(int nodeId, String holder) implements ServerNode {}

    /**
     * The checkpoint signer of {@code log} (its trees) on {@code clock}, its key in {@code keyFile}; its hourly looks
     * run only when a test runs them ({@link SteppedWork}).
     */
    static CheckpointSigner signer(EvidenceStore log, Clock clock, Path keyFile) {
        BundleContext context = MockOsgi.newBundleContext();
        context.registerService(Clock.class, clock, null);
        context.registerService(EvidenceStore.class, log, null);
        return signer(context, keyFile);
    }

    /**
     * The checkpoint signer of the EvidenceStore and the Clock of {@code context}, its key in {@code keyFile}, given
     * this server's node and background work unless the test registered its own.
     */
    static CheckpointSigner signer(BundleContext context, Path keyFile) {
        given(context, ServerNode.class, () -> NODE);
        given(context, BackgroundWork.class, () -> new SteppedWork(new CheckpointSignerTest.OneServer()));
        return MockOsgi.registerInjectActivateService(
                CheckpointSigner.class, context, "evidenceKeyFile", keyFile.toString());
    }

    /**
     * The export service of the AuditStore, EvidenceStore and Clock of {@code context}, its files in {@code folder}
     * (configuration {@code folder}): its checkpoints signed by the signer of {@code context}, or by one made here
     * with its key in {@code folder/evidence}; the stores of jobs and download links, the mailer, this server's node
     * and background work those of {@link ExportJobsTest} unless the test registered its own; organizations and the
     * access policy, which only current-month jobs ask, fail the test if they are asked.
     */
    static ZipExportService export(BundleContext context, Path folder) {
        given(context, ExportJobStore.class, ExportJobsTest.FakeJobs::new);
        given(context, DownloadTokenStore.class, ExportJobsTest.FakeTokens::new);
        given(context, Mailer.class, ExportJobsTest.FakeMailer::new);
        given(context, OrganizationService.class, () -> unused(OrganizationService.class));
        given(context, AccessPolicy.class, () -> unused(AccessPolicy.class));
        given(context, ServerNode.class, () -> NODE);
        given(context, BackgroundWork.class, () -> new SteppedWork(new CheckpointSignerTest.OneServer()));
        if (context.getServiceReference(CheckpointService.class) == null) {
            signer(context, folder.resolve("evidence").resolve("checkpoint.key"));
        }
        return MockOsgi.registerInjectActivateService(ZipExportService.class, context, "folder", folder.toString());
    }

    private static <T> void given(BundleContext context, Class<T> type, Supplier<T> service) {
        if (context.getServiceReference(type) == null) {
            context.registerService(type, service.get(), null);
        }
    }

    /** A service a test does not expect to be used: any call of it fails. */
    static <T> T unused(Class<T> type) {
        return type.cast(Proxy.newProxyInstance(
                type.getClassLoader(), new Class<?>[] {type}, (proxy, method, args) -> switch (method.getName()) {
                    case "equals" -> proxy == args[0];
                    case "hashCode" -> System.identityHashCode(proxy);
                    case "toString" -> "unused " + type.getSimpleName();
                    default ->
                        throw new UnsupportedOperationException(
                                type.getSimpleName() + "." + method.getName() + " is not used by this test");
                }));
    }
}
