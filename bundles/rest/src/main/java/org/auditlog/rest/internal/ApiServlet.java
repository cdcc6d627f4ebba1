package org.auditlog.rest.internal;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Clock;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import javax.servlet.Servlet;
import javax.servlet.ServletConfig;
import javax.servlet.ServletException;
import javax.servlet.ServletRequest;
import javax.servlet.ServletResponse;
import javax.servlet.http.HttpServletRequest;
import javax.servlet.http.HttpServletResponse;

import org.auditlog.api.access.AccessPolicy;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.export.ExportService;
import org.auditlog.api.evidence.CheckpointService;
import org.auditlog.api.evidence.EvidenceStore;
import org.auditlog.api.store.AuditStore;
import org.auditlog.api.store.MailStore;
import org.auditlog.api.store.TokenStore;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.glassfish.jersey.servlet.ServletContainer;
import org.osgi.framework.BundleContext;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.AttributeDefinition;
import org.osgi.service.metatype.annotations.Designate;
import org.osgi.service.metatype.annotations.ObjectClassDefinition;

/**
 * The REST API: a Jersey application published on the HTTP whiteboard under {@code /api}. Configured by
 * PID {@value #PID}.
 */
@Component(service = Servlet.class, configurationPid = ApiServlet.PID, configurationPolicy = ConfigurationPolicy.OPTIONAL,
        property = {HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN + "=/api/*",
                HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME + "=auditlog-api",
                // RequestGate reads bodies asynchronously before Jersey sees them
                HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED + ":Boolean=true"})
@Designate(ocd = ApiServlet.Config.class)
public class ApiServlet extends ServletContainer {
    private static final long serialVersionUID = 1L;
    static final String PID = "org.auditlog.rest";

    @ObjectClassDefinition(name = "Auditlog REST API", description = "Limits of the REST API.")
    public @interface Config {
        @AttributeDefinition(description = "Largest ingest body accepted, in bytes; a larger one is answered 413 "
                + "body_too_large.", min = "1024")
        int maxBodyBytes() default 1024 * 1024;

        @AttributeDefinition(description = "Largest body of any other call made with credentials (JSON control "
                + "calls: tokens, organizations, plans, exports), in bytes; bundle uploads have their own limit "
                + "(64 MiB).", min = "1024")
        int maxControlBodyBytes() default 64 * 1024;

        @AttributeDefinition(description = "Largest body of a call made without credentials (the sign-in), in "
                + "bytes.", min = "256")
        int maxAnonymousBodyBytes() default 4096;

        @AttributeDefinition(description = "Most bytes of request bodies held in memory at once, server-wide, "
                + "while they arrive and are processed; a body that would pass it is answered 503 server_busy.",
                min = "65536")
        long maxBufferedBytes() default 64L * 1024 * 1024;

        @AttributeDefinition(description = "Most events accepted in one ingest request.", min = "1")
        int maxEventsPerRequest() default 1000;

        @AttributeDefinition(description = "Largest page of events a query may ask for.", min = "1")
        int maxPageSize() default 1000;

        @AttributeDefinition(description = "Page size of a query that names no limit.", min = "1")
        int defaultPageSize() default 100;

        @AttributeDefinition(description = "Seconds a request body may take to arrive in full before the request "
                + "is answered 408 request_timeout.", min = "1")
        int bodyTimeoutSeconds() default 60;

        @AttributeDefinition(description = "Seconds the body of a call without credentials (the sign-in) may take "
                + "to arrive in full.", min = "1")
        int anonymousBodyTimeoutSeconds() default 10;

        @AttributeDefinition(description = "Most requests of one caller in flight at once (a stored token, the "
                + "member token of a session, the operator token), answers included; the next is answered 429 "
                + "too_many_requests.", min = "1")
        int maxConcurrentRequestsPerToken() default 16;

        @AttributeDefinition(description = "Most requests without credentials (sign-ins, the public keys) in "
                + "flight at once, server-wide; the next is answered 503 server_busy.", min = "1")
        int maxConcurrentAnonymousRequests() default 64;

        @AttributeDefinition(description = "Most ingest requests processed at once (their bodies all arrived), "
                + "server-wide; the next is answered 503 server_busy. Keep it under the HTTP thread pool "
                + "(org.apache.felix.http.jetty.threadpool.max, 64 by the launcher): about three quarters of it.",
                min = "1")
        int maxConcurrentIngest() default 48;

        @AttributeDefinition(description = "Slowest request body Jetty accepts, in bytes per second, measured from "
                + "the body's first byte; a slower one is cut off (408). 0: no minimum.", min = "0")
        long minRequestDataRate() default 512;

        @AttributeDefinition(description = "Slowest reading of an answer Jetty accepts, in bytes per second (a "
                + "client that reads a download slower is cut off, and its thread freed). 0: no minimum.",
                min = "0")
        long minResponseDataRate() default 512;

        @AttributeDefinition(description = "Most browser sessions of the settings page kept at once (in memory); a "
                + "sign-in beyond is answered 503 too_many_sessions until some expire.", min = "1")
        int maxSessions() default 10000;
    }

    /** The time; see {@code docs/event-path.md} for how every component takes the {@link Clock} service. */
    @Reference(policy = ReferencePolicy.DYNAMIC, policyOption = ReferencePolicyOption.GREEDY)
    private transient volatile Clock clock;
    /** Set once Jersey has initialised the application; until then (or if that failed) the API is not up. */
    private volatile boolean ready;
    /** Every request passes it before its body is read. */
    private final transient RequestGate gate;

    @Activate
    public ApiServlet(BundleContext context, Config config, @Reference EventCapture capture,
            @Reference AuditStore store, @Reference TokenStore tokens, @Reference OrganizationService orgs,
            @Reference AccessPolicy policy, @Reference ExportService exports, @Reference MailStore mail,
            @Reference EvidenceStore evidence, @Reference CheckpointService checkpoints) throws IOException {
        this(context, config, capture, store, tokens, orgs, policy, exports, mail, evidence, checkpoints,
                new AtomicReference<>());
    }

    /**
     * Jersey's servlet takes the application in its constructor, before this object exists: the resources read
     * the time through {@code self}, set once it does (requests come only after activation).
     */
    private ApiServlet(BundleContext context, Config config, EventCapture capture, AuditStore store, TokenStore tokens,
            OrganizationService orgs, AccessPolicy policy, ExportService exports, MailStore mail, EvidenceStore evidence,
            CheckpointService checkpoints, AtomicReference<ApiServlet> self) throws IOException {
        this(context, config, capture, store, tokens, orgs, policy, exports, mail, evidence, checkpoints, self,
                authenticator(context, config, tokens, policy, () -> self.get().clock));
    }

    private ApiServlet(BundleContext context, Config config, EventCapture capture, AuditStore store, TokenStore tokens,
            OrganizationService orgs, AccessPolicy policy, ExportService exports, MailStore mail, EvidenceStore evidence,
            CheckpointService checkpoints, AtomicReference<ApiServlet> self, Authenticator authenticator) {
        super(application(context, config, capture, store, tokens, orgs, policy, exports, mail, evidence, checkpoints,
                authenticator, () -> self.get().clock));
        this.gate = new RequestGate(config, authenticator, BundlesResource.MAX_JAR_BYTES);
        self.set(this);
    }

    /** The credentials' check, shared by the gate and the API, with the sessions the sign-in makes. */
    private static Authenticator authenticator(BundleContext context, Config config, TokenStore tokens,
            AccessPolicy policy, Supplier<Clock> clock) throws IOException {
        String data = Optional.ofNullable(context.getProperty("auditlog.data")).orElse("data");
        OperatorToken operator = OperatorToken.load(System.getenv(OperatorToken.ENV), Path.of(data));
        return new Authenticator(operator, tokens, policy, new Sessions(clock, config.maxSessions()));
    }

    private static ResourceConfig application(BundleContext context, Config config, EventCapture capture,
            AuditStore store, TokenStore tokens, OrganizationService orgs, AccessPolicy policy, ExportService exports,
            MailStore mail, EvidenceStore evidence, CheckpointService checkpoints, Authenticator authenticator,
            Supplier<Clock> clock) {
        RestLimits limits = new RestLimits(config.maxBodyBytes(), config.maxEventsPerRequest(), config.maxPageSize(),
                Math.min(config.defaultPageSize(), config.maxPageSize()));
        ResourceConfig rc = new ResourceConfig();
        rc.setApplicationName("auditlog");
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        Sessions sessions = authenticator.sessions();
        rc.register(new AuthFilter(authenticator));
        rc.register(new NoSniff());
        rc.register(new JsonWriter());
        rc.register(new ErrorMappers.Api());
        rc.register(new ErrorMappers.Rejected());
        rc.register(new ErrorMappers.UnknownProduct());
        rc.register(new ErrorMappers.Store());
        rc.register(new ErrorMappers.Unaudited());
        rc.register(new ErrorMappers.Policy());
        rc.register(new ErrorMappers.Web());
        rc.register(new ErrorMappers.Unexpected());
        // Resources are registered as classes bound to ready-made instances: registering the instances
        // themselves works too, but makes Jersey 2 log a false warning for each (eclipse-ee4j/jersey#3700).
        IngestResource ingest = new IngestResource(capture, limits);
        SelfAudit audit = new SelfAudit(policy, capture, clock);
        // the cursors' HMAC key comes from the signing key, which every server of a cluster shares
        Cursors cursors = new Cursors(() -> checkpoints.sign("auditlog events cursor key\n")
                .getBytes(java.nio.charset.StandardCharsets.UTF_8));
        EventsResource events = new EventsResource(store, policy, orgs, audit, limits, cursors);
        TokensResource tokenAdmin = new TokensResource(tokens, capture, orgs, clock);
        OrgAdminResource orgAdmin = new OrgAdminResource(orgs, tokens);
        OrgResource org = new OrgResource(orgs, policy);
        ArchivesResource archives = new ArchivesResource(exports, policy, capture, orgs, audit);
        ExportsResource exportJobs = new ExportsResource(exports, policy, capture, orgs, audit);
        DownloadsResource downloads = new DownloadsResource(exports, policy, orgs, audit);
        MailAdminResource mailAdmin = new MailAdminResource(mail);
        ProductsResource products = new ProductsResource(capture);
        InboxResource inbox = new InboxResource(capture);
        BundlesResource bundles = new BundlesResource(context);
        SessionResource session = new SessionResource(sessions, tokens, policy, orgs, audit);
        EvidenceResource proofs = new EvidenceResource(evidence, checkpoints, policy, orgs, audit);
        EvidenceKeysResource keys = new EvidenceKeysResource(checkpoints);
        rc.register(new AbstractBinder() {
            @Override
            protected void configure() {
                bind(ingest).to(IngestResource.class);
                bind(events).to(EventsResource.class);
                bind(tokenAdmin).to(TokensResource.class);
                bind(products).to(ProductsResource.class);
                bind(inbox).to(InboxResource.class);
                bind(bundles).to(BundlesResource.class);
                bind(orgAdmin).to(OrgAdminResource.class);
                bind(org).to(OrgResource.class);
                bind(archives).to(ArchivesResource.class);
                bind(exportJobs).to(ExportsResource.class);
                bind(downloads).to(DownloadsResource.class);
                bind(mailAdmin).to(MailAdminResource.class);
                bind(session).to(SessionResource.class);
                bind(proofs).to(EvidenceResource.class);
                bind(keys).to(EvidenceKeysResource.class);
            }
        });
        rc.register(IngestResource.class);
        rc.register(EventsResource.class);
        rc.register(TokensResource.class);
        rc.register(ProductsResource.class);
        rc.register(InboxResource.class);
        rc.register(BundlesResource.class);
        rc.register(OrgAdminResource.class);
        rc.register(OrgResource.class);
        rc.register(ArchivesResource.class);
        rc.register(ExportsResource.class);
        rc.register(DownloadsResource.class);
        rc.register(MailAdminResource.class);
        rc.register(SessionResource.class);
        rc.register(EvidenceResource.class);
        rc.register(EvidenceKeysResource.class);
        return rc;
    }

    /** Every request passes the gate first (credentials, limits, the body read without a thread). */
    @Override
    public void service(ServletRequest request, ServletResponse response) throws ServletException, IOException {
        gate.handle((HttpServletRequest) request, (HttpServletResponse) response, (q, r) -> super.service(q, r));
    }

    @Deactivate
    void stop() {
        gate.stop();
    }

    @Override
    public void init(ServletConfig config) throws ServletException {
        // Jersey looks up its own services through the thread context class loader.
        Thread thread = Thread.currentThread();
        ClassLoader previous = thread.getContextClassLoader();
        thread.setContextClassLoader(ApiServlet.class.getClassLoader());
        try {
            super.init(config);
            ready = true;
        } finally {
            thread.setContextClassLoader(previous);
        }
    }

    /** Whether the application initialised and serves requests. */
    boolean isReady() {
        return ready;
    }
}
