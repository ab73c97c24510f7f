package io.isotherm.accounts;

/**
 * A request about accounts that cannot be done, with the field it concerns (null when none) and the HTTP status a
 * server answers it with: 400 for a bad value, 404 for an unknown user or link, 409 for a conflict.
 */
public final class AccountError extends RuntimeException {
    private final int status;
    private final String field;

    private AccountError(int status, String field, String message) {
        super(message, null, false, false); // expected outcome: no stack trace
        this.status = status;
        this.field = field;
    }

    public static AccountError invalid(String field, String message) {
        return new AccountError(400, field, message);
    }

    public static AccountError notFound(String message) {
        return new AccountError(404, null, message);
    }

    public static AccountError conflict(String field, String message) {
        return new AccountError(409, field, message);
    }

    public int status() {
        return status;
    }

    public String field() {
        return field;
    }
}
