package org.auditlog.rest.internal;

import org.apache.felix.http.jetty.ConnectorFactory;
import org.eclipse.jetty.server.Connector;
import org.eclipse.jetty.server.HttpConnectionFactory;
import org.eclipse.jetty.server.LocalConnector;
import org.eclipse.jetty.server.Server;
import org.osgi.service.component.annotations.Activate;
import org.osgi.service.component.annotations.Component;
import org.osgi.service.component.annotations.ConfigurationPolicy;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What Felix HTTP Jetty 12 has no configuration property for, set on its Jetty server: the minimum request
 * and response data rates of its HTTP connector ({@code minRequestDataRate} and {@code minResponseDataRate} of
 * PID {@code org.auditlog.rest}: a client that sends a body or reads an answer slower is cut off, so that slow
 * clients cannot hold the server's threads), and an error
 * handler that answers the errors Jetty raises before a request reaches a servlet (a bad request line or URI,
 * headers too large, an unknown HTTP version) with the JSON error body instead of HTML.
 * <p>
 * Felix gives its {@link Server} to {@link ConnectorFactory} services only (each time it starts Jetty, also
 * after its configuration changed); this is one. It contributes a {@link LocalConnector}: an in-memory
 * connector without a network port, because Felix adds and starts whatever connector a factory returns.
 */
@Component(
        service = ConnectorFactory.class,
        configurationPid = RestConfig.PID,
        configurationPolicy = ConfigurationPolicy.OPTIONAL)
public class JettyTuning implements ConnectorFactory {
    private static final Logger LOG = LoggerFactory.getLogger(JettyTuning.class);

    private final long minRequestDataRate;
    private final long minResponseDataRate;

    @Activate
    public JettyTuning(RestConfig config) {
        this.minRequestDataRate = Math.max(0, config.minRequestDataRate());
        this.minResponseDataRate = Math.max(0, config.minResponseDataRate());
    }

    @Override
    public Connector createConnector(Server server) {
        for (Connector c : server.getConnectors()) {
            HttpConnectionFactory http = c.getConnectionFactory(HttpConnectionFactory.class);
            if (http != null) {
                http.getHttpConfiguration().setMinRequestDataRate(minRequestDataRate);
                http.getHttpConfiguration().setMinResponseDataRate(minResponseDataRate);
            }
        }
        server.setErrorHandler(new JsonErrorHandler());
        LOG.info(
                "Jetty: minimum request data rate {} bytes/s, minimum response data rate {} bytes/s, JSON error "
                        + "answers",
                minRequestDataRate,
                minResponseDataRate);
        return new LocalConnector(server);
    }
}
