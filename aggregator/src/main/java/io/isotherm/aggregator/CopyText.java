package io.isotherm.aggregator;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.HexFormat;

/** Rows in COPY's text format, sent with one {@code COPY … FROM STDIN}: new rows without a statement per row. */
final class CopyText {
    private static final HexFormat HEX = HexFormat.of();
    private final StringBuilder text = new StringBuilder(1 << 16);
    private int rows;
    private boolean first = true;

    CopyText value(long v) {
        separate();
        text.append(v);
        return this;
    }

    CopyText value(String v) {
        separate();
        for (int i = 0; i < v.length(); i++) {
            char c = v.charAt(i);
            switch (c) {
                case '\\' -> text.append("\\\\");
                case '\t' -> text.append("\\t");
                case '\n' -> text.append("\\n");
                case '\r' -> text.append("\\r");
                default -> text.append(c);
            }
        }
        return this;
    }

    /** A bytea in hex form; the backslash of {@code \x} is escaped for COPY. */
    CopyText value(byte[] v) {
        separate();
        text.append("\\\\x");
        HEX.formatHex(text, v);
        return this;
    }

    CopyText endRow() {
        text.append('\n');
        rows++;
        first = true;
        return this;
    }

    private void separate() {
        if (!first) text.append('\t');
        first = false;
    }

    /** Sends the rows: {@code copySql} is {@code COPY table (columns) FROM STDIN}. */
    void send(Handle handle, String copySql) {
        if (rows == 0) return;
        try {
            handle.getConnection().unwrap(PGConnection.class).getCopyAPI().copyIn(copySql, new StringReader(text.toString()));
        } catch (SQLException e) {
            throw new IllegalStateException(copySql + " failed: " + e.getMessage(), e);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
