package org.auditlog.rest.internal;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Who may call a resource method, written on the method (or on its class, for every method of it that says
 * nothing). It is the one statement of an endpoint's access: {@link AuthFilter} enforces it on the method Jersey
 * matched, and {@link RequestGate} reads it (through {@link Routes}) to know, before a body is read, whether the
 * request needs credentials and how large its body may be. A resource method without it is refused to everyone
 * but the operator.
 */
@Documented
@Retention(RetentionPolicy.RUNTIME)
@Target({ElementType.METHOD, ElementType.TYPE})
@interface Access {
    Who value();

    /**
     * More than zero: the resource reads the body itself as it streams, up to this many bytes (the bundle
     * upload); the gate then reads nothing. Zero: the gate reads the body into memory first, bounded by who may
     * call ({@link Who#body()}).
     */
    long streamedBody() default 0;

    /** The callers a method may have. */
    enum Who {
        /** Anyone, without credentials (the sign-in, the public keys, the API's description). */
        ANYONE,
        /** The settings page's session cookie, and nothing else. */
        SESSION,
        /** Any valid credentials. */
        ANY_TOKEN,
        /** An ingest token for the product in the path ({@code {product}}). */
        INGEST_TOKEN,
        /** A member token; the resource checks its organization. */
        MEMBER_TOKEN,
        /**
         * The operator, or a member token of the organization in the path ({@code {spaceKey}}); any other token
         * gets the same 404 as a missing organization, so that a token never tells whether another exists.
         */
        ORGANIZATION_MEMBER,
        /** The operator token. */
        OPERATOR;

        /** Which bound of the REST configuration applies to a body the gate reads for such a method. */
        BodyBound body() {
            return switch (this) {
                case ANYONE -> BodyBound.ANONYMOUS;
                case INGEST_TOKEN -> BodyBound.INGEST;
                default -> BodyBound.CONTROL;
            };
        }
    }

    /** The bounds of {@link RestConfig} a body may fall under. */
    enum BodyBound {
        /** {@code maxAnonymousBodyBytes}. */
        ANONYMOUS,
        /** {@code maxBodyBytes}. */
        INGEST,
        /** {@code maxControlBodyBytes}. */
        CONTROL
    }
}
