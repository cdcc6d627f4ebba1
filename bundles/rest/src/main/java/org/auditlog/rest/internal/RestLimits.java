package org.auditlog.rest.internal;

import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;

/** The limits the resources apply to what a request asks, from the REST configuration ({@link RestConfig}). */
@Component(service = RestLimits.class, configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public final class RestLimits {
    private final int maxBodyBytes;
    private final int maxEventsPerRequest;
    private final int maxPageSize;
    private final int defaultPageSize;

    @Activate
    public RestLimits(RestConfig config) {
        this(config.maxBodyBytes(), config.maxEventsPerRequest(), config.maxPageSize(),
                Math.min(config.defaultPageSize(), config.maxPageSize()));
    }

    RestLimits(int maxBodyBytes, int maxEventsPerRequest, int maxPageSize, int defaultPageSize) {
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
