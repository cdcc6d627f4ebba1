package org.auditlog.rest.internal;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.osgi.framework.Bundle;
import org.osgi.framework.BundleContext;
import org.osgi.framework.BundleException;
import org.osgi.framework.Constants;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;

/**
 * Operator endpoints for bundles: list them, upload a jar (installs or updates by symbolic name through the
 * deploy folder), start, stop and remove. What may be deployed, and how, is the {@link BundleDeployer}'s.
 */
@javax.ws.rs.Path("v1/admin/bundles")
@Component(service = ApiResource.class)
@Access(Access.Who.OPERATOR)
public final class BundlesResource implements ApiResource {
    static final int MAX_JAR_BYTES = 64 * 1024 * 1024;

    private final BundleContext context;
    private final BundleDeployer deployer;

    @Activate
    public BundlesResource(BundleContext context) {
        this.context = context;
        this.deployer = new BundleDeployer(context);
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list() {
        return Map.of(
                "bundles", Arrays.stream(context.getBundles()).map(this::view).toList());
    }

    @GET
    @javax.ws.rs.Path("{id}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> one(@PathParam("id") String id) {
        return view(bundle(id));
    }

    @POST
    @Access(value = Access.Who.OPERATOR, streamedBody = MAX_JAR_BYTES)
    @Consumes({"application/java-archive", "application/x-java-archive", MediaType.APPLICATION_OCTET_STREAM})
    @Produces(MediaType.APPLICATION_JSON)
    public Response upload(InputStream body) throws IOException, InterruptedException {
        byte[] jar = body.readNBytes(MAX_JAR_BYTES + 1);
        if (jar.length > MAX_JAR_BYTES) {
            throw RequestGate.tooLarge(MAX_JAR_BYTES);
        }
        BundleDeployer.Deployment d;
        try {
            d = deployer.deploy(jar);
        } catch (DeployRefusedException e) {
            throw e.asApiException();
        }
        String file = d.deployFile().getFileName().toString();
        return switch (d.outcome()) {
            case UNCHANGED ->
                Response.ok(answer(d.bundle(), "unchanged: this exact jar is installed already"))
                        .build();
            case INSTALLED ->
                Response.status(201)
                        .entity(answer(d.bundle(), "installed from " + file))
                        .build();
            case UPDATED ->
                Response.ok(answer(d.bundle(), "updated from " + file)).build();
            case PENDING -> {
                Map<String, Object> pending = new LinkedHashMap<>();
                pending.put("symbolicName", d.symbolicName());
                pending.put("version", d.version().toString());
                pending.put("deployFile", file);
                pending.put(
                        "detail",
                        "written to the deploy folder but not running after "
                                + BundleDeployer.INSTALL_WAIT_MILLIS / 1000
                                + " s; see GET /api/v1/admin/bundles and the server log");
                yield Response.status(202).entity(pending).build();
            }
        };
    }

    @POST
    @javax.ws.rs.Path("{id}/start")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> start(@PathParam("id") String id) {
        Bundle b = changeable(id);
        try {
            b.start();
        } catch (BundleException e) {
            throw new ApiException(409, "bundle_not_started", null, e.getMessage());
        }
        return view(b);
    }

    @POST
    @javax.ws.rs.Path("{id}/stop")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> stop(@PathParam("id") String id) {
        Bundle b = changeable(id);
        try {
            b.stop();
        } catch (BundleException e) {
            throw new ApiException(409, "bundle_not_stopped", null, e.getMessage());
        }
        return view(b);
    }

    @DELETE
    @javax.ws.rs.Path("{id}")
    public Response remove(@PathParam("id") String id) throws IOException, InterruptedException {
        Bundle b = changeable(id);
        Path file = deployer.deployFile(b);
        boolean gone;
        try {
            gone = deployer.undeploy(b);
        } catch (DeployRefusedException e) {
            throw e.asApiException();
        }
        return gone
                ? Response.noContent().build()
                : Response.status(202)
                        .entity(Map.of(
                                "detail",
                                file.getFileName() + " was deleted from the deploy "
                                        + "folder; the bundle is not uninstalled yet"))
                        .build();
    }

    private Bundle bundle(String id) {
        try {
            Bundle b = context.getBundle(Long.parseLong(id));
            if (b != null) {
                return b;
            }
        } catch (NumberFormatException e) {
            // reported below
        }
        throw ApiException.notFound("no bundle has id " + id);
    }

    /** A bundle an operator may start, stop or remove: not the framework, not this API's own bundle. */
    private Bundle changeable(String id) {
        Bundle b = bundle(id);
        if (b.getBundleId() == 0 || b.equals(context.getBundle())) {
            throw new ApiException(
                    409,
                    "protected_bundle",
                    null,
                    b.getSymbolicName() + " cannot be changed through this API: the server would stop answering");
        }
        return b;
    }

    private Map<String, Object> answer(Bundle b, String detail) {
        Map<String, Object> m = view(b);
        m.put("detail", detail);
        return m;
    }

    Map<String, Object> view(Bundle b) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("id", b.getBundleId());
        m.put("symbolicName", b.getSymbolicName());
        m.put("version", b.getVersion().toString());
        m.put("state", HealthServlet.state(b.getState()));
        m.put("fragment", b.getHeaders().get(Constants.FRAGMENT_HOST) != null);
        m.put("location", b.getLocation());
        Path file = deployer.deployFile(b);
        m.put("deployFile", file == null ? null : file.getFileName().toString());
        return m;
    }
}
