package io.isotherm.launcher;

import io.isotherm.capture.CaptureReads;
import io.isotherm.capture.HtmlSnapshot;
import io.isotherm.dashboard.ApiError;
import io.isotherm.dashboard.ExportSources;
import io.isotherm.dashboard.export.ExportOptions;
import io.isotherm.dashboard.export.Exporter;
import io.isotherm.db.site.Site;
import org.jdbi.v3.core.Jdbi;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Duration;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * {@code isotherm export --site KEY --page URL --format png|csv|html --out FILE}: the viewer's and the API's export,
 * written to a file by this process, with or without a running server (docs/API.md describes each format).
 */
@Command(name = "export", mixinStandardHelpOptions = true,
        description = "Export a page's heatmap as a PNG of the whole page, a CSV table or an interactive HTML file.")
final class ExportCommand extends DatabaseCommand {
    @Option(names = "--site", required = true, description = "The site's key.")
    String siteKey;

    @Option(names = "--page", required = true, description = "The page's URL, as the tracker saw it.")
    String page;

    @Option(names = "--map", description = "click, move, scroll or attention (default: click).")
    String map;

    @Option(names = "--device", description = "desktop, tablet or mobile (default: desktop).")
    String device;

    @Option(names = "--from", description = "First day, YYYY-MM-DD, in the site's time zone (default: 29 days before --to).")
    String from;

    @Option(names = "--to", description = "Last day, YYYY-MM-DD (default: today in the site's time zone).")
    String to;

    @Option(names = "--format", required = true, description = "png, csv or html.")
    String format;

    @Option(names = "--table", description = "With csv: elements, cells, scroll or hours (default: elements).")
    String table;

    @Option(names = "--palette", description = "viridis, inferno, magma, ylorrd, blues or heat (default: viridis).")
    String palette;

    @Option(names = "--scale", description = "linear, log or capped (default: linear).")
    String scale;

    @Option(names = "--sigma", description = "Smoothing radius in px (default: the heatmap's).")
    String sigma;

    @Option(names = "--out", required = true, description = "The file to write.")
    Path out;

    ExportCommand(Settings settings, PrintWriter out) {
        super(settings, out);
    }

    @Override
    int run(Jdbi jdbi) throws Exception {
        Map<String, String> values = new HashMap<>();
        values.put("page", page);
        values.put("map", map);
        values.put("device", device);
        values.put("from", from);
        values.put("to", to);
        values.put("format", format);
        values.put("table", table);
        values.put("palette", palette);
        values.put("scale", scale);
        values.put("sigma", sigma);
        ExportSources sources = new ExportSources(jdbi, settings.grid(), Clock.systemUTC());
        Site site = sources.site(siteKey)
                .orElseThrow(() -> new IllegalArgumentException("no site has the key '" + siteKey + "' (see: isotherm site list)"));
        Exporter exporter = new Exporter(sources, new CaptureReads(jdbi), new HtmlSnapshot(settings.dashboard().capture(), Duration.ofMinutes(1)));
        Exporter.Export export;
        try {
            export = exporter.export(site, ExportOptions.parse(values::get));
        } catch (ApiError e) {
            throw new IllegalArgumentException(e.status() == 404 ? "the site has no page '" + page + "'" : e.getMessage());
        }
        Files.write(out, export.body());
        Map<String, Object> json = new LinkedHashMap<>();
        json.put("file", out.toAbsolutePath().toString());
        json.put("contentType", export.contentType());
        json.put("bytes", export.body().length);
        print(json, "wrote " + out + " (" + export.body().length + " bytes, " + export.contentType() + ")");
        return 0;
    }
}
