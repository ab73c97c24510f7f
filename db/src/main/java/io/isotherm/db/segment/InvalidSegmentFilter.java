package io.isotherm.db.segment;

/** A segment filter parameter that cannot be used, with the parameter it concerns. */
public final class InvalidSegmentFilter extends IllegalArgumentException {
    private final String field;

    public InvalidSegmentFilter(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
