package io.isotherm.capture;

/** Why a capture probably does not show the page visitors see. */
public enum Flag {
    /** The main document came with a 4xx or 5xx status. */
    HTTP_ERROR,
    /** A 2xx page whose title or heading says it is an error page. */
    ERROR_PAGE,
    /** A login form, or a redirect to a login page. */
    LOGIN_WALL,
    /** A bot check (Cloudflare, hCaptcha, reCAPTCHA, DataDome, PerimeterX) instead of the page. */
    BOT_CHALLENGE
}
