package io.isotherm.bench;

import org.openqa.selenium.JavascriptExecutor;
import org.openqa.selenium.chrome.ChromeDriver;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The heatmap's forms (docs/API.md: {@code heatmap} as JSON, with and without counts, {@code heatmap.bin},
 * {@code heatmap.packed}) fetched side by side by the same Chromium page, for {@link ViewerBench}: bytes as sent and on
 * the wire, and the time from request to the typed arrays the viewer draws from.
 */
final class HeatmapForms {
    private static final List<String> FORMS = List.of("json", "json-counts", "bin", "packed");

    private HeatmapForms() {
    }

    /** The heatmap request of the view the browser shows (the viewer's own URL: range, kind, device). */
    static String viewersRequest(ChromeDriver browser) {
        Object url = ((JavascriptExecutor) browser).executeScript("""
                return performance.getEntriesByType('resource').map((e) => e.name)
                    .find((n) => /\\/heatmap\\.(bin|packed)\\?/.test(n)) ?? null;""");
        if (url == null) throw new IllegalStateException("the viewer requested no heatmap");
        return (String) url;
    }

    static String withSigma(String request, int sigmaPx) {
        return request + "&sigma=" + sigmaPx;
    }

    /** Chromium's network emulation for this tab from now on; "20:40" is 20 Mbit/s each way and a 40 ms round trip. */
    static String emulate(ChromeDriver browser, String network) {
        String[] parts = network.split(":");
        double mbit = Double.parseDouble(parts[0]);
        int rttMs = Integer.parseInt(parts[1]);
        browser.executeCdpCommand("Network.enable", Map.of());
        browser.executeCdpCommand("Network.emulateNetworkConditions", Map.of("offline", false, "latency", rttMs,
                "downloadThroughput", mbit * 1e6 / 8, "uploadThroughput", mbit * 1e6 / 8));
        return String.format(Locale.ROOT, "net-%smbit-%dms", parts[0], rttMs);
    }

    /**
     * Fetches each form {@code times} times, in turn; prints per form its bytes and the median time from request to
     * values and counts as typed arrays (JSON: parsed and copied into them, as a viewer reading it would).
     */
    static void measure(ChromeDriver browser, String viewersRequest, int times, String label) {
        Map<String, List<Double>> ms = new LinkedHashMap<>();
        Map<String, Map<String, Object>> last = new LinkedHashMap<>();
        for (int i = 0; i < times; i++) {
            for (int k = 0; k < FORMS.size(); k++) {
                String form = FORMS.get((i + k) % FORMS.size()); // each form first in turn: no order favours one
                if (last.containsKey(form) && last.get(form) == null) continue;
                Map<String, Object> t = fetch(browser, url(viewersRequest, form), form);
                if (t.get("error") != null) throw new IllegalStateException(form + ": " + t.get("error"));
                if (((Number) t.get("status")).intValue() != 200) {
                    last.put(form, null); // not served by this build
                    continue;
                }
                last.put(form, t);
                ms.computeIfAbsent(form, f -> new ArrayList<>()).add(((Number) t.get("ms")).doubleValue());
            }
        }
        for (String form : FORMS) {
            Map<String, Object> t = last.get(form);
            if (t == null) {
                System.out.printf(Locale.ROOT, "(case=%s form=%s: not served by this build)%n", label, form);
                continue;
            }
            List<Double> times0 = ms.get(form);
            System.out.printf(Locale.ROOT, "RESULT_HEATMAP_FORM case=%s form=%s cells=%d sent_bytes=%d wire_bytes=%d encoding=%s request_to_arrays_ms=%.1f min_ms=%.1f max_ms=%.1f%n",
                    label, form, ((Number) t.get("cells")).longValue(), ((Number) t.get("raw")).longValue(), ((Number) t.get("wire")).longValue(),
                    t.get("encoding"), TrackerCostReport.median(times0.stream().mapToDouble(Double::doubleValue).toArray()),
                    times0.stream().mapToDouble(Double::doubleValue).min().orElseThrow(), times0.stream().mapToDouble(Double::doubleValue).max().orElseThrow());
        }
    }

    private static String url(String viewersRequest, String form) {
        String path = switch (form) {
            case "bin" -> "/heatmap.bin?";
            case "packed" -> "/heatmap.packed?";
            default -> "/heatmap?";
        };
        String url = viewersRequest.replaceFirst("/heatmap\\.(bin|packed)\\?", path);
        return form.equals("json-counts") ? url + "&raw=true" : url;
    }

    @SuppressWarnings("unchecked")
    private static Map<String, Object> fetch(ChromeDriver browser, String url, String form) {
        return (Map<String, Object>) ((JavascriptExecutor) browser).executeAsyncScript("""
                const [url, form, done] = arguments;
                (async () => {
                  // The viewer's own reader of the packed form, loaded before the clock starts.
                  const reader = form === 'packed' ? await import('/ui/heatmap-bin.js') : null;
                  performance.clearResourceTimings();
                  const started = performance.now();
                  const r = await fetch(url, {cache: 'no-store'});
                  if (!r.ok) return done({status: r.status});
                  const encoding = r.headers.get('content-encoding') || 'identity';
                  let values, counts;
                  if (form === 'packed') {
                    ({values, counts} = reader.parseHeatmap(await r.arrayBuffer()));
                  } else if (form === 'bin') {
                    const buffer = await r.arrayBuffer();
                    const n = new DataView(buffer).getUint32(0, true);
                    const header = JSON.parse(new TextDecoder().decode(new Uint8Array(buffer, 4, n)));
                    const cells = header.columns * header.rows;
                    const start = Math.ceil((4 + n) / 4) * 4;
                    values = new Float32Array(buffer, start, cells);
                    counts = new Int32Array(buffer, start + 4 * cells, cells);
                  } else {
                    const body = await r.json();
                    values = Float32Array.from(body.values);
                    counts = body.counts ? Int32Array.from(body.counts) : null;
                  }
                  const ms = performance.now() - started;
                  const entry = performance.getEntriesByName(r.url).pop();
                  done({status: 200, ms, encoding, cells: values.length, raw: entry.decodedBodySize, wire: entry.encodedBodySize});
                })().catch((e) => done({error: String(e)}));""", url, form);
    }
}
