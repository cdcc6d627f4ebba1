package org.auditlog.api.stream;

import java.net.InetAddress;

/**
 * A destination address the server may not reach: its kind ({@code loopback}, {@code private}, {@code link-local},
 * {@code multicast}, ...) is in the message, and the operator's setting that would allow it.
 *
 * @since 1.0
 */
public class AddressRefusedException extends Exception {
    private static final long serialVersionUID = 1L;

    private final transient InetAddress address;

    public AddressRefusedException(InetAddress address, String kind) {
        super(address.getHostAddress() + " is a " + kind + " address; allow its network in "
                + "AUDITLOG_STREAMS_ALLOWED_NETWORKS to stream there");
        this.address = address;
    }

    public InetAddress address() {
        return address;
    }
}
