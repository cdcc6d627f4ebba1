package org.auditlog.product.apps.internal;

import java.util.List;
import java.util.Map;

import org.auditlog.api.AuditRecord;
import org.auditlog.api.CanonicalRecords;
import org.auditlog.api.IngestContext;
import org.auditlog.api.NativePayload;
import org.auditlog.api.PayloadRejectedException;
import org.auditlog.api.ProductAdapter;
import org.auditlog.api.ProductCatalog;
import org.osgi.service.component.annotations.Component;

/**
 * The Apps adapter: organization events (members, roles, teams, billing, plan, single sign-on and the
 * Audit Log Admin privilege). In this version it accepts records in the canonical V1 shape; the Apps
 * event envelope is not defined yet.
 */
@Component(property = ProductAdapter.PRODUCT_PROPERTY + "=" + AppsAdapter.PRODUCT)
public class AppsAdapter implements ProductAdapter {
    static final String PRODUCT = "Apps";

    private static final ProductCatalog CATALOG = new ProductCatalog(Map.of(
            "Member", List.of("Invite a member", "Remove a member", "Change a member's role"),
            "Team", List.of("Add a team", "Update a team", "Delete a team"),
            "Billing", List.of("Update payment information"),
            "Plan", List.of("Start a plan", "End a plan"),
            "Security", List.of("Update single sign-on settings", "Update domain settings"),
            "Audit log", List.of("Grant the Audit Log Admin privilege", "Revoke the Audit Log Admin privilege")));

    @Override
    public String product() {
        return PRODUCT;
    }

    @Override
    public ProductCatalog catalog() {
        return CATALOG;
    }

    @Override
    public List<AuditRecord> translate(NativePayload payload, IngestContext context) throws PayloadRejectedException {
        return List.of(CanonicalRecords.read(payload.json(), PRODUCT));
    }
}
