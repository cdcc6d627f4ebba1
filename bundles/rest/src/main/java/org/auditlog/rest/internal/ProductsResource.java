package org.auditlog.rest.internal;

import java.util.LinkedHashMap;
import java.util.Map;
import javax.ws.rs.GET;
import javax.ws.rs.Path;
import javax.ws.rs.PathParam;
import javax.ws.rs.Produces;
import javax.ws.rs.core.MediaType;
import org.auditlog.api.capture.EventCapture;
import org.auditlog.api.capture.ProductStatus;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.Reference;

/**
 * {@code GET /api/v1/products} and {@code GET /api/v1/products/{product}}: the products the server knows,
 * the adapter serving each (bundle and version), what it can produce, and its inbox.
 */
@Path("v1/products")
@Component(service = ApiResource.class)
@Access(Access.Who.ANY_TOKEN)
public final class ProductsResource implements ApiResource {
    private final EventCapture capture;

    @Activate
    public ProductsResource(@Reference EventCapture capture) {
        this.capture = capture;
    }

    @GET
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> list() {
        return Map.of(
                "products",
                capture.productStatus().stream().map(ProductsResource::view).toList());
    }

    @GET
    @Path("{product}")
    @Produces(MediaType.APPLICATION_JSON)
    public Map<String, Object> one(@PathParam("product") String product) {
        return capture.productStatus().stream()
                .filter(p -> p.product().equals(product))
                .findFirst()
                .map(ProductsResource::view)
                .orElseThrow(() -> new ApiException(
                        404,
                        "unknown_product",
                        "product",
                        "the server has never had an adapter for product '" + product + "'"));
    }

    static Map<String, Object> view(ProductStatus p) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("product", p.product());
        m.put(
                "adapter",
                p.adapterInstalled() ? Map.of("bundle", p.adapterBundle(), "version", p.adapterVersion()) : null);
        m.put("catalog", p.catalog() == null ? null : p.catalog().eventsByCategory());
        m.put("inbox", Map.of("pending", p.inboxPending(), "failed", p.inboxFailed()));
        return m;
    }
}
