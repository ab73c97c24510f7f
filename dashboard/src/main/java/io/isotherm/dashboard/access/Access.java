package io.isotherm.dashboard.access;

import io.javalin.security.RouteRole;

/**
 * The rule of a dashboard route, given as its Javalin route role; {@link Guard} enforces it before the handler runs.
 * A dashboard route without one is a bug: the authorization test enumerates every route and fails on it.
 */
public enum Access implements RouteRole {
    /** Anyone: the sign-in, setup and invitation pages and their endpoints, static assets. */
    PUBLIC,
    /** Anyone signed in (or any caller in the local and open modes). */
    SIGNED_IN,
    /** Administrators. */
    ADMIN,
    /** Members of the route's {@code {site}}, viewers included; others get 404, as for a site that does not exist. */
    SITE_READ,
    /** Owners of the route's {@code {site}} (and administrators); a viewer gets 403. */
    SITE_WRITE,
    /**
     * Anyone holding the route's {@code {token}}, a live share link, without signing in: GET only and only in the
     * accounts mode. Anything else, an unknown, revoked or expired link included, is the 404 of an unknown URL.
     */
    SHARED
}
