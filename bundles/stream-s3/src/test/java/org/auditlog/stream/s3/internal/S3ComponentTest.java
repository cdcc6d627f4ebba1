package org.auditlog.stream.s3.internal;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;

import org.apache.sling.testing.mock.osgi.MockOsgi;
import org.auditlog.api.stream.StreamDestination;
import org.junit.jupiter.api.Test;
import org.osgi.framework.BundleContext;
import org.osgi.framework.ServiceReference;

/** The component as DS registers it, from the descriptor bnd generates: the service the streams look up by type. */
class S3ComponentTest {
    @Test
    void registersAStreamDestinationOfTypeS3() {
        BundleContext context = MockOsgi.newBundleContext();
        S3Destination component = MockOsgi.registerInjectActivateService(S3Destination.class, context);
        try {
            ServiceReference<StreamDestination> ref = context.getServiceReference(StreamDestination.class);
            assertNotNull(ref, "a StreamDestination service");
            assertEquals("s3", ref.getProperty(StreamDestination.TYPE_PROPERTY));
            assertEquals("s3", context.getService(ref).type());
        } finally {
            MockOsgi.deactivate(component, context);
        }
    }
}
