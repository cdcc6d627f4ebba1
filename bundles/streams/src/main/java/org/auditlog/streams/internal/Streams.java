package org.auditlog.streams.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.adapter.AuditRecord;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.api.mail.MailMessage;
import org.auditlog.api.mail.Mailer;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.LeaseStore;
import org.auditlog.api.store.StoredStream;
import org.auditlog.api.store.StreamPosition;
import org.auditlog.api.store.StreamStore;
import org.auditlog.api.stream.Delivery;
import org.auditlog.api.stream.DestinationSettings;
import org.auditlog.api.stream.SettingsRefusedException;
import org.auditlog.api.stream.StreamBatch;
import org.auditlog.api.stream.StreamConflictException;
import org.auditlog.api.stream.StreamDestination;
import org.auditlog.api.stream.StreamEvent;
import org.auditlog.api.stream.StreamRequest;
import org.auditlog.api.stream.StreamService;
import org.auditlog.api.stream.StreamView;
import org.auditlog.api.work.BackgroundWork;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The streams: what their admins do with them ({@link StreamService}) and their delivery ({@link StreamDelivery}),
 * with the destination types that are installed now (their bundles may come and go; a stream of a missing type is
 * shown {@code disabled} and waits with its place).
 */
@Component(service = StreamService.class, configurationPid = "org.auditlog.streams")
@Designate(ocd = StreamsConfig.class)
public class Streams implements StreamService {
    private static final Logger LOG = LoggerFactory.getLogger(Streams.class);
    static final String DATA_PROPERTY = "auditlog.data";
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, StreamDestination> types = new ConcurrentHashMap<>();

    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    volatile Clock clock;

    /**
     * Signs the digests of the files the destinations that store files write (s3). Optional: without it such a
     * destination's batches wait (retried), the others go on.
     */
    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    volatile CheckpointService checkpoints;

    private final StreamStore store;
    private final AuditStore events;
    private final EvidenceStore evidence;
    private final Networks networks;
    private final SecretBox box;
    private final StreamDelivery delivery;
    private final ScheduledExecutorService looks;
    private final ExecutorService deliveries;

    @Activate
    public Streams(
            BundleContext context,
            StreamsConfig config,
            @Reference StreamStore store,
            @Reference AuditStore events,
            @Reference EvidenceStore evidence,
            @Reference LeaseStore leases,
            @Reference AccessPolicy policy,
            @Reference OrganizationService organizations,
            @Reference Mailer mailer,
            @Reference BackgroundWork work,
            @Reference ServerNode node)
            throws IOException {
        this.store = store;
        this.events = events;
        this.evidence = evidence;
        this.networks = new Networks(Networks.parse(config.allowedNetworks()), java.net.InetAddress::getAllByName);
        String data = Optional.ofNullable(context.getProperty(DATA_PROPERTY)).orElse("data");
        Path keyFile = config.secretsKeyFile().isBlank()
                ? Path.of(data).resolve("streams").resolve("secrets.key")
                : Path.of(config.secretsKeyFile().strip());
        this.box = SecretBox.open(keyFile);
        this.delivery = new StreamDelivery(
                store,
                events,
                evidence,
                leases,
                types::get,
                s -> box.open(s.id(), s.sealedSecrets()),
                networks,
                policy::mayStream,
                new BatchFiles(events, evidence, () -> checkpoints)::file,
                () -> clock,
                node.holder(),
                new StreamDelivery.Settings(
                        config.batchEvents(),
                        Duration.ofSeconds(config.attemptTimeoutSeconds()),
                        Duration.ofSeconds(30),
                        new Backoff(Duration.ofSeconds(1), Duration.ofSeconds(config.maxBackoffSeconds())),
                        Duration.ofDays(config.pauseAfterFailingDays())));
        String base = config.baseUrl().isBlank()
                ? "http://localhost:"
                        + Optional.ofNullable(context.getProperty("org.osgi.service.http.port"))
                                .orElse("8080")
                : config.baseUrl().strip().replaceAll("/+$", "");
        delivery.onPausedForFailing = s -> mailPaused(s, organizations, mailer, base);
        this.deliveries = work.workers("stream-delivery", config.deliveryThreads());
        delivery.requeue = deliveries::execute;
        this.looks = work.scheduler("stream-looks");
        looks.scheduleWithFixedDelay(this::look, config.lookMillis(), config.lookMillis(), TimeUnit.MILLISECONDS);
        LOG.info(
                "Streams: secrets key {}, {} delivery thread(s), allowed networks [{}]",
                keyFile,
                config.deliveryThreads(),
                config.allowedNetworks());
    }

    private void look() {
        try {
            for (Runnable r : delivery.look()) {
                deliveries.execute(r);
            }
        } catch (RejectedExecutionException stopping) {
            // deactivated meanwhile
        } catch (RuntimeException e) {
            LOG.warn("Streams: a look for new events failed: {}", e.toString());
        }
    }

    /** Tells the organization's Audit Log Admins that its stream was paused after failing too long. */
    private void mailPaused(StoredStream s, OrganizationService organizations, Mailer mailer, String base) {
        if (s.spaceKey() == null) {
            LOG.warn(
                    "Server-wide stream {} ({}) paused after failing too long; resume it when its destination is back",
                    s.id(),
                    s.name());
            return;
        }
        try {
            List<MailMessage> mails = PausedMails.of(
                    s,
                    store.positions(s.id()),
                    organizations.auditAdmins(s.spaceKey()),
                    clock.instant(),
                    base + "/orgs/" + s.spaceKey() + "/settings/audit-log");
            for (MailMessage m : mails) {
                mailer.queue(m);
            }
            LOG.warn(
                    "Stream {} ({}) of {} paused after failing too long; {} Audit Log Admin(s) mailed",
                    s.id(),
                    s.name(),
                    s.spaceKey(),
                    mails.size());
        } catch (RuntimeException e) {
            LOG.error(
                    "Stream {} ({}) paused after failing too long; its admins could not be mailed: {}",
                    s.id(),
                    s.name(),
                    e.toString());
        }
    }

    @Deactivate
    void deactivate() throws InterruptedException {
        looks.shutdownNow();
        deliveries.shutdownNow();
        deliveries.awaitTermination(10, TimeUnit.SECONDS);
        try {
            delivery.releaseAll();
        } catch (RuntimeException e) {
            LOG.info("Streams: leases left to expire ({})", e.toString());
        }
    }

    @Reference(
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC,
            service = StreamDestination.class)
    void addDestination(StreamDestination d) {
        types.put(d.type(), d);
        LOG.info("Stream destination type {} is available", d.type());
    }

    void removeDestination(StreamDestination d) {
        if (types.remove(d.type(), d)) {
            LOG.info("Stream destination type {} went away; its streams wait with their place", d.type());
        }
    }

    // ---- StreamService

    @Override
    public Set<String> types() {
        return new TreeSet<>(types.keySet());
    }

    @Override
    public StreamView create(String spaceKey, StreamRequest request) throws SettingsRefusedException {
        String id = newId();
        Checked c = check(request, null);
        Instant now = clock.instant();
        for (StoredStream other : store.list(spaceKey)) {
            if (other.name().equals(c.name)) {
                throw new StreamConflictException(c.name);
            }
        }
        StoredStream s = new StoredStream(
                id,
                spaceKey,
                c.name,
                c.settings.type(),
                c.settings.settings(),
                box.seal(id, c.settings.secrets()),
                request.products(),
                request.categories(),
                "active",
                null,
                now,
                now,
                0);
        try {
            store.create(s);
        } catch (RuntimeException e) {
            // the store refuses a name taken meanwhile by a concurrent creation
            for (StoredStream other : store.list(spaceKey)) {
                if (other.name().equals(c.name) && !other.id().equals(id)) {
                    throw new StreamConflictException(c.name);
                }
            }
            throw e;
        }
        LOG.info(
                "Stream {} ({}, {}) created for {}",
                id,
                c.name,
                s.type(),
                spaceKey == null ? "every organization" : spaceKey);
        return view(s);
    }

    @Override
    public List<StreamView> list(String spaceKey) {
        List<StreamView> out = new ArrayList<>();
        for (StoredStream s : store.list(spaceKey)) {
            out.add(view(s));
        }
        return out;
    }

    @Override
    public Optional<StreamView> find(String spaceKey, String id) {
        return own(spaceKey, id).map(this::view);
    }

    @Override
    public Optional<StreamView> update(String spaceKey, String id, StreamRequest request)
            throws SettingsRefusedException {
        Optional<StoredStream> found = own(spaceKey, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredStream old = found.get();
        DestinationSettings stored =
                new DestinationSettings(old.type(), old.settings(), box.open(id, old.sealedSecrets()));
        Checked c = check(request, stored);
        for (StoredStream other : store.list(spaceKey)) {
            if (other.name().equals(c.name) && !other.id().equals(id)) {
                throw new StreamConflictException(c.name);
            }
        }
        // a changed destination is tried again at once: a failing stream goes back to active
        String state = old.state().equals("failing") ? "active" : old.state();
        StoredStream s = new StoredStream(
                id,
                spaceKey,
                c.name,
                c.settings.type(),
                c.settings.settings(),
                box.seal(id, c.settings.secrets()),
                request.products(),
                request.categories(),
                state,
                state.equals("paused") ? old.pausedBy() : null,
                old.created(),
                clock.instant(),
                old.revision());
        if (!store.update(s, old.revision())) {
            return update(spaceKey, id, request); // changed meanwhile (a delivery's state): again on the new one
        }
        delivery.forgetRetries(id); // a changed destination is tried at once (by this server, if it delivers)
        return find(spaceKey, id);
    }

    @Override
    public boolean delete(String spaceKey, String id) {
        if (own(spaceKey, id).isEmpty()) {
            return false;
        }
        delivery.release(id);
        return store.delete(id);
    }

    @Override
    public Optional<StreamView> pause(String spaceKey, String id, String by) {
        return setState(spaceKey, id, "paused", Objects.requireNonNull(by, "by"));
    }

    @Override
    public Optional<StreamView> resume(String spaceKey, String id) {
        return setState(spaceKey, id, "active", null);
    }

    private Optional<StreamView> setState(String spaceKey, String id, String state, String by) {
        for (int tries = 0; tries < 10; tries++) {
            Optional<StoredStream> found = own(spaceKey, id);
            if (found.isEmpty()) {
                return Optional.empty();
            }
            StoredStream s = found.get();
            if (store.update(s.withState(state, by, clock.instant()), s.revision())) {
                if (state.equals("paused")) {
                    delivery.release(id);
                }
                return find(spaceKey, id);
            }
        }
        throw new IllegalStateException("stream " + id + " kept changing");
    }

    @Override
    public Optional<Delivery> test(String spaceKey, String id) {
        Optional<StoredStream> found = own(spaceKey, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        StoredStream s = found.get();
        StreamDestination d = types.get(s.type());
        if (d == null) {
            return Optional.of(Delivery.refused("internal", "the destination type " + s.type() + " is not installed"));
        }
        Instant now = clock.instant();
        String org = spaceKey == null ? "SERVER" : spaceKey;
        String product = s.products().isEmpty() ? "Apps" : s.products().get(0);
        AuditRecord made = new AuditRecord(
                0,
                org,
                product,
                now,
                "Audit log",
                "Test a stream",
                "A test delivery of the stream " + s.name() + "; this event is not in the log",
                "",
                "System",
                "",
                "",
                "",
                AuditRecord.V1);
        StreamBatch batch = new StreamBatch(
                "test-" + id + "-" + now.toEpochMilli(), id, org, product, 0, 0, List.of(new StreamEvent(0, made)), 1);
        DestinationSettings ds = new DestinationSettings(s.type(), s.settings(), box.open(id, s.sealedSecrets()));
        try {
            return Optional.of(d.deliver(batch, ds, delivery.context(true)));
        } catch (RuntimeException e) {
            return Optional.of(Delivery.retry(null, "internal", "the destination failed: " + e));
        }
    }

    @Override
    public Optional<StreamView> replay(String spaceKey, String id, Instant from, Map<String, Long> sequences)
            throws SettingsRefusedException {
        Optional<StoredStream> found = own(spaceKey, id);
        if (found.isEmpty()) {
            return Optional.empty();
        }
        if ((from == null) == (sequences == null || sequences.isEmpty())) {
            throw new SettingsRefusedException("from", "give either from (an instant) or sequences (per product)");
        }
        StoredStream s = found.get();
        List<TreeHead> logs = StreamDelivery.covered(s, evidence.trees());
        Map<String, Map<String, Long>> byOrg = new LinkedHashMap<>();
        if (from != null) {
            for (TreeHead h : logs) {
                byOrg.computeIfAbsent(h.spaceKey(), k -> new HashMap<>())
                        .put(h.product(), events.firstSequenceDatedFrom(h.spaceKey(), h.product(), from));
            }
        } else {
            for (Map.Entry<String, Long> e : sequences.entrySet()) {
                if (e.getValue() == null || e.getValue() < 0) {
                    throw new SettingsRefusedException("sequences." + e.getKey(), "a sequence from 0");
                }
                boolean known = false;
                for (TreeHead h : logs) {
                    if (h.product().equals(e.getKey())) {
                        known = true;
                        if (e.getValue() > h.size()) {
                            throw new SettingsRefusedException(
                                    "sequences." + e.getKey(),
                                    "beyond the log of " + h.spaceKey() + " (" + h.size() + " events)");
                        }
                        byOrg.computeIfAbsent(h.spaceKey(), k -> new HashMap<>())
                                .put(h.product(), e.getValue());
                    }
                }
                if (!known) {
                    throw new SettingsRefusedException("sequences." + e.getKey(), "a product this stream delivers");
                }
            }
        }
        delivery.release(id); // the holder picks the new places up at its next turn
        for (Map.Entry<String, Map<String, Long>> e : byOrg.entrySet()) {
            store.moveTo(id, e.getKey(), e.getValue());
        }
        return find(spaceKey, id);
    }

    // ---- helpers

    private Optional<StoredStream> own(String spaceKey, String id) {
        return store.find(id).filter(s -> Objects.equals(s.spaceKey(), spaceKey));
    }

    private record Checked(String name, DestinationSettings settings) {}

    private Checked check(StreamRequest request, DestinationSettings stored) throws SettingsRefusedException {
        String name = request.name() == null ? "" : request.name().strip();
        if (name.isEmpty() || name.length() > 100) {
            throw new SettingsRefusedException("name", "1 to 100 characters");
        }
        for (int i = 0; i < name.length(); i++) {
            if (Character.isISOControl(name.charAt(i))) {
                throw new SettingsRefusedException("name", "no control characters");
            }
        }
        Object type = request.destination().get("type");
        if (!(type instanceof String t) || t.isBlank()) {
            throw new SettingsRefusedException("destination.type", "required: one of " + types());
        }
        StreamDestination d = types.get(t);
        if (d == null) {
            throw new SettingsRefusedException("destination.type", "one of the installed types " + types());
        }
        checkList("products", request.products(), 32);
        checkList("categories", request.categories(), 64);
        Map<String, Object> given = new LinkedHashMap<>(request.destination());
        given.remove("type");
        DestinationSettings settings =
                d.check(given, stored != null && stored.type().equals(t) ? stored : null, networks);
        return new Checked(name, settings);
    }

    private static void checkList(String field, List<String> values, int maxLength) throws SettingsRefusedException {
        if (values.size() > 100) {
            throw new SettingsRefusedException(field, "at most 100 entries");
        }
        for (int i = 0; i < values.size(); i++) {
            String v = values.get(i);
            if (v == null || v.isBlank() || v.length() > maxLength) {
                throw new SettingsRefusedException(field + "[" + i + "]", "1 to " + maxLength + " characters");
            }
        }
    }

    private static String newId() {
        byte[] b = new byte[12];
        RANDOM.nextBytes(b);
        return "str_" + Base64.getUrlEncoder().withoutPadding().encodeToString(b);
    }

    StreamView view(StoredStream s) {
        Map<String, StreamPosition> places = new HashMap<>();
        for (StreamPosition p : store.positions(s.id())) {
            places.put(p.spaceKey() + '\u0000' + p.product(), p);
        }
        List<StreamView.LogPlace> logs = new ArrayList<>();
        for (TreeHead h : StreamDelivery.covered(s, evidence.trees())) {
            StreamPosition p = places.get(h.spaceKey() + '\u0000' + h.product());
            long next = p == null ? 0 : p.next();
            logs.add(new StreamView.LogPlace(
                    h.spaceKey(),
                    h.product(),
                    next - 1,
                    Math.max(0, h.size() - next),
                    p == null ? -1 : p.lastLag(),
                    p == null ? null : p.lastSuccess(),
                    p == null ? null : p.lastError(),
                    p == null ? null : p.errorCategory(),
                    p == null ? null : p.errorMessage(),
                    p == null ? null : p.failingSince(),
                    p == null ? -1 : p.gapFrom(),
                    p == null ? -1 : p.gapTo()));
        }
        String state = types.containsKey(s.type()) ? s.state() : "disabled";
        Set<String> secretNames;
        try {
            secretNames = box.open(s.id(), s.sealedSecrets()).keySet();
        } catch (IllegalStateException e) {
            secretNames = Set.of();
        }
        return new StreamView(
                s.id(),
                s.spaceKey(),
                s.name(),
                s.type(),
                s.settings(),
                secretNames,
                s.products(),
                s.categories(),
                state,
                s.pausedBy(),
                s.created(),
                s.updated(),
                logs);
    }
}
