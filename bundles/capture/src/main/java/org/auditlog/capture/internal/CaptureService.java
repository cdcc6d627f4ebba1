package org.auditlog.capture.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.Decision;
import org.auditlog.api.access.PolicyException;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.adapter.CanonicalRecords;
import org.auditlog.api.adapter.IngestContext;
import org.auditlog.api.adapter.NativePayload;
import org.auditlog.api.adapter.PayloadRejectedException;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.IngestResult;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.capture.UnknownProductException;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.InboxEntry;
import org.auditlog.api.store.InboxStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.framework.ServiceReference;
import org.osgi.service.component.ComponentContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The {@link EventCapture} service: routes each payload to the adapter registered for its product
 * ({@link AdapterRoutes}), normalises the records, and appends them through the group committer. While a
 * known product has no adapter (it is being upgraded, say), its payloads go to the durable inbox and are
 * translated when an adapter returns ({@link InboxDrainer}). Configured by PID {@value #PID}.
 */
@Component(
        service = {EventCapture.class, ServerNode.class},
        configurationPid = CaptureService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CaptureService.Config.class)
public class CaptureService implements EventCapture, ServerNode {
    static final String PID = "org.auditlog.capture";
    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);

    @ObjectClassDefinition(name = "Auditlog capture", description = "How events are committed.")
    public @interface Config {
        @AttributeDefinition(
                name = "Max group records",
                description = "Most records committed in one transaction (group commit).",
                min = "1")
        int maxGroupRecords() default 5000;

        @AttributeDefinition(
                name = "Queue capacity",
                description = "Requests that may wait for the writer before new ones are answered 503.",
                min = "1")
        int queueCapacity() default 1024;

        @AttributeDefinition(
                name = "Commit timeout (millis)",
                description =
                        "How long a request waits for its commit, in milliseconds, before it is " + "answered 503.",
                min = "1000")
        long commitTimeoutMillis() default 60_000;

        @AttributeDefinition(
                name = "Node number",
                description = "Number of this server (0-1023), unique among servers sharing one database: "
                        + "part of every event id. A server finding its number held by another running server waits at most "
                        + "20 s for it, then does not start. -1: the lowest number no running server holds, taken by lease. "
                        + "See docs/cluster.md.",
                min = "-1",
                max = "1023")
        int nodeId() default 0;

        @AttributeDefinition(
                name = "Inbox check (seconds)",
                description = "How often the inbox is checked for events an adapter can now translate, in seconds "
                        + "(it is also drained the moment an adapter arrives).",
                min = "1")
        int inboxCheckSeconds() default 10;
    }

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    /**
     * Decides whether an organization records events now. Optional so that capture keeps accepting events
     * while the policy bundle is being upgraded; without it nothing is refused for its plan state. Bound by
     * reference only and looked up when first used: the policy records its own changes through this
     * service, and getting each other's service objects at activation would be a cycle.
     */
    private volatile ServiceReference<AccessPolicy> policy;

    private final IdGenerator ids;
    /** The lease on {@code nodeId} among the servers sharing the database. */
    private final NodeLease node;

    private final GroupCommitter committer;
    private final long commitTimeoutMillis;
    private final AdapterRoutes routes;
    private final InboxDrainer drainer;

    private final ComponentContext component;

    @Activate
    public CaptureService(
            ComponentContext component,
            @Reference AuditStore store,
            @Reference InboxStore inbox,
            @Reference LeaseStore leases,
            @Reference BackgroundWork work,
            Config config)
            throws InterruptedException {
        this.component = component;
        this.node = config.nodeId() == NodeLease.ANY
                ? NodeLease.anyFree(work, leases)
                : new NodeLease(work, leases, config.nodeId());
        this.ids = new IdGenerator(() -> clock, node.nodeId());
        ids.startAbove(store.maxId());
        this.commitTimeoutMillis = config.commitTimeoutMillis();
        this.committer = new GroupCommitter(
                store, this::nextId, config.maxGroupRecords(), config.queueCapacity(), work.threads("group-commit"));
        this.routes = new AdapterRoutes(inbox);
        this.drainer = new InboxDrainer(
                inbox,
                routes,
                (product, adapter, payloads, context) -> {
                    List<AuditRecord> records = translate(product, adapter, payloads, context);
                    requireRecording(records);
                    return records;
                },
                this::nextId,
                () -> clock,
                commitTimeoutMillis,
                config.inboxCheckSeconds(),
                work.scheduler("inbox"));
    }

    /** The next id, while this server holds its node number. */
    private long nextId() {
        node.check();
        return ids.next();
    }

    @Override
    public int nodeId() {
        return node.nodeId();
    }

    @Override
    public String holder() {
        return node.holder();
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        drainer.close();
        committer.close();
        node.close();
    }

    @Reference(
            name = "policy",
            service = AccessPolicy.class,
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    void bindPolicy(ServiceReference<AccessPolicy> ref) {
        policy = ref;
    }

    void unbindPolicy(ServiceReference<AccessPolicy> ref) {
        if (policy == ref) {
            policy = null;
        }
    }

    @Reference(
            service = ProductAdapter.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            target = "(" + ProductAdapter.PRODUCT_PROPERTY + "=*)")
    void bindAdapter(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        drainer.drainSoon(routes.add(ref, adapter));
    }

    void unbindAdapter(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        routes.remove(ref);
    }

    @Override
    public IngestResult ingest(String product, List<NativePayload> payloads, IngestContext context)
            throws UnknownProductException, PayloadRejectedException {
        ProductAdapter adapter = routes.adapterFor(product);
        if (adapter == null && !routes.isKnown(product)) {
            throw new UnknownProductException(product);
        }
        RecordNormaliser.checkForwarded(context);
        if (adapter == null) {
            if (payloads.stream().allMatch(p -> EventCapture.CANONICAL_MEDIA_TYPE.equals(p.contentType()))) {
                // Canonical records need no adapter to be read: refuse now what the drain would set aside.
                requireRecording(translate(product, null, payloads, context));
            }
            drainer.enqueue(product, payloads, context);
            return new IngestResult(List.of(), payloads.size());
        }
        List<AuditRecord> records = translate(product, adapter, payloads, context);
        requireRecording(records);
        return new IngestResult(committer.append(records, commitTimeoutMillis), 0);
    }

    @Override
    public List<AuditRecord> record(List<AuditRecord> records) throws PayloadRejectedException {
        List<AuditRecord> normalised = new ArrayList<>(records.size());
        for (int i = 0; i < records.size(); i++) {
            AuditRecord r = records.get(i);
            try {
                if (r.product() == null || r.product().isBlank()) {
                    throw new PayloadRejectedException("product", "is required");
                }
                normalised.add(RecordNormaliser.normalise(
                        RecordNormaliser.wellFormed(r), r.product(), IngestContext.internal()));
            } catch (PayloadRejectedException e) {
                throw e.under("[" + i + "]");
            }
        }
        return committer.append(normalised, commitTimeoutMillis);
    }

    /** Translates and normalises the payloads of one request; the first refusal refuses them all. */
    private List<AuditRecord> translate(
            String product, ProductAdapter adapter, List<NativePayload> payloads, IngestContext context)
            throws PayloadRejectedException {
        List<AuditRecord> records = new ArrayList<>();
        for (NativePayload payload : payloads) {
            String at = payload.index() == NativePayload.SINGLE ? null : "[" + payload.index() + "]";
            List<AuditRecord> translated;
            try {
                translated = EventCapture.CANONICAL_MEDIA_TYPE.equals(payload.contentType())
                        ? List.of(CanonicalRecords.read(payload.json(), product))
                        : adapter.translate(payload, context);
            } catch (PayloadRejectedException e) {
                throw at == null ? e : e.under(at);
            } catch (RuntimeException e) {
                LOG.error("Adapter for {} failed on a payload", product, e);
                throw new AdapterFailedException(product, e);
            }
            for (AuditRecord r : translated) {
                try {
                    RecordNormaliser.checkFromProduct(r);
                    records.add(RecordNormaliser.normalise(r, product, context));
                } catch (PayloadRejectedException e) {
                    throw at == null ? e : e.under(at);
                }
            }
        }
        return records;
    }

    /**
     * Refuses the whole request when any of its organizations does not record events now (no such
     * organization, plan not activated or ended). Records the server raises itself are not checked: the
     * policy decides what to record about its own changes, such as a plan ending.
     */
    private void requireRecording(List<AuditRecord> records) {
        ServiceReference<AccessPolicy> ref = policy;
        AccessPolicy p = ref == null ? null : component.locateService("policy", ref);
        if (p == null) {
            return;
        }
        Set<String> checked = new HashSet<>();
        for (AuditRecord r : records) {
            if (checked.add(r.spaceKey())) {
                Decision d = p.mayRecord(r.spaceKey());
                if (!d.allowed()) {
                    throw new PolicyException(PolicyException.Kind.CONFLICT, d.rule(), "space_key", d.detail());
                }
            }
        }
    }

    @Override
    public Set<String> products() {
        return routes.products();
    }

    @Override
    public List<ProductStatus> productStatus() {
        return routes.status();
    }

    @Override
    public List<InboxEntry> failedInboxEntries(String product, int max) throws UnknownProductException {
        requireKnown(product);
        return drainer.failedEntries(product, max);
    }

    @Override
    public Optional<InboxEntry> inboxEntry(String product, long entryId) throws UnknownProductException {
        requireKnown(product);
        return drainer.entry(product, entryId);
    }

    @Override
    public Optional<InboxEntry> retryInboxEntry(String product, long entryId) throws UnknownProductException {
        requireKnown(product);
        return drainer.retry(product, entryId);
    }

    @Override
    public void deleteInboxEntry(String product, long entryId) throws UnknownProductException {
        requireKnown(product);
        drainer.delete(product, entryId);
    }

    /** Drains a product's inbox on the inbox thread and waits (bounded) for that pass to end. */
    void drainNow(String product) {
        drainer.drainNow(product);
    }

    private void requireKnown(String product) throws UnknownProductException {
        if (!routes.isKnown(product)) {
            throw new UnknownProductException(product);
        }
    }
}
