package io.isotherm.capture;

/** A capture that produced no screenshot. The message says what went wrong and what to do, for the operator. */
public final class CaptureFailure extends Exception {

    public enum Reason { CHROMIUM_MISSING, URL_REFUSED, LOAD_FAILED, TIMEOUT, TOO_LARGE }

    private final Reason reason;

    CaptureFailure(Reason reason, String message) {
        this(reason, message, null);
    }

    CaptureFailure(Reason reason, String message, Throwable cause) {
        super(message, cause);
        this.reason = reason;
    }

    public Reason reason() {
        return reason;
    }
}
