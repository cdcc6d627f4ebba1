package org.auditlog.rest.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/** The limits the resources apply to what a request asks, from the REST configuration ({@link RestConfig}). */
@Component(
        service = RestLimits.class,
        configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RestLimits {
    private volatile int maxBodyBytes;
    private volatile int maxEventsPerRequest;
    private volatile int maxPageSize;
    private volatile int defaultPageSize;

    @Activate
    public RestLimits(RestConfig config) {
        set(config);
    }

    /** A change of the configuration applies to the next requests; the resources using these limits stay. */
    @Modified
    void modified(RestConfig config) {
        set(config);
    }

    private void set(RestConfig config) {
        this.maxBodyBytes = config.maxBodyBytes();
        this.maxEventsPerRequest = config.maxEventsPerRequest();
        this.maxPageSize = config.maxPageSize();
        this.defaultPageSize = Math.min(config.defaultPageSize(), config.maxPageSize());
    }

    int maxBodyBytes() {
        return maxBodyBytes;
    }

    int maxEventsPerRequest() {
        return maxEventsPerRequest;
    }

    int maxPageSize() {
        return maxPageSize;
    }

    int defaultPageSize() {
        return defaultPageSize;
    }
}
