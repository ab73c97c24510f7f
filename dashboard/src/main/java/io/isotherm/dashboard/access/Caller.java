package io.isotherm.dashboard.access;

import io.isotherm.accounts.ApiTokens;
import io.isotherm.accounts.Sessions;
import io.isotherm.accounts.User;

/**
 * Who sent a dashboard request: a signed-in user (by session cookie or API token), the operator (the local and open
 * modes, where everyone who gets in is trusted), or nobody.
 */
public record Caller(User user, boolean operator, Sessions.Session session, ApiTokens.Token token) {
    static final Caller ANONYMOUS = new Caller(null, false, null, null);
    static final Caller OPERATOR = new Caller(null, true, null, null);

    static Caller bySession(User user, Sessions.Session session) {
        return new Caller(user, false, session, null);
    }

    static Caller byToken(User user, ApiTokens.Token token) {
        return new Caller(user, false, null, token);
    }

    public boolean anonymous() {
        return user == null && !operator;
    }

    /** Administrators manage users and every site; a token limited to one site does not carry that right. */
    public boolean admin() {
        return operator || user != null && user.admin() && (token == null || token.siteId() == null && !token.readOnly());
    }

    /** A read-only token changes nothing. */
    public boolean readOnly() {
        return token != null && token.readOnly();
    }
}
