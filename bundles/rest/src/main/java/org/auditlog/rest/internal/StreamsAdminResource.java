package org.auditlog.rest.internal;

import java.util.Map;
import javax.ws.rs.Consumes;
import javax.ws.rs.DELETE;
import javax.ws.rs.GET;
import javax.ws.rs.POST;
import javax.ws.rs.PUT;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import javax.ws.rs.core.Response;
import org.auditlog.api.stream.StreamService;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;
import org.osgi.service.component.annotations.ReferenceCardinality;
import org.osgi.service.component.annotations.ReferencePolicy;
import org.osgi.service.component.annotations.ReferencePolicyOption;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The server-wide streams (each delivers every organization's log), under {@code /api/v1/admin/streams}: the same
 * calls as an organization's ({@link StreamsResource}), for the operator only. No organization's log is theirs to
 * record in: their changes go to the server log at INFO, as the operator's other changes of the server do (an inbox
 * entry retried or deleted), naming the stream and its destination's type, never a setting or a secret. Without
 * the streams bundle every call is answered 503 {@code streams_unavailable}.
 */
@Path("v1/admin/streams")
@Produces(MediaType.APPLICATION_JSON)
@Component(service = ApiResource.class)
@Access(Access.Who.OPERATOR)
public final class StreamsAdminResource implements ApiResource {
    private static final Logger LOG = LoggerFactory.getLogger(StreamsAdminResource.class);

    /** The server log as the journal of the operator's changes. */
    private static final Streams.Journal SERVER_LOG = new Streams.Journal() {
        @Override
        public void before(String event, String action) {
            LOG.info("{} (server-wide), by the operator: {}", event, action);
        }

        @Override
        public void after(String event, String action) {
            before(event, action);
        }
    };

    @Reference(
            cardinality = ReferenceCardinality.OPTIONAL,
            policy = ReferencePolicy.DYNAMIC,
            policyOption = ReferencePolicyOption.GREEDY)
    private volatile StreamService streams;

    @POST
    @Consumes(MediaType.APPLICATION_JSON)
    public Response create(String body) {
        return calls().create(body);
    }

    @GET
    public Map<String, Object> list() {
        return calls().list();
    }

    @GET
    @Path("{id}")
    public Map<String, Object> get(@PathParam("id") String id) {
        return calls().get(id);
    }

    @PUT
    @Path("{id}")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> update(@PathParam("id") String id, String body) {
        return calls().update(id, body);
    }

    @DELETE
    @Path("{id}")
    public Response delete(@PathParam("id") String id) {
        return calls().delete(id);
    }

    @POST
    @Path("{id}/pause")
    public Map<String, Object> pause(@PathParam("id") String id) {
        return calls().pause(id);
    }

    @POST
    @Path("{id}/resume")
    public Map<String, Object> resume(@PathParam("id") String id) {
        return calls().resume(id);
    }

    @POST
    @Path("{id}/test")
    public Map<String, Object> test(@PathParam("id") String id) {
        return calls().test(id);
    }

    @POST
    @Path("{id}/replay")
    @Consumes(MediaType.APPLICATION_JSON)
    public Map<String, Object> replay(@PathParam("id") String id, String body) {
        return calls().replay(id, body);
    }

    private Streams.Calls calls() {
        return new Streams.Calls(Streams.available(streams), null, "/api/v1/admin/streams", "operator", SERVER_LOG);
    }
}
