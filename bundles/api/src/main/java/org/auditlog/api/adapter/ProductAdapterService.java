package org.auditlog.api.adapter;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;
import org.osgi.service.component.annotations.ComponentPropertyType;

/**
 * The service properties of a {@link ProductAdapter} component, as a component property type:
 *
 * <pre>
 * &#64;Component
 * &#64;ProductAdapterService(product = "Backlog")
 * public class BacklogAdapter implements ProductAdapter { ... }
 * </pre>
 *
 * gives the component the property {@value ProductAdapter#PRODUCT_PROPERTY}{@code =Backlog}, with no
 * property string to spell.
 *
 * @since 1.0
 */
@ComponentPropertyType
@Retention(RetentionPolicy.CLASS)
@Target(ElementType.TYPE)
public @interface ProductAdapterService {
    /** The prefix of the property names: {@code product} becomes {@value ProductAdapter#PRODUCT_PROPERTY}. */
    String PREFIX_ = "auditlog.";

    /** The product the adapter translates for, as in {@link ProductCatalog} and the ingest path. */
    String product();
}
