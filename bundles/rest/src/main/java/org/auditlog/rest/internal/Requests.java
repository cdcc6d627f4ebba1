package org.auditlog.rest.internal;

import java.math.BigInteger;
import java.util.List;
import java.util.Map;
import javax.servlet.http.HttpServletRequest;
import javax.ws.rs.container.ContainerRequestContext;
import org.auditlog.api.access.Actor;
import org.auditlog.api.access.Member;
import org.auditlog.api.access.OrganizationService;
import org.auditlog.api.access.PolicyException;

/** Reading JSON request bodies and the acting caller, shared by the organization resources. */
final class Requests {
    /** Header an operator sets on a call made by the support team: the change is recorded as Nulab Support. */
    static final String SUPPORT_HEADER = "X-Auditlog-Support";

    private Requests() {}

    /** A JSON object body whose fields are all among {@code allowed}. */
    static Map<?, ?> object(String body, List<String> allowed) {
        Map<?, ?> map = TokensResource.object(body);
        for (Object key : map.keySet()) {
            if (!allowed.contains(key)) {
                throw ApiException.badRequest(
                        String.valueOf(key), "unknown field; expected " + String.join(", ", allowed));
            }
        }
        return map;
    }

    static Integer integer(Map<?, ?> map, String field) {
        Object v = map.get(field);
        if (v == null) {
            return null;
        }
        if (v instanceof Integer i) {
            return i;
        }
        if (v instanceof Long || v instanceof BigInteger) {
            throw ApiException.badRequest(
                    field, "must be a whole number from " + Integer.MIN_VALUE + " to " + Integer.MAX_VALUE);
        }
        throw ApiException.badRequest(field, "must be a whole number");
    }

    /**
     * Who acts: a member token speaks for its member (with the caller's IP address and user agent); the
     * operator acts as the system, or as the support team when the request says so.
     */
    /**
     * Who reads the log, as the record of the read names them: the member, or {@code Nulab Support} for the
     * operator (who reads on an organization's behalf, never the system acting by itself).
     */
    static Actor reader(
            ContainerRequestContext request, HttpServletRequest http, OrganizationService orgs, String spaceKey) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        return caller.operator() ? Actor.support() : actor(request, http, orgs, spaceKey);
    }

    /** The caller a cursor is bound to: the operator, or the member of the token. */
    static String callerKey(ContainerRequestContext request) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        return caller.operator() ? "operator" : "member:" + caller.grant().userId();
    }

    static Actor actor(
            ContainerRequestContext request, HttpServletRequest http, OrganizationService orgs, String spaceKey) {
        Caller caller = (Caller) request.getProperty(Caller.PROPERTY);
        if (caller.operator()) {
            return "true".equalsIgnoreCase(request.getHeaderString(SUPPORT_HEADER)) ? Actor.support() : Actor.system();
        }
        String userId = caller.grant().userId();
        Member member = orgs.get(spaceKey).members().stream()
                .filter(m -> m.userId().equals(userId))
                .findFirst()
                .orElseThrow(() -> new PolicyException(
                        PolicyException.Kind.FORBIDDEN,
                        "not_a_member",
                        null,
                        "the token's user is no longer a member of this organization"));
        return Actor.member(member, clientIp(http), request.getHeaderString("User-Agent"));
    }

    /**
     * The calling user's address as the connection shows it. Forwarding headers are not read: anyone can
     * send them, and a recorded address is evidence. Jetty writes an IPv6 peer in brackets ({@code [::1]}, as a
     * browser on {@code localhost} connects), which is no address by the V1 rules, so the brackets go, and so
     * does a zone id ({@code %eth0}), which names the server's interface, not the user.
     */
    static String clientIp(HttpServletRequest http) {
        return address(http.getRemoteAddr());
    }

    static String address(String remote) {
        if (remote == null) {
            return null;
        }
        String a = remote;
        if (a.length() > 1 && a.startsWith("[") && a.endsWith("]")) {
            a = a.substring(1, a.length() - 1);
        }
        int zone = a.indexOf('%');
        return zone > 0 && a.indexOf(':') >= 0 ? a.substring(0, zone) : a;
    }
}
