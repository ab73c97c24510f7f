package io.isotherm.db.site;

/** A site setting that cannot be stored, with the field it concerns ({@code origins}, {@code timeZone}…). */
public final class InvalidSiteSetting extends IllegalArgumentException {
    private final String field;

    public InvalidSiteSetting(String field, String message) {
        super(message);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
