package io.isotherm.collector;

import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * Snowplow's list of referring sites (referers.yml of the npm package referer-parser, which the build downloads into
 * this jar): for a host, whether it is a search engine, a social network or a mail provider. A host is looked up as
 * it is, then without its first label and so on (www.google.co.uk, google.co.uk, co.uk), as the list intends: it
 * names m.facebook.com only as facebook.com. Entries with a path (bing.com/images/search) cannot match a host alone
 * and are left out; the list's "unknown" section (sites whose medium it does not know, there to keep their hosts from
 * matching a broader entry) answers "other", and comes first in the file, so it wins where a host is listed twice.
 */
final class ReferrerList {
    static final String RESOURCE = "/io/isotherm/collector/referer-parser/data/referers.yml";
    /** The list's sections and the referrer class each stands for. */
    private static final Map<String, String> CLASSES = Map.of("search", "search", "social", "social", "email", "email", "unknown", "other");

    private final Map<String, String> classByHost;

    private ReferrerList(Map<String, String> classByHost) {
        this.classByHost = Map.copyOf(classByHost);
    }

    static ReferrerList load() {
        try (InputStream in = ReferrerList.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IllegalStateException(RESOURCE + " is missing: the collector's build downloads it (collector/pom.xml)");
            }
            return parse(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** The list's YAML: section, then provider, then its {@code domains}. */
    @SuppressWarnings("unchecked")
    static ReferrerList parse(InputStream yaml) {
        Map<String, Map<String, Map<String, Object>>> sections = new Yaml(new SafeConstructor(new LoaderOptions())).load(yaml);
        var classByHost = new HashMap<String, String>();
        sections.forEach((section, providers) -> {
            String referrerClass = CLASSES.get(section);
            if (referrerClass == null) throw new IllegalStateException("referers.yml has an unknown section: " + section);
            providers.values().forEach(provider -> ((List<String>) provider.get("domains")).stream()
                    .filter(domain -> !domain.contains("/"))
                    .forEach(domain -> classByHost.putIfAbsent(domain.toLowerCase(Locale.ROOT), referrerClass)));
        });
        return new ReferrerList(classByHost);
    }

    /** search, social, email or other, for a host name in lower case. */
    String classOf(String host) {
        for (String h = host; ; h = h.substring(h.indexOf('.') + 1)) {
            String found = classByHost.get(h);
            if (found != null) return found;
            if (h.indexOf('.') < 0) return "other";
        }
    }
}
