package io.isotherm.accounts;

import java.util.Locale;
import java.util.regex.Pattern;

/** Email addresses as sign-in names: trimmed, compared without case, roughly checked (no mail is ever sent). */
public final class Emails {
    private static final Pattern SHAPE = Pattern.compile("[^@\\s]{1,64}@[^@\\s]+\\.[^@\\s.]+");

    private Emails() {
    }

    public static String check(String email, String field) {
        if (email == null || email.isBlank()) throw AccountError.invalid(field, field + " is required");
        String trimmed = email.trim();
        if (trimmed.length() > 254 || !SHAPE.matcher(trimmed).matches()) {
            throw AccountError.invalid(field, field + " must be an email address like ana@example.com");
        }
        return trimmed.toLowerCase(Locale.ROOT);
    }
}
