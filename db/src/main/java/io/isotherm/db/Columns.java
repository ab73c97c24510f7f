package io.isotherm.db;

import org.jdbi.v3.core.statement.SqlStatement;

import java.util.ArrayList;
import java.util.List;

/**
 * Rows gathered column by column, bound as one array per column: a statement then reads them back with
 * {@code unnest(:a, :b, …)} and writes every row in one round trip, in the order they were added.
 */
public final class Columns {
    private final String[] names;
    private final Class<?>[] types;
    private final List<List<Object>> values = new ArrayList<>();

    /** {@code spec}: name, type, name, type, … (types: Integer, Long, Short, String, UUID, …). */
    public Columns(Object... spec) {
        names = new String[spec.length / 2];
        types = new Class<?>[spec.length / 2];
        for (int i = 0; i < names.length; i++) {
            names[i] = (String) spec[2 * i];
            types[i] = (Class<?>) spec[2 * i + 1];
            values.add(new ArrayList<>());
        }
    }

    public void add(Object... row) {
        if (row.length != names.length) throw new IllegalArgumentException("expected " + names.length + " values, got " + row.length);
        for (int i = 0; i < row.length; i++) values.get(i).add(row[i]);
    }

    public boolean isEmpty() {
        return values.get(0).isEmpty();
    }

    public int size() {
        return values.get(0).size();
    }

    public <S extends SqlStatement<S>> S bind(S statement) {
        for (int i = 0; i < names.length; i++) statement.bindArray(names[i], types[i], values.get(i));
        return statement;
    }
}
