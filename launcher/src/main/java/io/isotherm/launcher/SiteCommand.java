package io.isotherm.launcher;

import io.isotherm.db.site.InvalidSiteSetting;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import io.isotherm.db.site.SiteSettings;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.TypeConversionException;

import java.io.PrintWriter;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Objects;
import java.util.Map;

/**
 * {@code site add|list|edit|remove}. Works whether or not Isotherm is serving: on the embedded database it attaches
 * to the running server of the same data directory, or starts the database just for the command.
 */
@Command(name = "site", mixinStandardHelpOptions = true, description = "Manage the sites Isotherm records.")
final class SiteCommand extends CommandGroup {


    private abstract static class Base extends DatabaseCommand {
        Base(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(Jdbi jdbi) throws Exception {
            return run(new SiteDao(jdbi));
        }

        abstract int run(SiteDao sites) throws Exception;

        static Map<String, Object> describe(Site site) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", site.publicKey());
            m.put("id", site.id());
            m.put("name", site.name());
            m.put("origins", site.origins());
            m.put("keepQuery", site.pageQueryParams());
            m.put("timeZone", site.timeZone());
            m.put("excludedPaths", site.excludedPaths());
            m.put("mobileBelow", site.mobileBelow()); // null: the platform's setting applies
            m.put("tabletBelow", site.tabletBelow());
            m.put("retentionDays", site.retentionDays());
            return m;
        }
    }

    @Command(name = "add", mixinStandardHelpOptions = true, description = "Register a site and print its public key.")
    static final class AddSite extends Base {
        @Option(names = "--name", required = true, description = "A name for people.")
        String name;

        @Option(names = "--origin", required = true, description = "An origin the site is served from, e.g. https://shop.example (repeatable; https://*.shop.example allows subdomains).")
        List<String> origins;

        @Option(names = "--keep-query", description = "A query parameter that identifies a page, e.g. id for /item?id=3 (repeatable).")
        List<String> keepQuery = List.of();

        AddSite(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(SiteDao sites) throws Exception {
            Site site = sites.add(name, origins, keepQuery);
            var result = new LinkedHashMap<String, Object>();
            result.put("key", site.publicKey());
            result.put("id", site.id());
            print(result, site.publicKey());
            return 0;
        }
    }

    @Command(name = "list", mixinStandardHelpOptions = true, description = "List the registered sites.")
    static final class ListSites extends Base {
        ListSites(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(SiteDao sites) throws Exception {
            var all = sites.list();
            var text = new StringBuilder();
            for (Site site : all) {
                text.append(site.publicKey()).append('\t').append(site.name()).append('\t')
                        .append(String.join(" ", site.origins()));
                if (!site.pageQueryParams().isEmpty()) {
                    text.append("\tkeeps ?").append(String.join(", ?", site.pageQueryParams()));
                }
                text.append('\n');
            }
            print(all.stream().map(Base::describe).toList(), all.isEmpty() ? "no sites yet" : text.toString().stripTrailing());
            return 0;
        }
    }

    @Command(name = "edit", mixinStandardHelpOptions = true,
            description = "Change a site's settings. Only the options given change; a repeated option replaces the whole list.")
    static final class EditSite extends Base {
        static final String TIME_ZONE_NOTICE =
                "the new time zone applies to events aggregated from now on; days already aggregated keep their time zone";
        /** The option that sets each field of SiteSettings, to name it in an error. */
        private static final Map<String, String> OPTION_OF = Map.of("name", "--name", "origins", "--origin",
                "keepQuery", "--keep-query", "timeZone", "--time-zone", "excludedPaths", "--exclude-path",
                "mobileBelow", "--mobile-below", "tabletBelow", "--tablet-below", "retentionDays", "--retention-days");

        @Parameters(paramLabel = "KEY", description = "The site's public key.")
        String key;

        @Option(names = "--name", paramLabel = "NAME", description = "A name for people.")
        String name;

        @Option(names = "--origin", paramLabel = "ORIGIN", description = "An origin the site is served from (repeatable; replaces all origins).")
        List<String> origins;

        @Option(names = "--keep-query", paramLabel = "PARAM", description = "A query parameter that identifies a page (repeatable; replaces the list).")
        List<String> keepQuery;

        @Option(names = "--clear-keep-query", description = "Keep no query parameter.")
        boolean clearKeepQuery;

        @Option(names = "--time-zone", paramLabel = "ZONE", description = "The zone the site's days are counted in, e.g. Europe/Berlin.")
        String timeZone;

        @Option(names = "--exclude-path", paramLabel = "PATTERN", description = "A path not to record, e.g. /admin/* (repeatable; replaces the list).")
        List<String> excludedPaths;

        @Option(names = "--clear-excluded-paths", description = "Record every path.")
        boolean clearExcludedPaths;

        @Option(names = "--mobile-below", paramLabel = "PX|default", converter = NumberOrDefaultConverter.class,
                description = "Narrower screens count as mobile; default: the platform's ISOTHERM_MOBILE_BELOW.")
        NumberOrDefault mobileBelow;

        @Option(names = "--tablet-below", paramLabel = "PX|default", converter = NumberOrDefaultConverter.class,
                description = "Narrower screens count as tablet; default: the platform's ISOTHERM_TABLET_BELOW.")
        NumberOrDefault tabletBelow;

        @Option(names = "--retention-days", paramLabel = "DAYS|default", converter = NumberOrDefaultConverter.class,
                description = "Days of raw events kept; default: the platform's ISOTHERM_RETENTION_DAYS.")
        NumberOrDefault retentionDays;

        EditSite(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        public Integer call() throws Exception {
            // Usage errors before the database starts.
            if (keepQuery != null && clearKeepQuery) {
                throw new ParameterException(spec.commandLine(), "--keep-query and --clear-keep-query exclude each other");
            }
            if (excludedPaths != null && clearExcludedPaths) {
                throw new ParameterException(spec.commandLine(), "--exclude-path and --clear-excluded-paths exclude each other");
            }
            if (name == null && origins == null && keepQuery == null && !clearKeepQuery && timeZone == null
                    && excludedPaths == null && !clearExcludedPaths && mobileBelow == null && tabletBelow == null && retentionDays == null) {
                throw new ParameterException(spec.commandLine(), "nothing to change: give at least one setting");
            }
            return super.call();
        }

        @Override
        int run(SiteDao sites) throws Exception {
            Site site = sites.findByKey(key).orElseThrow(() -> new IllegalArgumentException("no site has the key " + key));
            SiteSettings before = SiteSettings.of(site);
            SiteSettings after = wanted(before);
            Map<String, String> changed = changes(before, after);
            Site updated = site;
            if (!changed.isEmpty()) {
                updated = sites.update(site.id(), after).orElseThrow(() -> new IllegalArgumentException("no site has the key " + key));
            }
            boolean zoneChanged = !before.timeZone().equals(after.timeZone());
            Map<String, Object> result = describe(updated);
            result.put("changed", List.copyOf(changed.keySet()));
            if (zoneChanged) {
                result.put("notice", TIME_ZONE_NOTICE);
            }
            var text = new StringBuilder();
            if (changed.isEmpty()) {
                text.append("nothing changed for ").append(key);
            } else {
                text.append("updated ").append(key).append(": ");
                text.append(String.join("; ", changed.entrySet().stream().map(e -> e.getKey() + " " + e.getValue()).toList()));
            }
            if (zoneChanged) {
                text.append('\n').append(TIME_ZONE_NOTICE);
            }
            print(result, text.toString());
            return 0;
        }

        /** The current settings with the given options applied, checked; an error names the option. */
        private SiteSettings wanted(SiteSettings now) {
            try {
                return SiteSettings.checked(
                        name != null ? name : now.name(),
                        origins != null ? origins : now.origins(),
                        clearKeepQuery ? List.of() : keepQuery != null ? keepQuery : now.pageQueryParams(),
                        timeZone != null ? timeZone : now.timeZone(),
                        clearExcludedPaths ? List.of() : excludedPaths != null ? excludedPaths : now.excludedPaths(),
                        mobileBelow != null ? mobileBelow.value() : now.mobileBelow(),
                        tabletBelow != null ? tabletBelow.value() : now.tabletBelow(),
                        retentionDays != null ? retentionDays.value() : now.retentionDays());
            } catch (InvalidSiteSetting e) {
                // The message is written for the API, where an empty value means the platform's; here it is "default".
                String message = e.getMessage().replace("or empty for the platform's setting", "or default for the platform's setting");
                throw new IllegalArgumentException(OPTION_OF.getOrDefault(e.field(), e.field()) + ": " + message);
            }
        }

        /** Each field that differs, by its name in {@code site list --json}, with its new value as text. */
        private static Map<String, String> changes(SiteSettings before, SiteSettings after) {
            Map<String, String> changed = new LinkedHashMap<>();
            note(changed, "name", before.name(), after.name(), after.name());
            note(changed, "origins", before.origins(), after.origins(), words(after.origins()));
            note(changed, "keepQuery", before.pageQueryParams(), after.pageQueryParams(), words(after.pageQueryParams()));
            note(changed, "timeZone", before.timeZone(), after.timeZone(), after.timeZone());
            note(changed, "excludedPaths", before.excludedPaths(), after.excludedPaths(), words(after.excludedPaths()));
            note(changed, "mobileBelow", before.mobileBelow(), after.mobileBelow(), number(after.mobileBelow()));
            note(changed, "tabletBelow", before.tabletBelow(), after.tabletBelow(), number(after.tabletBelow()));
            note(changed, "retentionDays", before.retentionDays(), after.retentionDays(), number(after.retentionDays()));
            return changed;
        }

        private static void note(Map<String, String> changed, String field, Object before, Object after, String shown) {
            if (!Objects.equals(before, after)) {
                changed.put(field, shown);
            }
        }

        private static String words(List<String> values) {
            return values.isEmpty() ? "none" : String.join(" ", values);
        }

        private static String number(Integer value) {
            return value == null ? "default" : value.toString();
        }
    }

    /** A number option that also takes {@code default}: the platform's setting ({@code value} null). */
    record NumberOrDefault(Integer value) {}

    static final class NumberOrDefaultConverter implements ITypeConverter<NumberOrDefault> {
        @Override
        public NumberOrDefault convert(String text) {
            String trimmed = text.trim();
            if (trimmed.equalsIgnoreCase("default")) {
                return new NumberOrDefault(null);
            }
            try {
                return new NumberOrDefault(Integer.parseInt(trimmed));
            } catch (NumberFormatException e) {
                throw new TypeConversionException("expected a whole number or default, got '" + text + "'");
            }
        }
    }

    @Command(name = "remove", mixinStandardHelpOptions = true, description = "Remove a site and everything recorded for it.")
    static final class RemoveSite extends Base {
        @Parameters(paramLabel = "KEY", description = "The site's public key.")
        String key;

        RemoveSite(Settings settings, PrintWriter out) {
            super(settings, out);
        }

        @Override
        int run(SiteDao sites) throws Exception {
            boolean removed = sites.remove(key);
            print(Map.of("key", key, "removed", removed), removed ? "removed " + key : "no site has the key " + key);
            return removed ? 0 : 1;
        }
    }
}
