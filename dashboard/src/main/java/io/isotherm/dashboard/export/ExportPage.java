package io.isotherm.dashboard.export;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The interactive export: one HTML file that opens offline. It carries the viewer's own modules (ui/*.js: palettes,
 * legend, tooltips, the heat layer) as data: URLs behind an import map, so it draws exactly as the viewer does, plus
 * export-view.js and export-view.css and the view's data as JSON. Its content security policy allows nothing from
 * the network: the file works from a disk, a mail attachment or a chat, and calls no one.
 */
final class ExportPage {
    /** The band above the page in a PNG, holding the title, the facts of the view and the legend (export-view.css). */
    static final int PNG_HEADER_PX = 120;

    private static final String UI = "/io/isotherm/dashboard/web/ui/";
    private static final String ENTRY = "export-view.js";
    private static final Pattern IMPORT = Pattern.compile("(\\bfrom\\s+|\\bimport\\s+)'\\./([a-z0-9-]+\\.js)'");
    private static final SecureRandom RANDOM = new SecureRandom();

    private final Map<String, String> modules;
    private final String css;

    ExportPage() {
        this.modules = new LinkedHashMap<>();
        collect(ENTRY);
        this.css = resource("export-view.css");
    }

    /** @param dataJson the view (Exporter's model); @param title the document's title, plain text */
    String html(String dataJson, String title) {
        byte[] bytes = new byte[16];
        RANDOM.nextBytes(bytes);
        String nonce = Base64.getEncoder().encodeToString(bytes);
        StringBuilder imports = new StringBuilder("{\"imports\": {");
        modules.forEach((name, source) -> imports.append(imports.length() > 13 ? ",\n" : "\n").append("\"isotherm/").append(name)
                .append("\": \"data:text/javascript;base64,")
                .append(Base64.getEncoder().encodeToString(source.getBytes(StandardCharsets.UTF_8))).append('"'));
        imports.append("\n}}");
        return """
                <!doctype html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'nonce-%1$s' data:; \
                style-src 'nonce-%1$s'; img-src data:; connect-src 'none'; base-uri 'none'; form-action 'none'">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <title>%2$s</title>
                <style nonce="%1$s">%3$s</style>
                <script type="importmap" nonce="%1$s">%4$s</script>
                <script type="application/json" id="export-data">%5$s</script>
                <script type="module" nonce="%1$s">import 'isotherm/%6$s';</script>
                </head>
                <body>
                <noscript>This export needs JavaScript to draw the heatmap.</noscript>
                </body>
                </html>
                """.formatted(nonce, escapeHtml(title), css, imports, escapeScript(dataJson), ENTRY);
    }

    /** The module and what it imports, each once, with their imports renamed to the import map's names. */
    private void collect(String name) {
        if (modules.containsKey(name)) return;
        modules.put(name, "");
        String source = resource(name);
        Matcher m = IMPORT.matcher(source);
        StringBuilder rewritten = new StringBuilder();
        while (m.find()) {
            collect(m.group(2));
            m.appendReplacement(rewritten, Matcher.quoteReplacement(m.group(1) + "'isotherm/" + m.group(2) + "'"));
        }
        m.appendTail(rewritten);
        modules.put(name, rewritten.toString());
    }

    private static String resource(String name) {
        try (InputStream in = ExportPage.class.getResourceAsStream(UI + name)) {
            if (in == null) throw new IllegalStateException("missing viewer resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** JSON inside a script element: no "</script" or "<!--" can end or change it. */
    private static String escapeScript(String json) {
        return json.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
                .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029");
    }

    private static String escapeHtml(String text) {
        return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\"", "&quot;");
    }
}
