package io.isotherm.accounts;

import com.password4j.Argon2Function;
import com.password4j.Password;
import com.password4j.types.Argon2;

/**
 * Password hashing with Argon2id (Password4j), at OWASP's recommended cost: 19 MiB, 2 passes, 1 lane. Hashes are
 * PHC strings ({@code $argon2id$v=19$m=19456,t=2,p=1$…}), so the cost can be raised later without breaking old ones.
 */
public final class Passwords {
    public static final int MIN_LENGTH = 10;
    public static final int MAX_LENGTH = 1024;
    private static final Argon2Function ARGON2 = Argon2Function.getInstance(19_456, 2, 1, 32, Argon2.ID);
    /** Checked against when the email is unknown, so a wrong email costs as much time as a wrong password. */
    private static final String DUMMY = hash("not a password of anyone's");

    private Passwords() {
    }

    public static String hash(String password) {
        return Password.hash(password).addRandomSalt(16).with(ARGON2).getResult();
    }

    public static boolean verify(String password, String hash) {
        if (password == null) return false;
        return Password.check(password, hash).with(Argon2Function.getInstanceFromHash(hash));
    }

    /** Spends the time of one verification, for an unknown email. */
    static void verifyNobody(String password) {
        verify(password == null ? "" : password, DUMMY);
    }

    /** A new password must be long enough; a 400 naming {@code field} otherwise. */
    public static String checkNew(String password, String field) {
        if (password == null || password.isEmpty()) throw AccountError.invalid(field, field + " is required");
        if (password.codePointCount(0, password.length()) < MIN_LENGTH) {
            throw AccountError.invalid(field, field + " must have at least " + MIN_LENGTH + " characters");
        }
        if (password.length() > MAX_LENGTH) throw AccountError.invalid(field, field + " is longer than " + MAX_LENGTH + " characters");
        return password;
    }
}
