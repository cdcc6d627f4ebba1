package org.auditlog.capture.internal;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentSkipListMap;
import org.auditlog.api.adapter.ProductAdapter;
import org.auditlog.api.adapter.ProductCatalog;
import org.auditlog.api.capture.ProductStatus;
import org.auditlog.api.store.InboxStore;
import org.osgi.framework.ServiceReference;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Which adapter translates for which product: the adapters registered with the service property
 * {@value ProductAdapter#PRODUCT_PROPERTY}, by product, the highest ranked first, and the products the server
 * has ever had an adapter for (kept in the inbox store, so that their events wait while no adapter is there).
 */
final class AdapterRoutes {
    private static final Logger LOG = LoggerFactory.getLogger(AdapterRoutes.class);

    /** Adapters by product, highest ranking first. */
    private final Map<String, ConcurrentSkipListMap<ServiceReference<ProductAdapter>, ProductAdapter>> adapters =
            new ConcurrentHashMap<>();

    private final Set<String> known = ConcurrentHashMap.newKeySet();
    private final InboxStore inbox;

    AdapterRoutes(InboxStore inbox) {
        this.inbox = inbox;
        this.known.addAll(inbox.knownProducts());
    }

    /** Adds an adapter; returns its product. */
    String add(ServiceReference<ProductAdapter> ref, ProductAdapter adapter) {
        String product = productOf(ref);
        adapters.computeIfAbsent(product, p -> new ConcurrentSkipListMap<>(Collections.reverseOrder()))
                .put(ref, adapter);
        LOG.info(
                "Adapter for {} is available ({} {})",
                product,
                ref.getBundle().getSymbolicName(),
                ref.getBundle().getVersion());
        if (known.add(product)) {
            try {
                inbox.rememberProduct(product);
            } catch (RuntimeException e) {
                known.remove(product);
                LOG.error("Could not record product {} as known", product, e);
            }
        }
        return product;
    }

    void remove(ServiceReference<ProductAdapter> ref) {
        String product = productOf(ref);
        adapters.computeIfPresent(product, (p, byRank) -> {
            byRank.remove(ref);
            return byRank.isEmpty() ? null : byRank;
        });
        LOG.info(
                "Adapter for {} went away ({} {}); its events wait in the inbox until one returns",
                product,
                ref.getBundle().getSymbolicName(),
                ref.getBundle().getVersion());
    }

    /** The adapter for a product now, or {@code null}. */
    ProductAdapter adapterFor(String product) {
        Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best = best(product);
        return best == null ? null : best.getValue();
    }

    /** Whether the product has, or once had, an adapter. */
    boolean isKnown(String product) {
        return known.contains(product) || adapterFor(product) != null;
    }

    /** The products with an adapter now. */
    Set<String> products() {
        return new TreeSet<>(adapters.keySet());
    }

    /** Every known product, its adapter if there is one now, and its inbox counts. */
    List<ProductStatus> status() {
        Set<String> names = new TreeSet<>(known);
        names.addAll(adapters.keySet());
        List<ProductStatus> out = new ArrayList<>();
        for (String product : names) {
            Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best = best(product);
            if (best == null) {
                out.add(new ProductStatus(
                        product, null, null, null, inbox.pendingEvents(product), inbox.failedEvents(product)));
            } else {
                out.add(new ProductStatus(
                        product,
                        best.getKey().getBundle().getSymbolicName(),
                        best.getKey().getBundle().getVersion().toString(),
                        catalogOf(product, best.getValue()),
                        inbox.pendingEvents(product),
                        inbox.failedEvents(product)));
            }
        }
        return out;
    }

    private Map.Entry<ServiceReference<ProductAdapter>, ProductAdapter> best(String product) {
        ConcurrentSkipListMap<ServiceReference<ProductAdapter>, ProductAdapter> byRank = adapters.get(product);
        return byRank == null ? null : byRank.firstEntry();
    }

    private static ProductCatalog catalogOf(String product, ProductAdapter adapter) {
        try {
            return adapter.catalog();
        } catch (RuntimeException e) {
            LOG.error("Adapter for {} failed to give its catalog", product, e);
            return null;
        }
    }

    private static String productOf(ServiceReference<?> ref) {
        return String.valueOf(ref.getProperty(ProductAdapter.PRODUCT_PROPERTY));
    }
}
