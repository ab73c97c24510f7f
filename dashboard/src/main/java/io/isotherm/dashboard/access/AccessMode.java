package io.isotherm.dashboard.access;

import java.util.Locale;

/** How the dashboard lets people in ({@code ISOTHERM_DASHBOARD_ACCESS}). */
public enum AccessMode {
    /** Sign-in required, from any address: sessions for browsers, API tokens for scripts. */
    ACCOUNTS,
    /** Only this machine, everyone there an administrator, no sign-in: a single person's install. */
    LOCAL,
    /** Anyone who reaches the port, as an administrator: behind a login proxy or on a private network. */
    OPEN;

    public String label() {
        return name().toLowerCase(Locale.ROOT);
    }
}
