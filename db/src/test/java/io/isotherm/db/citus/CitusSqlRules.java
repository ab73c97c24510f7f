package io.isotherm.db.citus;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The rules for Citus that can be read off a statement's text, checked on the SQL in Java sources (text blocks and
 * string literals, {@code "a" + "b"} joined). A text scan, not a parser: it sees what is written in one literal,
 * not what a variable adds at run time, and knows a table by name after FROM, JOIN, UPDATE, INTO or USING.
 */
final class CitusSqlRules {
    record Statement(String file, int line, String sql) {}

    record Violation(Statement statement, String rule) {
        @Override
        public String toString() {
            return statement.file() + ":" + statement.line() + ": " + rule + "\n    " + statement.sql().strip().replaceAll("\\s+", " ");
        }
    }

    static final String ROW_LOCK_WITHOUT_SITE = "a row lock (FOR UPDATE/SHARE, SKIP LOCKED) on a distributed table needs an equality on site_id with a value";
    static final String SHARED_LOCK_ON_REFERENCE = "FOR SHARE / FOR KEY SHARE on a reference table deadlocks between writers under Citus";
    static final String CAST_IN_RETURNING = "a cast in RETURNING is refused by Citus (RETURNING must be immutable)";
    static final String CAST_OF_COLUMN_IN_SET = "a cast of a column reference in UPDATE … SET is refused by Citus (cast the bound array instead)";

    private static final Pattern TEXT_BLOCK = Pattern.compile("\"\"\"(.*?)\"\"\"", Pattern.DOTALL);
    private static final Pattern STRING = Pattern.compile("\"((?:[^\"\\\\\\n]|\\\\.)*)\"");
    private static final Pattern JOIN = Pattern.compile("\\s*\\+\\s*");
    /** SQL is written with upper-case keywords here; a message such as "select a site" is not a statement. */
    private static final Pattern SQL_START = Pattern.compile("(?s)^\\s*(SELECT|INSERT|UPDATE|DELETE|WITH)\\b.*");
    private static final Pattern ROW_LOCK = Pattern.compile("(?i)\\bFOR\\s+(UPDATE|NO\\s+KEY\\s+UPDATE|SHARE|KEY\\s+SHARE)\\b|\\bSKIP\\s+LOCKED\\b");
    private static final Pattern SHARED_LOCK = Pattern.compile("(?i)\\bFOR\\s+(KEY\\s+)?SHARE\\b");
    private static final Pattern SITE_EQUALITY = Pattern.compile("(?i)\\bsite_id\\s*=\\s*(:\\w+|\\?|\\d+)");
    private static final Pattern TABLE = Pattern.compile("(?i)\\b(?:FROM|JOIN|UPDATE|INTO|USING)\\s+([a-z_][a-z0-9_]*)");
    private static final Pattern RETURNING = Pattern.compile("(?i)\\bRETURNING\\b");
    /** {@code SET a = …, b = …} up to FROM, WHERE, RETURNING or the end. */
    private static final Pattern SET_CLAUSE = Pattern.compile("(?is)\\bUPDATE\\b.*?\\bSET\\b(.*?)(?=\\bFROM\\b|\\bWHERE\\b|\\bRETURNING\\b|$)");
    /** A column (maybe qualified) cast with {@code ::}; a bind parameter {@code :name::type} or a literal is not one. */
    private static final Pattern COLUMN_CAST = Pattern.compile("(?<![:\\w.'])(?:[a-z_]\\w*\\.)?[a-z_]\\w*::\\w+", Pattern.CASE_INSENSITIVE);

    private final Set<String> referenceTables;
    private final Set<String> knownTables;

    CitusSqlRules(Set<String> referenceTables, Set<String> knownTables) {
        this.referenceTables = referenceTables;
        this.knownTables = knownTables;
    }

    /** The SQL statements written in a Java source. */
    static List<Statement> statements(String file, String source) {
        List<Statement> found = new ArrayList<>();
        StringBuilder rest = new StringBuilder(source);
        Matcher blocks = TEXT_BLOCK.matcher(source);
        while (blocks.find()) {
            add(found, file, source, blocks.start(), blocks.group(1));
            for (int i = blocks.start(); i < blocks.end(); i++) {
                if (rest.charAt(i) != '\n') rest.setCharAt(i, ' '); // keeps offsets, hence line numbers
            }
        }
        // String literals, those joined with + read as one.
        Matcher strings = STRING.matcher(rest);
        int start = -1, end = -1;
        StringBuilder text = new StringBuilder();
        while (strings.find()) {
            if (start >= 0 && JOIN.matcher(rest.substring(end, strings.start())).matches()) {
                text.append(strings.group(1));
            } else {
                if (start >= 0) add(found, file, source, start, text.toString());
                start = strings.start();
                text.setLength(0);
                text.append(strings.group(1));
            }
            end = strings.end();
        }
        if (start >= 0) add(found, file, source, start, text.toString());
        return found;
    }

    private static void add(List<Statement> found, String file, String source, int offset, String text) {
        if (!SQL_START.matcher(text).matches()) return;
        int line = 1;
        for (int i = 0; i < offset; i++) if (source.charAt(i) == '\n') line++;
        found.add(new Statement(file, line, text));
    }

    List<Violation> check(Statement statement) {
        String sql = statement.sql();
        List<Violation> violations = new ArrayList<>();
        Set<String> tables = tables(sql);
        boolean distributed = tables.stream().anyMatch(t -> !referenceTables.contains(t));
        if (ROW_LOCK.matcher(sql).find() && distributed && !SITE_EQUALITY.matcher(sql).find()) {
            violations.add(new Violation(statement, ROW_LOCK_WITHOUT_SITE));
        }
        if (SHARED_LOCK.matcher(sql).find() && tables.stream().anyMatch(referenceTables::contains)) {
            violations.add(new Violation(statement, SHARED_LOCK_ON_REFERENCE));
        }
        Matcher returning = RETURNING.matcher(sql);
        while (returning.find()) {
            if (returningClause(sql, returning.end()).contains("::")) {
                violations.add(new Violation(statement, CAST_IN_RETURNING));
            }
        }
        Matcher set = SET_CLAUSE.matcher(sql);
        while (set.find()) {
            if (COLUMN_CAST.matcher(set.group(1)).find()) {
                violations.add(new Violation(statement, CAST_OF_COLUMN_IN_SET));
            }
        }
        return violations;
    }

    private Set<String> tables(String sql) {
        Set<String> tables = new java.util.TreeSet<>();
        Matcher m = TABLE.matcher(sql);
        while (m.find()) {
            String name = m.group(1).toLowerCase(Locale.ROOT);
            if (knownTables.contains(name)) tables.add(name);
        }
        return tables;
    }

    /** From RETURNING to the end of its statement: the end of the text, or the parenthesis closing a CTE. */
    private static String returningClause(String sql, int from) {
        int depth = 0;
        for (int i = from; i < sql.length(); i++) {
            char c = sql.charAt(i);
            if (c == '(') depth++;
            if (c == ')' && --depth < 0) return sql.substring(from, i);
        }
        return sql.substring(from);
    }
}
