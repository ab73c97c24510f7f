package io.isotherm.accounts;

import org.jdbi.v3.core.Jdbi;

import java.time.Duration;

/**
 * Everything about who may use the dashboard, over one database: users, sessions, site memberships, API tokens,
 * invitations and share links. Servers and commands build one and hand its parts to whoever needs them.
 */
public final class Accounts {
    private final Users users;
    private final Sessions sessions;
    private final Memberships members;
    private final ApiTokens tokens;
    private final Invites invites;
    private final ShareLinks shares;

    public Accounts(Jdbi jdbi, Duration sessionIdle, Duration sessionAbsolute) {
        this.users = new Users(jdbi);
        this.sessions = new Sessions(jdbi, sessionIdle, sessionAbsolute);
        this.members = new Memberships(jdbi);
        this.tokens = new ApiTokens(jdbi);
        this.invites = new Invites(jdbi, users, members);
        this.shares = new ShareLinks(jdbi);
    }

    /** With the default session limits (7 days idle, 30 days in all), for commands that do not sign anyone in. */
    public Accounts(Jdbi jdbi) {
        this(jdbi, Duration.ofDays(7), Duration.ofDays(30));
    }

    public Users users() {
        return users;
    }

    public Sessions sessions() {
        return sessions;
    }

    public Memberships members() {
        return members;
    }

    public ApiTokens tokens() {
        return tokens;
    }

    public Invites invites() {
        return invites;
    }

    public ShareLinks shares() {
        return shares;
    }
}
