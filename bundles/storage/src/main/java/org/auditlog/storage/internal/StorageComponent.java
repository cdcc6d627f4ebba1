package org.auditlog.storage.internal;

import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import org.auditlog.api.AuditRecord;
import org.auditlog.api.AuditStore;
import org.auditlog.api.DownloadGrant;
import org.auditlog.api.DownloadTokenStore;
import org.auditlog.api.ExportJob;
import org.auditlog.api.IssuedDownload;
import org.auditlog.api.EventPage;
import org.auditlog.api.EventQuery;
import org.auditlog.api.ExportJobStore;
import org.auditlog.api.InboxEntry;
import org.auditlog.api.InboxStore;
import org.auditlog.api.MailMessage;
import org.auditlog.api.MailStatus;
import org.auditlog.api.MailStore;
import org.auditlog.api.OrganizationSnapshot;
import org.auditlog.api.OrganizationStore;
import org.auditlog.api.IssuedToken;
import org.auditlog.api.QueuedMail;
import org.auditlog.api.TokenGrant;
import org.auditlog.api.TokenStore;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * Publishes the stores of one database: {@link AuditStore}, {@link TokenStore}, {@link InboxStore},
 * {@link OrganizationStore}, {@link ExportJobStore}, {@link DownloadTokenStore} and {@link MailStore}, each with
 * the service property {@value #STORE_PROPERTY}={@value #STORE_TYPE}. Configured by PID {@value #PID}; by default
 * an embedded HSQLDB under {@code <auditlog.data>/db}.
 */
@Component(service = {AuditStore.class, TokenStore.class, InboxStore.class, OrganizationStore.class,
        ExportJobStore.class, DownloadTokenStore.class, MailStore.class},
        configurationPid = StorageComponent.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = StorageComponent.STORE_PROPERTY + "=" + StorageComponent.STORE_TYPE)
@Designate(ocd = StorageComponent.Config.class)
public class StorageComponent implements AuditStore, TokenStore, InboxStore, OrganizationStore, ExportJobStore,
        DownloadTokenStore, MailStore {
    static final String PID = "org.auditlog.storage";
    /** Service property of every store published here, naming the database. */
    static final String STORE_PROPERTY = "auditlog.store";
    static final String STORE_TYPE = "hsqldb";
    /** Framework property naming the data folder (set by the launcher's {@code --data}). */
    static final String DATA_PROPERTY = "auditlog.data";

    @ObjectClassDefinition(name = "Auditlog storage", description = "Where audit records and tokens are kept.")
    public @interface Config {
        @AttributeDefinition(description = "JDBC URL of an HSQLDB database. Empty: the embedded database in <data>/db.")
        String jdbcUrl() default "";

        @AttributeDefinition(description = "Database user (only with jdbcUrl).")
        String user() default "SA";

        /** Property {@code .password}: DS keeps dotted properties off the service's properties. */
        @AttributeDefinition(description = "Database password (only with jdbcUrl).", type = org.osgi.service.metatype.annotations.AttributeType.PASSWORD)
        String _password() default "";

        @AttributeDefinition(description = "Connections for writes and every store but the reads of events: the "
                + "capture group committer's appends, the inbox, tokens, organizations, export jobs, the mail outbox. "
                + "Searches never take these. 0: maxConnections if that is set (older configurations), else 6.",
                min = "0")
        int writeConnections() default 0;

        @AttributeDefinition(description = "Connections for event searches (GET /api/v1/orgs/{key}/events). HSQLDB "
                + "runs a statement on the calling thread, so this is also the most processor cores searches can "
                + "take. 0: half the processors, at least 1.", min = "0")
        int readConnections() default 0;

        @AttributeDefinition(description = "Connections for export streams and their counts (export jobs, "
                + "past-month files). No statement timeout applies to them.", min = "1")
        int exportConnections() default 2;

        @AttributeDefinition(description = "How long a search waits for a free read connection before it is "
                + "answered 503 busy, in milliseconds.", min = "0")
        long readWaitMillis() default 2000;

        @AttributeDefinition(description = "How long a search's statement may run before it is stopped and answered "
                + "503 query_timeout, in seconds (0: no limit).", min = "0")
        int queryTimeoutSeconds() default 10;

        @AttributeDefinition(description = "The most index entries one page of a filtered event search looks at "
                + "(a filter its index does not hold: category, event, product with user, a user name). A page the "
                + "bound ends early has fewer events, searchedBackTo and a cursor to go on.", min = "100")
        int searchScanRows() default EventSearch.DEFAULT_SCAN_ROWS;

        @AttributeDefinition(description = "The most of the read connections' time searches may use, in percent, "
                + "averaged over about a second (an idle store lets one second of searching through at once). "
                + "Beyond it a search waits, within readWaitMillis, or is answered 503 busy; the rest of the "
                + "processors stay with ingest. 100: no limit.", min = "1", max = "100")
        int searchBusyPercent() default Database.Pools.DEFAULT_READ_BUSY_PERCENT;

        @AttributeDefinition(description = "Replaced by writeConnections and readConnections. When set and "
                + "writeConnections is not, it is the size of the write pool.", min = "0")
        int maxConnections() default 0;
    }

    /** The pools a configuration asks for, with its automatic values filled in. */
    static Database.Pools pools(Config config) {
        int write = config.writeConnections() > 0 ? config.writeConnections()
                : config.maxConnections() > 0 ? config.maxConnections() : Database.Pools.DEFAULT_WRITE;
        int read = config.readConnections() > 0 ? config.readConnections()
                : Database.Pools.automaticReadConnections();
        return new Database.Pools(write, read, config.exportConnections(), config.readWaitMillis(),
                config.queryTimeoutSeconds(), config.searchBusyPercent());
    }

    /** Time source; dynamic so that a clock registered later (a test's movable clock) takes over. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private volatile Clock clock;

    private final Database db;
    private final MyBatisAuditStore events;
    private final MyBatisTokenStore tokens;
    private final MyBatisInboxStore inbox;
    private final MyBatisOrganizationStore organizations;
    private final MyBatisMailStore mail;
    private final MyBatisExportJobStore exportJobs;
    private final MyBatisDownloadTokenStore downloads;

    @Activate
    public StorageComponent(BundleContext context, Config config) throws Exception {
        if (config.jdbcUrl().isBlank()) {
            String data = Optional.ofNullable(context.getProperty(DATA_PROPERTY)).orElse("data");
            this.db = Database.openEmbedded(Path.of(data).resolve("db"), pools(config));
        } else {
            this.db = Database.openUrl(config.jdbcUrl(), config.user(), config._password(), pools(config));
        }
        this.events = new MyBatisAuditStore(db, Math.max(1, config.searchScanRows()));
        this.tokens = new MyBatisTokenStore(db, () -> clock);
        this.inbox = new MyBatisInboxStore(db, events, () -> clock);
        this.organizations = new MyBatisOrganizationStore(db);
        this.mail = new MyBatisMailStore(db, () -> clock);
        this.exportJobs = new MyBatisExportJobStore(db);
        this.downloads = new MyBatisDownloadTokenStore(db, () -> clock);
    }

    @Deactivate
    void deactivate() {
        db.close();
    }

    @Override
    public void append(List<AuditRecord> records) {
        events.append(records);
    }

    @Override
    public EventPage query(EventQuery query) {
        return events.query(query);
    }

    @Override
    public org.auditlog.api.RecordCursor stream(String spaceKey, String product, java.time.Instant from,
            java.time.Instant to) {
        return events.stream(spaceKey, product, from, to);
    }

    @Override
    public long count(String spaceKey, String product, Instant from, Instant to) {
        return events.count(spaceKey, product, from, to);
    }

    @Override
    public long maxId() {
        return events.maxId();
    }

    @Override
    public long deleteDatedBefore(java.time.Instant cutoff) {
        return events.deleteDatedBefore(cutoff);
    }

    @Override
    public long deleteOrganization(String spaceKey) {
        return events.deleteOrganization(spaceKey);
    }

    @Override
    public boolean isHealthy() {
        return events.isHealthy();
    }

    @Override
    public IssuedToken issue(TokenGrant grant) {
        return tokens.issue(grant);
    }

    @Override
    public Optional<TokenGrant> verify(String presented) {
        return tokens.verify(presented);
    }

    @Override
    public List<TokenGrant> list() {
        return tokens.list();
    }

    @Override
    public boolean revoke(String tokenId) {
        return tokens.revoke(tokenId);
    }

    @Override
    public long enqueue(InboxEntry entry) {
        return inbox.enqueue(entry);
    }

    @Override
    public List<InboxEntry> pending(String product, int max) {
        return inbox.pending(product, max);
    }

    @Override
    public void consume(long entryId, List<AuditRecord> records) {
        inbox.consume(entryId, records);
    }

    @Override
    public void fail(long entryId, String reason) {
        inbox.fail(entryId, reason);
    }

    @Override
    public List<InboxEntry> failedEntries(String product, int max) {
        return inbox.failedEntries(product, max);
    }

    @Override
    public java.util.Optional<InboxEntry> entry(long entryId) {
        return inbox.entry(entryId);
    }

    @Override
    public boolean retryEntry(long entryId) {
        return inbox.retryEntry(entryId);
    }

    @Override
    public boolean deleteFailed(long entryId) {
        return inbox.deleteFailed(entryId);
    }

    @Override
    public long pendingEvents(String product) {
        return inbox.pendingEvents(product);
    }

    @Override
    public long failedEvents(String product) {
        return inbox.failedEvents(product);
    }

    @Override
    public Set<String> knownProducts() {
        return inbox.knownProducts();
    }

    @Override
    public void rememberProduct(String product) {
        inbox.rememberProduct(product);
    }

    @Override
    public Optional<OrganizationSnapshot> load(String spaceKey) {
        return organizations.load(spaceKey);
    }

    @Override
    public void save(OrganizationSnapshot snapshot) {
        organizations.save(snapshot);
    }

    @Override
    public List<String> spaceKeys() {
        return organizations.spaceKeys();
    }

    @Override
    public void purge(String spaceKey) {
        organizations.purge(spaceKey);
    }

    @Override
    public boolean enqueue(MailMessage message, Instant queued) {
        return mail.enqueue(message, queued);
    }

    @Override
    public List<QueuedMail> due(Instant now, int max) {
        return mail.due(now, max);
    }

    @Override
    public void markSent(long id, Instant sent) {
        mail.markSent(id, sent);
    }

    @Override
    public void retryLater(long id, int attempts, Instant nextAttempt, String error) {
        mail.retryLater(id, attempts, nextAttempt, error);
    }

    @Override
    public void markFailed(long id, int attempts, Instant failed, String error) {
        mail.markFailed(id, attempts, failed, error);
    }

    @Override
    public List<MailStatus> failed(int max) {
        return mail.failed(max);
    }

    @Override
    public long failedCount() {
        return mail.failedCount();
    }

    @Override
    public Optional<MailStatus> status(String key) {
        return mail.status(key);
    }

    @Override
    public List<MailStatus> pending(int max) {
        return mail.pending(max);
    }

    @Override
    public long pendingCount() {
        return mail.pendingCount();
    }

    @Override
    public Optional<Instant> nextDue() {
        return mail.nextDue();
    }

    @Override
    public int deleteSentBefore(Instant cutoff) {
        return mail.deleteSentBefore(cutoff);
    }

    // ExportJobStore

    @Override
    public ExportJob create(ExportJob job) {
        return exportJobs.create(job);
    }

    @Override
    public Optional<ExportJob> find(long id) {
        return exportJobs.find(id);
    }

    @Override
    public List<ExportJob> list(String spaceKey, int max) {
        return exportJobs.list(spaceKey, max);
    }

    @Override
    public List<ExportJob> unfinished() {
        return exportJobs.unfinished();
    }

    @Override
    public void update(ExportJob job) {
        exportJobs.update(job);
    }

    @Override
    public void progress(long id, long rows) {
        exportJobs.progress(id, rows);
    }

    @Override
    public int deleteFinishedBefore(java.time.Instant cutoff) {
        return exportJobs.deleteFinishedBefore(cutoff);
    }

    @Override
    public int deleteJobsOf(String spaceKey) {
        return exportJobs.deleteJobsOf(spaceKey);
    }

    @Override
    public Optional<java.time.Instant> monthlyRunCompleted(java.time.YearMonth month) {
        return exportJobs.monthlyRunCompleted(month);
    }

    @Override
    public void monthlyRunCompleted(java.time.YearMonth month, java.time.Instant at) {
        exportJobs.monthlyRunCompleted(month, at);
    }

    // DownloadTokenStore

    @Override
    public IssuedDownload issue(DownloadGrant grant) {
        return downloads.issue(grant);
    }

    @Override
    public Optional<DownloadGrant> find(String presented) {
        return downloads.find(presented);
    }

    @Override
    public int deleteIssuedBefore(java.time.Instant cutoff) {
        return downloads.deleteIssuedBefore(cutoff);
    }

    @Override
    public int deleteTokensOf(String spaceKey) {
        return downloads.deleteTokensOf(spaceKey);
    }
}
