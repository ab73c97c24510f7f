package io.isotherm.dashboard.access;

import java.net.URI;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * Who may use the dashboard and how (the launcher reads these from the environment; README has the table).
 *
 * @param mode                  accounts, local or open
 * @param publicUrl             where visitors' browsers reach the collector ({@code ISOTHERM_PUBLIC_URL}), or null
 * @param dashboardHosts        more host names the dashboard answers to, besides localhost and the public URL's host
 * @param sessionIdle           a session unused this long ends
 * @param sessionMax            a session ends this long after sign-in, used or not
 * @param loginAttemptsPerAccount sign-in attempts per account per {@code loginWindow}
 * @param loginAttemptsPerAddress sign-in attempts per client address per {@code loginWindow}
 * @param loginWindow           the window of both limits
 * @param adminEmail            with {@code adminPasswordFile}: the first administrator, created at start if no user exists
 * @param adminPasswordFile     a file holding that administrator's password (a Docker secret, say)
 */
public record AccessSettings(AccessMode mode, URI publicUrl, List<String> dashboardHosts, Duration sessionIdle, Duration sessionMax,
                             int loginAttemptsPerAccount, int loginAttemptsPerAddress, Duration loginWindow,
                             String adminEmail, Path adminPasswordFile) {
    public AccessSettings {
        dashboardHosts = List.copyOf(dashboardHosts);
        if ((adminEmail == null) != (adminPasswordFile == null)) {
            throw new IllegalArgumentException("ISOTHERM_ADMIN_EMAIL and ISOTHERM_ADMIN_PASSWORD_FILE go together: set both or neither");
        }
    }

    public static AccessSettings defaults() {
        return new AccessSettings(AccessMode.ACCOUNTS, null, List.of(), Duration.ofHours(7 * 24), Duration.ofDays(30), 10, 50,
                Duration.ofMinutes(15), null, null);
    }

    public static AccessSettings mode(AccessMode mode) {
        return defaults().withMode(mode);
    }

    public AccessSettings withMode(AccessMode mode) {
        return new AccessSettings(mode, publicUrl, dashboardHosts, sessionIdle, sessionMax, loginAttemptsPerAccount,
                loginAttemptsPerAddress, loginWindow, adminEmail, adminPasswordFile);
    }

    public AccessSettings withPublicUrl(URI publicUrl) {
        return new AccessSettings(mode, publicUrl, dashboardHosts, sessionIdle, sessionMax, loginAttemptsPerAccount,
                loginAttemptsPerAddress, loginWindow, adminEmail, adminPasswordFile);
    }

    public AccessSettings withLoginAttempts(int perAccount, int perAddress) {
        return new AccessSettings(mode, publicUrl, dashboardHosts, sessionIdle, sessionMax, perAccount, perAddress, loginWindow,
                adminEmail, adminPasswordFile);
    }

    public AccessSettings withSessionLimits(Duration idle, Duration max) {
        return new AccessSettings(mode, publicUrl, dashboardHosts, idle, max, loginAttemptsPerAccount, loginAttemptsPerAddress,
                loginWindow, adminEmail, adminPasswordFile);
    }

    /** Cookies get {@code Secure} when visitors reach Isotherm over https. */
    public boolean secureCookies() {
        return publicUrl != null && "https".equalsIgnoreCase(publicUrl.getScheme());
    }
}
