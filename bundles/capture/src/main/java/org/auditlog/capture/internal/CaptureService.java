package org.auditlog.capture.internal;

import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;

import org.auditlog.api.AuditRecord;
import org.auditlog.api.AuditStore;
import org.auditlog.api.CanonicalRecords;
import org.auditlog.api.EventCapture;
import org.auditlog.api.IngestContext;
import org.auditlog.api.NativePayload;
import org.auditlog.api.PayloadRejectedException;
import org.auditlog.api.ProductAdapter;
import org.auditlog.api.UnknownProductException;
import org.osgi.framework.ServiceReference;
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
 * (service property {@value ProductAdapter#PRODUCT_PROPERTY}), normalises the records, and appends them
 * through the group committer. Configured by PID {@value #PID}.
 */
@Component(service = EventCapture.class, configurationPid = CaptureService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = CaptureService.Config.class)
public class CaptureService implements EventCapture {
    static final String PID = "org.auditlog.capture";
    private static final Logger LOG = LoggerFactory.getLogger(CaptureService.class);

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
    }

    /** Adapters by product, highest ranking first. */
    private final Map<String, ConcurrentSkipListMap<ServiceReference<ProductAdapter>, ProductAdapter>> adapters =
            new ConcurrentHashMap<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final GroupCommitter committer;
    private final long commitTimeoutMillis;

    @Activate
    public CaptureService(@Reference AuditStore store, Config config) {
        IdGenerator ids = new IdGenerator(() -> clock, config.nodeId());
        ids.startAbove(store.maxId());
        this.commitTimeoutMillis = config.commitTimeoutMillis();
        this.committer = new GroupCommitter(store, ids::next, config.maxGroupRecords(), config.queueCapacity());
    }

    @Deactivate
    void deactivate() {
        committer.close();
    }

    @Reference(service = ProductAdapter.class, cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC, target = "(" + ProductAdapter.PRODUCT_PROPERTY + "=*)")
    void bindAdapter(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        String product = String.valueOf(ref.getProperty(ProductAdapter.PRODUCT_PROPERTY));
        adapters.computeIfAbsent(product, p -> new ConcurrentSkipListMap<>(java.util.Collections.reverseOrder()))
                .put(ref, adapter);
        LOG.info("Adapter for {} is available ({})", product, ref.getBundle().getSymbolicName());
    }

    void unbindAdapter(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        String product = String.valueOf(ref.getProperty(ProductAdapter.PRODUCT_PROPERTY));
        adapters.computeIfPresent(product, (p, byRank) -> {
            byRank.remove(ref);
            return byRank.isEmpty() ? null : byRank;
        });
        LOG.info("Adapter for {} went away", product);
    }

    @Override
    public List<AuditRecord> ingest(String product, List<NativePayload> payloads, IngestContext context)
            throws UnknownProductException, PayloadRejectedException {
        ProductAdapter adapter = adapterFor(product);
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
                    records.add(RecordNormaliser.normalise(r, product, context));
                } catch (PayloadRejectedException e) {
                    throw at == null ? e : e.under(at);
                }
            }
        }
        return committer.append(records, commitTimeoutMillis);
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

    private ProductAdapter adapterFor(String product) throws UnknownProductException {
        ConcurrentSkipListMap<ServiceReference<ProductAdapter>, ProductAdapter> byRank = adapters.get(product);
        Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best = byRank == null ? null : byRank.firstEntry();
        if (best == null) {
            throw new UnknownProductException(product);
        }
        return best.getValue();
    }
}
