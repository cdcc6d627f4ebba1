package org.auditlog.export.internal;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.YearMonth;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Optional;
import org.auditlog.api.capture.ServerNode;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.evidence.SignedCheckpoint;
import org.auditlog.api.evidence.TreeHead;
import org.auditlog.api.work.BackgroundWork;
import org.auditlog.api.work.HeldLease;
import org.auditlog.api.work.LeaseTerms;
import org.auditlog.api.work.LeasedTask;
import org.auditlog.api.work.Schedule;
import org.auditlog.api.work.ScheduledWork;
import org.auditlog.evidence.Checkpoint;
import org.auditlog.evidence.NoteKeys;
import org.auditlog.evidence.SignedNote;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * {@link CheckpointService}: the signing key, made at first start into a file readable by its owner only
 * ({@code <data>/evidence/checkpoint.key} unless {@code evidenceKeyFile} names another: two lines, the C2SP signer
 * key and its verifier key), and the checkpoints: every tree's signed at least every hour and at each month's close
 * (its size when the next month began), by one server at a time (lease {@value #LEASE_NAME}, through
 * {@link BackgroundWork#scheduleUnderLease}).
 */
@Component(
        service = CheckpointService.class,
        immediate = true,
        configurationPid = ZipExportService.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class CheckpointSigner implements CheckpointService {
    private static final Logger LOG = LoggerFactory.getLogger(CheckpointSigner.class);
    static final String LEASE_NAME = "evidence-checkpoints";
    static final Duration LEASE = Duration.ofMinutes(10);
    /** Every tree has a checkpoint at most this old (while a server runs). */
    static final Duration EVERY = Duration.ofHours(1);

    /** The time; see {@code docs/event-path.md}. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final EvidenceStore store;
    private final BackgroundWork work;
    private final LeaseTerms lease;
    private final NoteKeys.Signer signer;
    private final NoteKeys.Verifier verifier;
    private final Schedule looks;
    private volatile Instant lastSweep;
    private volatile ScheduledWork scheduled;

    @Activate
    public CheckpointSigner(
            BundleContext context,
            @Reference EvidenceStore store,
            @Reference BackgroundWork work,
            @Reference ServerNode node,
            ExportConfig config)
            throws IOException {
        this.store = store;
        this.work = work;
        this.lease = new LeaseTerms(LEASE_NAME, node.holder(), LEASE);
        this.looks = Schedule.every(Duration.ofSeconds(Math.max(1, config.checkSeconds())));
        Path keyFile = keyFile(context, config);
        NoteKeys.Pair pair = loadOrMake(keyFile, config.evidenceKeyName());
        this.signer = pair.signer();
        this.verifier = pair.verifier();
        store.noteKey(verifier.text());
        LOG.info("Evidence: checkpoints signed with key {} (from {})", verifier.text(), keyFile);
    }

    static Path keyFile(BundleContext context, ExportConfig config) {
        String configured = config.evidenceKeyFile().strip();
        return (configured.isEmpty()
                        ? Path.of(Optional.ofNullable(context.getProperty("auditlog.data"))
                                        .orElse("data"))
                                .resolve("evidence")
                                .resolve("checkpoint.key")
                        : Path.of(configured))
                .toAbsolutePath()
                .normalize();
    }

    /**
     * The key in {@code file}, or a new one written there first (to a temporary file moved into place without
     * replacing: two servers making it at once on a shared folder both end with the one that got there first).
     */
    static NoteKeys.Pair loadOrMake(Path file, String name) throws IOException {
        if (!Files.exists(file)) {
            OwnerOnlyFolders.create(file.toAbsolutePath().getParent());
            NoteKeys.Pair made = NoteKeys.generate(name);
            Path temporary = Files.createTempFile(file.toAbsolutePath().getParent(), "." + file.getFileName(), ".tmp");
            try {
                if (Files.getFileAttributeView(temporary, PosixFileAttributeView.class) != null) {
                    Files.setPosixFilePermissions(temporary, PosixFilePermissions.fromString("rw-------"));
                }
                Files.writeString(
                        temporary, made.signer().text() + "\n" + made.verifier().text() + "\n", StandardCharsets.UTF_8);
                try {
                    // a hard link, not a rename: it never replaces a key another server made meanwhile
                    Files.createLink(file, temporary);
                    LOG.info("Evidence: made a new signing key in {}", file);
                } catch (FileAlreadyExistsException e) {
                    LOG.info("Evidence: another server made the key in {} first", file);
                } catch (UnsupportedOperationException e) {
                    Files.move(temporary, file); // no hard links here: fails too if the file exists now
                }
            } finally {
                Files.deleteIfExists(temporary);
            }
        }
        List<String> lines = Files.readAllLines(file, StandardCharsets.UTF_8);
        if (lines.size() < 2) {
            throw new IOException(file + " is not a signing key file: two lines, the signer key and the verifier key");
        }
        try {
            NoteKeys.Verifier v = NoteKeys.verifier(lines.get(1).strip());
            return new NoteKeys.Pair(NoteKeys.signer(lines.get(0).strip(), v), v);
        } catch (IllegalArgumentException e) {
            throw new IOException(file + " does not hold a valid key: " + e.getMessage(), e);
        }
    }

    /** Schedules the looks, the first at once; DS calls it once the fields, the clock among them, are set. */
    @Activate
    void start() {
        scheduled = work.scheduleUnderLease("checkpoints", lease, looks, sweeps);
    }

    @Deactivate
    void stop() {
        scheduled.close();
    }

    private Instant now() {
        return clock.instant();
    }

    /** One look: every hour (or after a month began) every tree is signed, under the lease. */
    private final LeasedTask sweeps = new LeasedTask() {
        @Override
        public boolean due() {
            Instant now = now();
            Instant last = lastSweep;
            return last == null
                    || !now.isBefore(last.plus(EVERY))
                    || !YearMonth.from(last.atOffset(ZoneOffset.UTC))
                            .equals(YearMonth.from(now.atOffset(ZoneOffset.UTC)));
        }

        @Override
        public void run(HeldLease held) {
            Instant now = now();
            sweep(now);
            lastSweep = now;
        }
    };

    /** Signs every tree's checkpoint, and each tree's close of last month if it is not signed yet. */
    void sweep(Instant now) {
        YearMonth month = YearMonth.from(now.atOffset(ZoneOffset.UTC));
        YearMonth last = month.minusMonths(1);
        int signed = 0;
        for (TreeHead tree : store.trees()) {
            if (store.monthCheckpoint(tree.spaceKey(), tree.product(), last).isEmpty()) {
                long end = store.monthStart(tree.spaceKey(), tree.product(), month);
                if (end > 0) {
                    store.saveCheckpoint(sign(tree.spaceKey(), tree.product(), end, now), Optional.of(last));
                    signed++;
                }
            }
            if (tree.size() > 0) {
                store.saveCheckpoint(sign(tree.spaceKey(), tree.product(), tree.size(), now), Optional.empty());
                signed++;
            }
        }
        LOG.info("Evidence: {} checkpoints signed", signed);
    }

    SignedCheckpoint sign(String spaceKey, String product, long size, Instant at) {
        byte[] root = store.root(spaceKey, product, size);
        Checkpoint cp = new Checkpoint(origin(spaceKey, product), size, root, at);
        return new SignedCheckpoint(spaceKey, product, size, root, at, SignedNote.sign(cp.text(), signer));
    }

    @Override
    public Optional<SignedCheckpoint> latest(String spaceKey, String product) {
        long size = store.head(spaceKey, product).size();
        if (size == 0) {
            return Optional.empty();
        }
        Optional<SignedCheckpoint> latest = store.latestCheckpoint(spaceKey, product);
        if (latest.isPresent() && latest.get().size() >= size && signedByThisKey(latest.get())) {
            return latest;
        }
        SignedCheckpoint fresh = sign(spaceKey, product, size, now());
        store.saveCheckpoint(fresh, Optional.empty());
        return Optional.of(fresh);
    }

    /** Whether the current key signed it: a checkpoint signed with an earlier key is signed again. */
    private boolean signedByThisKey(SignedCheckpoint checkpoint) {
        try {
            return !SignedNote.open(checkpoint.note(), List.of(verifier))
                    .verifiedBy()
                    .isEmpty();
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Override
    public String sign(String text) {
        return SignedNote.sign(text, signer);
    }

    @Override
    public String key() {
        return verifier.text();
    }

    @Override
    public List<String> keys() {
        return store.keys();
    }

    @Override
    public String origin(String spaceKey, String product) {
        return verifier.name() + "/" + spaceKey + "/" + product;
    }
}
