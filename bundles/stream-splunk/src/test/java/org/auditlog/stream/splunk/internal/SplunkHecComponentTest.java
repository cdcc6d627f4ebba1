package org.auditlog.stream.splunk.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.stream.StreamDestination;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The component as DS registers it, from the descriptor bnd generates: the service the streams look up by type. */
class SplunkHecComponentTest {
    @Test
    void registersAStreamDestinationOfTypeSplunkHec() {
        BundleContext context = MockOsgi.newBundleContext();
        SplunkHecDestination component = MockOsgi.registerInjectActivateService(SplunkHecDestination.class, context);
        try {
            ServiceReference<StreamDestination> ref = context.getServiceReference(StreamDestination.class);
            assertNotNull(ref, "a StreamDestination service");
            assertEquals("splunk-hec", ref.getProperty(StreamDestination.TYPE_PROPERTY));
            assertEquals("splunk-hec", context.getService(ref).type());
        } finally {
            MockOsgi.deactivate(component, context);
        }
    }
}
