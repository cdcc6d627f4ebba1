package org.auditlog.api.capture;

/**
 * No adapter serves the named product.
 *
 * @since 1.0
 */
public class UnknownProductException extends Exception {
    private static final long serialVersionUID = 1L;
    private final String product;

    public UnknownProductException(String product) {
        super("the server has never had an adapter for product '" + product + "'");
        this.product = product;
    }

    public String product() {
        return product;
    }
}
