package io.isotherm.bench;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

/** {@code --name value} command-line options; unknown or missing ones end the program with the usage text. */
final class Args {
    private final Map<String, String> values = new LinkedHashMap<>();
    private final String usage;

    Args(String[] args, String usage, Set<String> known) {
        this.usage = usage;
        for (int i = 0; i < args.length; i++) {
            String name = args[i];
            if (name.equals("--help") || name.equals("-h")) {
                System.out.println(usage);
                System.exit(0);
            }
            if (!name.startsWith("--") || !known.contains(name.substring(2)) || i + 1 >= args.length) {
                fail("unknown option or missing value: " + name);
            }
            values.put(name.substring(2), args[++i]);
        }
    }

    String text(String name, String fallback) {
        String v = values.get(name);
        if (v == null && fallback == null) {
            fail("--" + name + " is required");
        }
        return v == null ? fallback : v;
    }

    int integer(String name, int fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Integer.parseInt(v);
        } catch (NumberFormatException e) {
            fail("--" + name + " must be a whole number, got " + v);
            return 0;
        }
    }

    long longValue(String name, long fallback) {
        String v = values.get(name);
        try {
            return v == null ? fallback : Long.parseLong(v);
        } catch (NumberFormatException e) {
            fail("--" + name + " must be a whole number, got " + v);
            return 0;
        }
    }

    /** "1,2" → [1, 2] */
    List<Integer> integers(String name, String fallback) {
        String v = text(name, fallback);
        try {
            return Arrays.stream(v.split(",")).map(String::trim).map(Integer::parseInt).toList();
        } catch (NumberFormatException e) {
            fail("--" + name + " must be a comma-separated list of whole numbers, got " + v);
            return List.of();
        }
    }

    void fail(String message) {
        System.err.println("error: " + message);
        System.err.println(usage);
        System.exit(2);
    }
}
