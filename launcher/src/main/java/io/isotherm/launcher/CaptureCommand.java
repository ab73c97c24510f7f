package io.isotherm.launcher;

import io.isotherm.capture.Capture;
import io.isotherm.capture.CapturePages;
import io.isotherm.capture.CaptureQueue;
import io.isotherm.capture.CaptureReads;
import io.isotherm.capture.CaptureResults;
import io.isotherm.capture.CaptureSettings;
import io.isotherm.capture.CaptureWorker;
import io.isotherm.capture.PageCapturer;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.site.Site;
import io.isotherm.db.site.SiteDao;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

import java.io.PrintWriter;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * {@code isotherm capture --site KEY --url URL}: takes a page's screenshots now, in this process, and stores them as
 * the dashboard's workers would. Exit code 0 when every capture is clean, 2 when one was flagged, 1 when one failed.
 */
@Command(name = "capture", mixinStandardHelpOptions = true,
        description = "Capture a page's full-page screenshots and element boxes now (one per device class).")
final class CaptureCommand implements Callable<Integer> {
    private final Settings settings;
    private final PrintWriter out;

    @Option(names = "--site", required = true, description = "The site's key.")
    String siteKey;

    @Option(names = "--url", required = true, description = "The page's URL, on one of the site's origins.")
    String url;

    @Option(names = "--device", split = ",", description = "desktop, tablet, mobile (default: all three).")
    List<String> devices = DeviceClass.NAMES;

    @Mixin
    CommandOptions options;

    CaptureCommand(Settings settings, PrintWriter out) {
        this.settings = settings;
        this.out = out;
    }

    @Override
    public Integer call() throws Exception {
        for (String device : devices) {
            if (!DeviceClass.NAMES.contains(device)) {
                throw new IllegalArgumentException("--device must be " + DeviceClass.namesText() + ", got '" + device + "'");
            }
        }
        try (var db = options.openDatabase(settings)) {
            var jdbi = db.database().jdbi();
            Site site = new SiteDao(jdbi).findByKey(siteKey)
                    .orElseThrow(() -> new IllegalArgumentException("no site has the key '" + siteKey + "' (see: isotherm site list)"));
            CaptureSettings capture = settings.dashboard().capture();
            CaptureQueue queue = new CaptureQueue(jdbi);
            CaptureReads reads = new CaptureReads(jdbi);
            CaptureWorker worker = new CaptureWorker(queue, new CaptureResults(jdbi), new PageCapturer(capture), capture,
                    settings.grid().layoutWidths(), Clock.systemUTC());
            long page = new CapturePages(jdbi).pageOf(site, url);
            int exit = 0;
            List<Map<String, Object>> results = new ArrayList<>();
            StringBuilder text = new StringBuilder();
            for (String device : devices.stream().distinct().toList()) {
                CaptureQueue.Job job = queue.begin(site.id(), page, device, url, "cli");
                worker.shoot(job);
                Capture c = reads.find(site.id(), job.captureId()).orElseThrow();
                exit = Math.max(exit, switch (c.status()) {
                    case "ok" -> 0;
                    case "flagged" -> 2;
                    default -> 1;
                });
                results.add(result(c));
                text.append(device).append(": ").append(summary(c)).append('\n');
            }
            options.print(out, results, text.toString().stripTrailing());
            return exit;
        }
    }

    private static Map<String, Object> result(Capture c) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", c.id());
        r.put("device", c.device());
        r.put("status", c.status());
        r.put("flag", c.flag());
        r.put("httpStatus", c.httpStatus());
        r.put("message", c.message());
        r.put("width", c.width());
        r.put("height", c.height());
        r.put("truncated", c.truncated());
        r.put("elementCount", c.elementCount());
        r.put("tiles", c.tiles().size());
        return r;
    }

    private static String summary(Capture c) {
        return switch (c.status()) {
            case "ok" -> "ok, %d x %d px%s, %d elements (capture %d)".formatted(c.width(), c.height(),
                    c.truncated() ? " (cut at the height limit)" : "", c.elementCount(), c.id());
            case "flagged" -> "flagged as %s: %s (capture %d; not used as the page's background unless accepted in the viewer)"
                    .formatted(c.flag().replace('_', ' '), c.message(), c.id());
            default -> "failed: " + c.message();
        };
    }
}
