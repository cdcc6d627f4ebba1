package org.auditlog.rest.internal;

/**
 * A JAX-RS resource of the API, registered as a Declarative Services component with this service interface and
 * its own references ({@code @Component(service = ApiResource.class)}, the OSGi JAX-RS whiteboard's way). The
 * {@link RestApplication} publishes the API once every such component of this bundle is active, so adding an
 * endpoint is writing its class: its path, its references and, per method, {@link Access who may call it}.
 */
interface ApiResource {}
