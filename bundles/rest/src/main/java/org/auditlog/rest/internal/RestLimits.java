package org.auditlog.rest.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.osgi.service.component.annotations.Modified;

/** The limits the resources apply to what a request asks, from the REST configuration ({@link RestConfig}). */
@Component(service = RestLimits.class, configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RestLimits {
    private volatile int maxBodyBytes;
    private volatile int maxEventsPerRequest;
    private volatile int maxPageSize;
    private volatile int defaultPageSize;

    @Activate
    public RestLimits(RestConfig config) {
        this(config.maxBodyBytes(), config.maxEventsPerRequest(), config.maxPageSize(),
                Math.min(config.defaultPageSize(), config.maxPageSize()));
    }

    /** A change of the configuration applies to the next requests; the resources using these limits stay. */
    @Modified
    void modified(RestConfig config) {
        set(config.maxBodyBytes(), config.maxEventsPerRequest(), config.maxPageSize(),
                Math.min(config.defaultPageSize(), config.maxPageSize()));
    }

    RestLimits(int maxBodyBytes, int maxEventsPerRequest, int maxPageSize, int defaultPageSize) {
        set(maxBodyBytes, maxEventsPerRequest, maxPageSize, defaultPageSize);
    }

    private void set(int maxBodyBytes, int maxEventsPerRequest, int maxPageSize, int defaultPageSize) {
        this.maxBodyBytes = maxBodyBytes;
        this.maxEventsPerRequest = maxEventsPerRequest;
        this.maxPageSize = maxPageSize;
        this.defaultPageSize = defaultPageSize;
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
