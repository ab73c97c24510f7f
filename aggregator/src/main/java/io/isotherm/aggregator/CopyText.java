package io.isotherm.aggregator;

import org.jdbi.v3.core.Handle;
import org.postgresql.PGConnection;

import java.io.IOException;
import java.io.StringReader;
import java.io.UncheckedIOException;
import java.sql.SQLException;
import java.util.HexFormat;
import java.util.List;

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
        escaped(v);
        return this;
    }

    /** A bytea in hex form; the backslash of {@code \x} is escaped for COPY. */
    CopyText value(byte[] v) {
        separate();
        text.append("\\\\x");
        HEX.formatHex(text, v);
        return this;
    }

    /** A text[]: each element quoted in the array's syntax, the whole escaped for COPY. */
    CopyText texts(List<String> v) {
        separate();
        StringBuilder array = new StringBuilder(v.size() * 16).append('{');
        for (String s : v) {
            if (array.length() > 1) array.append(',');
            array.append('"');
            for (int i = 0; i < s.length(); i++) {
                char c = s.charAt(i);
                if (c == '"' || c == '\\') array.append('\\');
                array.append(c);
            }
            array.append('"');
        }
        escaped(array.append('}'));
        return this;
    }

    /** An integer[]. */
    CopyText ints(int[] v) {
        separate();
        text.append('{');
        for (int i = 0; i < v.length; i++) {
            if (i > 0) text.append(',');
            text.append(v[i]);
        }
        text.append('}');
        return this;
    }

    /**
     * A bytea[], each element in hex form or NULL: {@code "\\x…"} in the array's syntax, its two backslashes
     * escaped again for COPY.
     */
    CopyText bytes(List<byte[]> v) {
        separate();
        text.append('{');
        for (int i = 0; i < v.size(); i++) {
            if (i > 0) text.append(',');
            byte[] b = v.get(i);
            if (b == null) {
                text.append("NULL");
                continue;
            }
            text.append("\"\\\\\\\\x");
            HEX.formatHex(text, b);
            text.append('"');
        }
        text.append('}');
        return this;
    }

    CopyText endRow() {
        text.append('\n');
        rows++;
        first = true;
        return this;
    }

    private void escaped(CharSequence v) {
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
