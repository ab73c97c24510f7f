package io.isotherm.capture;

import java.net.URI;
import java.util.regex.Pattern;

/**
 * Recognises captures that do not show the page visitors see, so a challenge or login page does not silently
 * become a heatmap's background. Bot challenges first: they usually come with a 403 or 503.
 */
final class FlagDetector {
    private static final Pattern LOGIN_PATH = Pattern.compile(
            "(^|/)(login|log-in|signin|sign-in|sign_in|auth|sso)([/._-]|$)", Pattern.CASE_INSENSITIVE);
    private static final Pattern ERROR_TEXT = Pattern.compile(
            "\\b404\\b|\\bnot found\\b|server error|something went wrong", Pattern.CASE_INSENSITIVE);

    record Verdict(Flag flag, String reason) {
        static final Verdict CLEAN = new Verdict(null, null);
    }

    private FlagDetector() {
    }

    /**
     * @param status     the main document's status, null when unknown
     * @param statusText its reason phrase, maybe empty
     */
    static Verdict judge(PageScripts.Signals page, Integer status, String statusText, URI requested, URI finalUrl) {
        if (page.challenge() != null) {
            return new Verdict(Flag.BOT_CHALLENGE, "the site showed a bot check (" + page.challenge() + ") instead of the page");
        }
        if (status != null && status >= 400) {
            String phrase = statusText == null || statusText.isBlank() ? "" : " " + statusText.strip();
            return new Verdict(Flag.HTTP_ERROR, "the server answered " + status + phrase);
        }
        if (page.passwordField()) {
            return new Verdict(Flag.LOGIN_WALL, "the page shows a login form (a password field)");
        }
        if (loginPath(finalUrl) && !loginPath(requested)) {
            return new Verdict(Flag.LOGIN_WALL, "the capture was sent to a login page (" + finalUrl.getPath() + ")");
        }
        for (String text : new String[] {page.title(), page.heading()}) {
            if (ERROR_TEXT.matcher(text).find()) {
                return new Verdict(Flag.ERROR_PAGE, "the page looks like an error page (\"" + text + "\")");
            }
        }
        return Verdict.CLEAN;
    }

    private static boolean loginPath(URI url) {
        return url.getPath() != null && LOGIN_PATH.matcher(url.getPath()).find();
    }
}
