package org.auditlog.rest.internal;

/** A bundle the {@link BundleDeployer} will not deploy or remove, with the status, rule and field that say why. */
final class DeployRefusedException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    private final int status;
    private final String rule;
    private final String field;

    DeployRefusedException(int status, String rule, String field, String detail) {
        super(detail);
        this.status = status;
        this.rule = rule;
        this.field = field;
    }

    /** The answer to the operator who asked. */
    ApiException asApiException() {
        return new ApiException(status, rule, field, getMessage());
    }
}
