package org.auditlog.rest.internal;

import java.util.ArrayList;
import java.util.Dictionary;
import java.util.Hashtable;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ScheduledExecutorService;
import java.util.stream.Collectors;
import javax.servlet.Servlet;
import org.auditlog.api.work.BackgroundWork;
import org.glassfish.jersey.internal.inject.AbstractBinder;
import org.glassfish.jersey.server.ResourceConfig;
import org.glassfish.jersey.server.ServerProperties;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceRegistration;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Deactivate;
import org.osgi.service.component.annotations.Modified;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.runtime.ServiceComponentRuntime;
import org.osgi.service.component.runtime.dto.ComponentDescriptionDTO;
import org.osgi.service.http.whiteboard.HttpWhiteboardConstants;
import org.osgi.service.metatype.annotations.Designate;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Publishes the REST API: gathers the {@link ApiResource} components of this bundle, and once all of them are active
 * registers the {@link ApiServlet} (the {@link RequestGate} and a Jersey application of those resources with the
 * filters and error mappers every call shares) on the HTTP whiteboard under {@code /api}. Which resources there
 * are is read from the bundle's own component descriptions, so no list of them is kept anywhere; while one is
 * missing (a service it needs is down) the API is withdrawn and {@link UnavailableServlet} answers 503.
 * Configured by PID {@value RestConfig#PID}.
 */
@Component(
        service = {},
        immediate = true,
        configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
@Designate(ocd = RestConfig.class)
public final class RestApplication {
    private static final Logger LOG = LoggerFactory.getLogger(RestApplication.class);
    /** The whiteboard name of the API servlet ({@link HealthServlet} looks for it). */
    static final String SERVLET_NAME = "auditlog-api";

    private final BundleContext context;
    private RestConfig config;
    private final Authenticator authenticator;
    private final ServiceComponentRuntime components;
    /** The bodies' deadlines, for every gate this component makes. */
    private final ScheduledExecutorService timer;

    private final List<ApiResource> resources = new ArrayList<>();
    private boolean active = true;
    private ServiceRegistration<Servlet> registration;
    private ApiServlet servlet;
    private Routes routes;

    @Activate
    public RestApplication(
            BundleContext context,
            RestConfig config,
            @Reference Authenticator authenticator,
            @Reference ServiceComponentRuntime components,
            @Reference BackgroundWork work) {
        this.context = context;
        this.config = config;
        this.authenticator = authenticator;
        this.components = components;
        this.timer = work.scheduler("request-body-timeout");
    }

    @Reference(
            service = ApiResource.class,
            cardinality = ReferenceCardinality.MULTIPLE,
            policy = ReferencePolicy.DYNAMIC)
    synchronized void addResource(ApiResource resource) {
        resources.add(resource);
        publish();
    }

    synchronized void removeResource(ApiResource resource) {
        resources.remove(resource);
        publish();
    }

    /**
     * A change of the REST configuration: the next requests pass a gate with the new limits; the API itself (Jersey
     * and its resources) stays registered, so no request meets it missing.
     */
    @Modified
    synchronized void modified(RestConfig changed) {
        this.config = changed;
        if (servlet != null) {
            servlet.replaceGate(new RequestGate(changed, authenticator, routes, timer));
        }
    }

    @Deactivate
    synchronized void stop() {
        active = false;
        withdraw();
        timer.shutdownNow();
    }

    /** Registers the API when every resource of the bundle is there, withdraws it when one is not. */
    private void publish() {
        withdraw();
        if (!active) {
            return;
        }
        Set<String> expected = expectedResources();
        Set<String> present =
                resources.stream().map(r -> r.getClass().getName()).collect(Collectors.toCollection(TreeSet::new));
        if (!present.containsAll(expected)) {
            return;
        }
        List<ApiResource> all = List.copyOf(resources);
        routes = Routes.of(all.stream().<Class<?>>map(Object::getClass).toList());
        servlet = new ApiServlet(application(all, routes), new RequestGate(config, authenticator, routes, timer));
        Dictionary<String, Object> properties = new Hashtable<>();
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_PATTERN, "/api/*");
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_NAME, SERVLET_NAME);
        // RequestGate reads bodies asynchronously before Jersey sees them
        properties.put(HttpWhiteboardConstants.HTTP_WHITEBOARD_SERVLET_ASYNC_SUPPORTED, Boolean.TRUE);
        registration = context.registerService(Servlet.class, servlet, properties);
        LOG.debug("REST API published with {} resources", all.size());
    }

    private void withdraw() {
        if (registration != null) {
            try {
                registration.unregister();
            } catch (IllegalStateException alreadyGone) {
                // the bundle is stopping: the framework took it back
            }
            registration = null;
        }
        servlet = null;
    }

    /** The implementation classes of this bundle's components that provide {@link ApiResource}. */
    private Set<String> expectedResources() {
        Set<String> names = new TreeSet<>();
        for (ComponentDescriptionDTO d : components.getComponentDescriptionDTOs(context.getBundle())) {
            if (List.of(d.serviceInterfaces).contains(ApiResource.class.getName())) {
                names.add(d.implementationClass);
            }
        }
        return names;
    }

    private ResourceConfig application(List<ApiResource> all, Routes routes) {
        ResourceConfig rc = new ResourceConfig();
        rc.setApplicationName("auditlog");
        rc.property(ServerProperties.WADL_FEATURE_DISABLE, true);
        rc.property(ServerProperties.RESPONSE_SET_STATUS_OVER_SEND_ERROR, true);
        rc.register(new AuthFilter(authenticator, routes));
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
        // Resources are registered as classes bound to the components: registering the instances themselves works
        // too, but makes Jersey 2 log a false warning for each (eclipse-ee4j/jersey#3700).
        rc.register(new AbstractBinder() {
            @Override
            @SuppressWarnings({"unchecked", "rawtypes"})
            protected void configure() {
                for (ApiResource r : all) {
                    bind((Object) r).to((Class) r.getClass());
                }
            }
        });
        for (ApiResource r : all) {
            rc.register(r.getClass());
        }
        return rc;
    }
}
