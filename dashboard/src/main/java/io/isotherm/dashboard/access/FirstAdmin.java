package io.isotherm.dashboard.access;

import io.isotherm.accounts.Users;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;

/**
 * For scripts and containers: {@code ISOTHERM_ADMIN_EMAIL} with {@code ISOTHERM_ADMIN_PASSWORD_FILE} creates the first
 * administrator at start, once, while no user exists. Later starts leave the accounts alone.
 */
public final class FirstAdmin {
    private static final Logger log = LoggerFactory.getLogger(FirstAdmin.class);

    private FirstAdmin() {
    }

    public static void createFromSettings(AccessSettings settings, Users users) {
        if (settings.adminEmail() == null) return;
        String password;
        try {
            password = Files.readString(settings.adminPasswordFile()).strip();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read ISOTHERM_ADMIN_PASSWORD_FILE " + settings.adminPasswordFile(), e);
        }
        try {
            users.addFirstAdmin(settings.adminEmail(), password).ifPresentOrElse(
                    user -> log.info("created the first administrator {} from ISOTHERM_ADMIN_EMAIL", user.email()),
                    () -> log.info("users exist already: ISOTHERM_ADMIN_EMAIL is not used"));
        } catch (io.isotherm.accounts.AccountError e) {
            throw new IllegalArgumentException("ISOTHERM_ADMIN_EMAIL / ISOTHERM_ADMIN_PASSWORD_FILE: " + e.getMessage());
        }
    }
}
