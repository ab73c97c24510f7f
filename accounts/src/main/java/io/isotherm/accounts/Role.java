package io.isotherm.accounts;

import java.util.Locale;

/** A member's role on one site. An owner changes settings, members, captures and data; a viewer reads. */
public enum Role {
    OWNER, VIEWER;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** "owner" or "viewer"; anything else is a 400 naming {@code field}. */
    public static Role parse(String text, String field) {
        if ("owner".equals(text)) return OWNER;
        if ("viewer".equals(text)) return VIEWER;
        throw AccountError.invalid(field, field + " must be owner or viewer");
    }

    public boolean canChange() {
        return this == OWNER;
    }
}
