package io.isotherm.launcher;

import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

import java.io.PrintWriter;
import java.util.List;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code site add|list|remove}. Works whether or not Isotherm is serving: on the embedded database it attaches
 * to the running server of the same data directory, or starts the database just for the command.
 */
@Command(name = "site", mixinStandardHelpOptions = true, description = "Manage the sites Isotherm records.")
final class SiteCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }

    private abstract static class Base implements Callable<Integer> {
        final Settings settings;
        final PrintWriter out;

        @Mixin
        CommandOptions options;

        Base(Settings settings, PrintWriter out) {
            this.settings = settings;
            this.out = out;
        }

        @Override
        public Integer call() throws Exception {
            try (var db = options.openDatabase(settings)) {
                return run(new SiteDao(db.database().jdbi()));
            }
        }

        abstract int run(SiteDao sites) throws Exception;

        void print(Object jsonValue, String text) throws Exception {
            options.print(out, jsonValue, text);
        }

        static Map<String, Object> describe(Site site) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("key", site.publicKey());
            m.put("id", site.id());
            m.put("name", site.name());
            m.put("origins", site.origins());
            m.put("keepQuery", site.pageQueryParams());
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
