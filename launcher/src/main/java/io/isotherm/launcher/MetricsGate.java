package io.isotherm.launcher;

import io.javalin.http.Context;
import io.javalin.http.HttpResponseException;

import java.net.InetAddress;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Map;

/**
 * Who may read {@code /metrics} ({@code ISOTHERM_METRICS_ACCESS}): anyone ({@code public}, the default, as Prometheus
 * exporters usually are), only this machine ({@code local}), or this machine and a scraper that sends
 * {@code ISOTHERM_METRICS_TOKEN} as a bearer token ({@code token}).
 */
final class MetricsGate {
    private MetricsGate() {
    }

    static void check(Settings settings, Context ctx) throws UnknownHostException {
        if (settings.metricsAccess() == Settings.MetricsAccess.PUBLIC) return;
        if (InetAddress.getByName(ctx.ip()).isLoopbackAddress()) return;
        String sent = ctx.header("Authorization");
        if (settings.metricsAccess() == Settings.MetricsAccess.TOKEN && sent != null
                && MessageDigest.isEqual(("Bearer " + settings.metricsToken()).getBytes(StandardCharsets.UTF_8), sent.getBytes(StandardCharsets.UTF_8))) {
            return;
        }
        throw new HttpResponseException(403, settings.metricsAccess() == Settings.MetricsAccess.TOKEN
                ? "send the metrics token as 'Authorization: Bearer TOKEN' (ISOTHERM_METRICS_TOKEN)"
                : "metrics answer only on this machine (ISOTHERM_METRICS_ACCESS=local)", Map.of());
    }
}
