package org.auditlog.capture.internal;

import java.io.IOException;
import java.time.Clock;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;

import org.auditlog.api.AccessPolicy;
import org.auditlog.api.AuditRecord;
import org.auditlog.api.AuditStore;
import org.auditlog.api.CanonicalRecords;
import org.auditlog.api.DataRefusedException;
import org.auditlog.api.Decision;
import org.auditlog.api.EventCapture;
import org.auditlog.api.InboxEntry;
import org.auditlog.api.InboxStore;
import org.auditlog.api.IngestContext;
import org.auditlog.api.IngestResult;
import org.auditlog.api.NativePayload;
import org.auditlog.api.PayloadRejectedException;
import org.auditlog.api.PolicyException;
import org.auditlog.api.ProductAdapter;
import org.auditlog.api.ProductStatus;
import org.auditlog.api.StoreException;
import org.auditlog.api.UnknownProductException;
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
import org.auditlog.api.LogText;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import com.fasterxml.jackson.databind.ObjectMapper;

/**
 * The {@link EventCapture} service: routes each payload to the adapter registered for its product
 * (service property {@value ProductAdapter#PRODUCT_PROPERTY}), normalises the records, and appends them
 * through the group committer. While a known product has no adapter (it is being upgraded, say), its
 * payloads go to the durable inbox and are translated when an adapter returns. Configured by PID
 * {@value #PID}.
 */
@Component(service = EventCapture.class, configurationPid = CaptureService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CaptureService.Config.class)
public class CaptureService implements EventCapture {
    static final String PID = "org.auditlog.capture";
    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);
    private static final ObjectMapper JSON = new ObjectMapper();
    private static final int DRAIN_BATCH = 50;

    @ObjectClassDefinition(name = "Auditlog capture", description = "How events are committed.")
    public @interface Config {
        @AttributeDefinition(description = "Most records committed in one transaction (group commit).", min = "1")
        int maxGroupRecords() default 5000;

        @AttributeDefinition(description = "Requests that may wait for the writer before new ones are refused.", min = "1")
        int queueCapacity() default 1024;

        @AttributeDefinition(description = "How long a request waits for its commit, in milliseconds.", min = "1000")
        long commitTimeoutMillis() default 60_000;

        @AttributeDefinition(description = "Number of this server (0-1023), unique among servers sharing one database.", min = "0", max = "1023")
        int nodeId() default 0;

        @AttributeDefinition(description = "How often the inbox is checked for events an adapter can now translate, in seconds.", min = "1")
        int inboxCheckSeconds() default 10;
    }

    /** Adapters by product, highest ranking first. */
    private final Map<String, ConcurrentSkipListMap<ServiceReference<ProductAdapter>, ProductAdapter>> adapters =
            new ConcurrentHashMap<>();
    private final Set<String> known = ConcurrentHashMap.newKeySet();

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    /**
     * Decides whether an organization records events now. Optional so that capture keeps accepting events
     * while the policy bundle is being upgraded; without it nothing is refused for its plan state. Bound by
     * reference only and looked up when first used: the policy records its own changes through this
     * service, and getting each other's service objects at activation would be a cycle.
     */
    private volatile ServiceReference<AccessPolicy> policy;

    private final InboxStore inbox;
    private final IdGenerator ids;
    private final GroupCommitter committer;
    private final long commitTimeoutMillis;
    private final ScheduledExecutorService drainer;

    private final ComponentContext component;

    @Activate
    public CaptureService(ComponentContext component, @Reference AuditStore store, @Reference InboxStore inbox,
            Config config) {
        this.component = component;
        this.inbox = inbox;
        this.ids = new IdGenerator(() -> clock, config.nodeId());
        ids.startAbove(store.maxId());
        this.commitTimeoutMillis = config.commitTimeoutMillis();
        this.committer = new GroupCommitter(store, ids::next, config.maxGroupRecords(), config.queueCapacity());
        this.known.addAll(inbox.knownProducts());
        this.drainer = Executors.newSingleThreadScheduledExecutor(r -> {
            Thread t = new Thread(r, "auditlog-inbox");
            t.setDaemon(true);
            return t;
        });
        drainer.scheduleWithFixedDelay(this::drainAll, 0, config.inboxCheckSeconds(), TimeUnit.SECONDS);
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        drainer.shutdownNow();
        drainer.awaitTermination(30, TimeUnit.SECONDS);
        committer.close();
    }

    @Reference(name = "policy", service = AccessPolicy.class, cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    void bindPolicy(ServiceReference<AccessPolicy> ref) {
        policy = ref;
    }

    void unbindPolicy(ServiceReference<AccessPolicy> ref) {
        if (policy == ref) {
            policy = null;
        }
    }

    @Reference(service = ProductAdapter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(" + ProductAdapter.PRODUCT_PROPERTY + "=*)")
    void bindAdapter(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        String product = productOf(ref);
        adapters.computeIfAbsent(product, p -> new ConcurrentSkipListMap<>(Collections.reverseOrder())).put(ref, adapter);
        LOG.info("Adapter for {} is available ({} {})", LogText.of(product), LogText.of(ref.getBundle().getSymbolicName()),
                ref.getBundle().getVersion());
        if (known.add(product)) {
            try {
                inbox.rememberProduct(product);
            } catch (RuntimeException e) {
                known.remove(product);
                LOG.error("Could not record product {} as known", LogText.of(product), e);
            }
        }
        drainSoon(product);
    }

    void unbindAdapter(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        String product = productOf(ref);
        adapters.computeIfPresent(product, (p, byRank) -> {
            byRank.remove(ref);
            return byRank.isEmpty() ? null : byRank;
        });
        LOG.info("Adapter for {} went away ({} {}); its events wait in the inbox until one returns", LogText.of(product),
                LogText.of(ref.getBundle().getSymbolicName()), ref.getBundle().getVersion());
    }

    @Override
    public IngestResult ingest(String product, List<NativePayload> payloads, IngestContext context)
            throws UnknownProductException, PayloadRejectedException {
        ProductAdapter adapter = adapterFor(product);
        if (adapter == null && !known.contains(product)) {
            throw new UnknownProductException(product);
        }
        RecordNormaliser.checkForwarded(context);
        if (adapter == null) {
            if (payloads.stream().allMatch(p -> EventCapture.CANONICAL_MEDIA_TYPE.equals(p.contentType()))) {
                // Canonical records need no adapter to be read: refuse now what the drain would set aside.
                requireRecording(translate(product, null, payloads, context));
            }
            enqueue(product, payloads, context);
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
                normalised.add(RecordNormaliser.normalise(r, r.product(), IngestContext.internal()));
            } catch (PayloadRejectedException e) {
                throw e.under("[" + i + "]");
            }
        }
        return committer.append(normalised, commitTimeoutMillis);
    }

    @Override
    public Set<String> products() {
        return new TreeSet<>(adapters.keySet());
    }

    @Override
    public List<ProductStatus> productStatus() {
        Set<String> names = new TreeSet<>(known);
        names.addAll(adapters.keySet());
        List<ProductStatus> out = new ArrayList<>();
        for (String product : names) {
            Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best = best(product);
            if (best == null) {
                out.add(new ProductStatus(product, null, null, null, inbox.pendingEvents(product),
                        inbox.failedEvents(product)));
            } else {
                out.add(new ProductStatus(product, best.getKey().getBundle().getSymbolicName(),
                        best.getKey().getBundle().getVersion().toString(), catalogOf(product, best.getValue()),
                        inbox.pendingEvents(product), inbox.failedEvents(product)));
            }
        }
        return out;
    }

    /** Translates and normalises the payloads of one request; the first refusal refuses them all. */
    private List<AuditRecord> translate(String product, ProductAdapter adapter, List<NativePayload> payloads,
            IngestContext context) throws PayloadRejectedException {
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
                LOG.error("Adapter for {} failed on a payload", LogText.of(product), e);
                throw new AdapterFailedException(product, e);
            }
            for (AuditRecord r : translated) {
                try {
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
        Set<String> checked = new java.util.HashSet<>();
        for (AuditRecord r : records) {
            if (checked.add(r.spaceKey())) {
                Decision d = p.mayRecord(r.spaceKey());
                if (!d.allowed()) {
                    throw new PolicyException(PolicyException.Kind.CONFLICT, d.rule(), "space_key", d.detail());
                }
            }
        }
    }

    private void enqueue(String product, List<NativePayload> payloads, IngestContext context) {
        String json;
        try {
            json = JSON.writeValueAsString(payloads.stream().map(NativePayload::json).toList());
        } catch (IOException e) {
            throw new StoreException("could not keep the events for later: " + e.getMessage(), e);
        }
        inbox.enqueue(new InboxEntry(0, product, payloads.get(0).contentType(), json, payloads.size(), context,
                clock.instant(), null));
        if (adapterFor(product) != null) {
            drainSoon(product); // the adapter returned while the entry was being written
        }
    }

    private void drainSoon(String product) {
        try {
            drainer.execute(() -> drain(product));
        } catch (java.util.concurrent.RejectedExecutionException e) {
            // shutting down: the entries stay in the inbox for the next start
        }
    }

    private void drainAll() {
        for (String product : products()) {
            drain(product);
        }
    }

    /** Translates and stores a product's waiting entries, oldest first, while its adapter is there. */
    private void drain(String product) {
        try {
            while (!Thread.currentThread().isInterrupted()) {
                ProductAdapter adapter = adapterFor(product);
                List<InboxEntry> entries = adapter == null ? List.of() : inbox.pending(product, DRAIN_BATCH);
                if (entries.isEmpty()) {
                    return;
                }
                for (InboxEntry entry : entries) {
                    List<AuditRecord> records;
                    try {
                        records = translate(product, adapter, payloadsOf(entry), entry.context());
                        requireRecording(records);
                    } catch (PolicyException e) {
                        LOG.warn("Inbox entry {} of {} is kept aside: {}", entry.id(), LogText.of(product), LogText.of(e.getMessage()));
                        inbox.fail(entry.id(), e.getMessage());
                        continue;
                    } catch (PayloadRejectedException e) {
                        LOG.warn("Inbox entry {} of {} was refused by its adapter and is kept aside: {}", entry.id(),
                                LogText.of(product), LogText.of(e.getMessage()));
                        inbox.fail(entry.id(), e.getMessage());
                        continue;
                    }
                    List<AuditRecord> numbered = new ArrayList<>(records.size());
                    for (AuditRecord r : records) {
                        numbered.add(r.withId(ids.next()));
                    }
                    try {
                        inbox.consume(entry.id(), numbered);
                    } catch (DataRefusedException e) {
                        // the same records would be refused on every pass: set the entry aside, drain the rest
                        LOG.warn("Inbox entry {} of {} was refused by the store and is kept aside: {}", entry.id(),
                                LogText.of(product), LogText.of(e.getMessage()));
                        inbox.fail(entry.id(), "refused by the store: " + e.getMessage());
                    }
                }
            }
        } catch (AdapterFailedException e) {
            LOG.error("Draining the {} inbox stopped: {}; it resumes when the adapter changes", LogText.of(product),
                    LogText.of(e.getMessage()));
        } catch (RuntimeException e) {
            LOG.error("Draining the {} inbox failed; it is retried later", LogText.of(product), e);
        }
    }

    @Override
    public List<InboxEntry> failedInboxEntries(String product, int max) throws UnknownProductException {
        requireKnown(product);
        return inbox.failedEntries(product, max);
    }

    @Override
    public Optional<InboxEntry> inboxEntry(String product, long entryId) throws UnknownProductException {
        requireKnown(product);
        return inbox.entry(entryId).filter(e -> e.product().equals(product));
    }

    @Override
    public Optional<InboxEntry> retryInboxEntry(String product, long entryId) throws UnknownProductException {
        setAside(product, entryId);
        if (inbox.retryEntry(entryId)) {
            LOG.info("Inbox entry {} of {} is retried by the operator", entryId, LogText.of(product));
        }
        drainNow(product);
        return inbox.entry(entryId);
    }

    /** Drains a product's inbox on the inbox thread and waits (bounded) for that pass to end. */
    void drainNow(String product) {
        try {
            drainer.submit(() -> drain(product)).get(commitTimeoutMillis, TimeUnit.MILLISECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        } catch (java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException
                | java.util.concurrent.RejectedExecutionException e) {
            LOG.warn("Draining the {} inbox did not finish: {}", LogText.of(product), LogText.of(e));
        }
    }

    @Override
    public void deleteInboxEntry(String product, long entryId) throws UnknownProductException {
        InboxEntry entry = setAside(product, entryId);
        if (!inbox.deleteFailed(entryId)) {
            throw new IllegalStateException("inbox entry " + entryId + " is no longer set aside");
        }
        LOG.warn("Inbox entry {} of {} ({} events, received {}, kept aside for: {}) was deleted by the operator",
                entryId, LogText.of(product), entry.events(), entry.received(), LogText.of(entry.failure()));
    }

    /** The entry, when it is the product's and set aside; else NoSuchElementException or IllegalStateException. */
    private InboxEntry setAside(String product, long entryId) throws UnknownProductException {
        InboxEntry entry = inboxEntry(product, entryId)
                .orElseThrow(() -> new java.util.NoSuchElementException("no inbox entry " + entryId + " of " + product));
        if (entry.failure() == null) {
            throw new IllegalStateException("inbox entry " + entryId + " is waiting to be drained, not set aside");
        }
        return entry;
    }

    private void requireKnown(String product) throws UnknownProductException {
        if (!known.contains(product) && adapterFor(product) == null) {
            throw new UnknownProductException(product);
        }
    }

    private static List<NativePayload> payloadsOf(InboxEntry entry) throws PayloadRejectedException {
        List<?> jsons;
        try {
            jsons = JSON.readValue(entry.payloads(), List.class);
        } catch (IOException e) {
            throw new PayloadRejectedException(null, "the stored events are not a JSON array: " + e.getMessage());
        }
        List<NativePayload> payloads = new ArrayList<>(jsons.size());
        for (int i = 0; i < jsons.size(); i++) {
            payloads.add(new NativePayload(entry.contentType(), jsons.get(i), i));
        }
        return payloads;
    }

    private static org.auditlog.api.ProductCatalog catalogOf(String product, ProductAdapter adapter) {
        try {
            return adapter.catalog();
        } catch (RuntimeException e) {
            LOG.error("Adapter for {} failed to give its catalog", LogText.of(product), e);
            return null;
        }
    }

    private ProductAdapter adapterFor(String product) {
        Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best = best(product);
        return best == null ? null : best.getValue();
    }

    private Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best(String product) {
        ConcurrentSkipListMap<ServiceReference<ProductAdapter>, ProductAdapter> byRank = adapters.get(product);
        return byRank == null ? null : byRank.firstEntry();
    }

    private static String productOf(ServiceReference<?> ref) {
        return String.valueOf(ref.getProperty(ProductAdapter.PRODUCT_PROPERTY));
    }
}
