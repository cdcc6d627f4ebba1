package org.auditlog.api.store;

/**
 * What a {@link SearchClause} compares.
 *
 * @since 1.5
 */
public enum SearchField {
    /** The product, exactly. */
    PRODUCT,
    /** The category, exactly. */
    CATEGORY,
    /** The event name, exactly. */
    EVENT,
    /** The operation user's id, name or email, exactly. */
    ACTOR,
    /**
     * The IP address: an address (IPv4 or IPv6, in any of its textual forms) or a CIDR range
     * ({@code 203.0.113.0/24}, {@code 2001:db8::/32}), compared as addresses, not as text.
     */
    IP,
    /**
     * Words of the action text: the value's words must appear in the action, consecutively and in order, as whole
     * words compared without case. A word is a run of letters and digits; in scripts written without spaces (Han,
     * Hiragana, Katakana, Hangul) each pair of neighbouring characters counts as a word.
     */
    TEXT
}
