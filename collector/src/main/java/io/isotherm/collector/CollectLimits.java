package io.isotherm.collector;

/**
 * The collector's brakes against floods, each counted per collector process in memory. A rate of 0 turns that
 * limit off. The defaults are far above what the tracker sends for real visitors (see the README's table):
 * one page view sends about one batch per 5 s, and a shared address (an office, a carrier's NAT) carries many.
 *
 * @param batchesPerSecondPerAddress  batches one client address may send per second, on average
 * @param batchBurstPerAddress        ... and at once after a pause
 * @param batchesPerSecondPerSite     batches one site may send per second, from all addresses together
 * @param batchBurstPerSite           ... and at once after a pause
 * @param pageviewsPerSecondPerAddress new page views one address may start per second
 * @param pageviewBurstPerAddress     ... and at once after a pause
 * @param maxEventsPerPageview        events stored for one page view over its life; more are refused as implausible
 * @param queueSharePercent           how much of the writer queue one site's batches may fill, in percent
 * @param clientAddressHeader         a header set by a reverse proxy in front of the collector that holds the client's
 *                                    address ({@code X-Forwarded-For}: its last entry), or null for the connection's
 */
public record CollectLimits(int batchesPerSecondPerAddress, int batchBurstPerAddress,
                            int batchesPerSecondPerSite, int batchBurstPerSite,
                            int pageviewsPerSecondPerAddress, int pageviewBurstPerAddress,
                            int maxEventsPerPageview, int queueSharePercent, String clientAddressHeader) {

    public static CollectLimits defaults() {
        return new CollectLimits(50, 500, 2_000, 20_000, 10, 100, 20_000, 50, null);
    }

    /** No rate or plausibility limit, the whole queue for any site: for benchmarks and load tests from one address. */
    public static CollectLimits none() {
        return new CollectLimits(0, 0, 0, 0, 0, 0, 0, 100, null);
    }

    public CollectLimits {
        if (batchesPerSecondPerAddress < 0 || batchesPerSecondPerSite < 0 || pageviewsPerSecondPerAddress < 0
                || maxEventsPerPageview < 0 || queueSharePercent < 1 || queueSharePercent > 100
                || burstTooSmall(batchBurstPerAddress, batchesPerSecondPerAddress)
                || burstTooSmall(batchBurstPerSite, batchesPerSecondPerSite)
                || burstTooSmall(pageviewBurstPerAddress, pageviewsPerSecondPerAddress)) {
            throw new IllegalArgumentException("collector limits out of range: rates and events per page view >= 0 (0: no limit), "
                    + "each burst at least its rate per second, queue share 1 to 100 percent");
        }
        if (clientAddressHeader != null && clientAddressHeader.isBlank()) {
            clientAddressHeader = null;
        }
    }

    private static boolean burstTooSmall(int burst, int perSecond) {
        return perSecond > 0 && burst < perSecond;
    }

    public CollectLimits withBatchesPerAddress(int perSecond, int burst) {
        return new CollectLimits(perSecond, burst, batchesPerSecondPerSite, batchBurstPerSite, pageviewsPerSecondPerAddress,
                pageviewBurstPerAddress, maxEventsPerPageview, queueSharePercent, clientAddressHeader);
    }

    public CollectLimits withBatchesPerSite(int perSecond, int burst) {
        return new CollectLimits(batchesPerSecondPerAddress, batchBurstPerAddress, perSecond, burst, pageviewsPerSecondPerAddress,
                pageviewBurstPerAddress, maxEventsPerPageview, queueSharePercent, clientAddressHeader);
    }

    public CollectLimits withPageviewsPerAddress(int perSecond, int burst) {
        return new CollectLimits(batchesPerSecondPerAddress, batchBurstPerAddress, batchesPerSecondPerSite, batchBurstPerSite,
                perSecond, burst, maxEventsPerPageview, queueSharePercent, clientAddressHeader);
    }

    public CollectLimits withMaxEventsPerPageview(int max) {
        return new CollectLimits(batchesPerSecondPerAddress, batchBurstPerAddress, batchesPerSecondPerSite, batchBurstPerSite,
                pageviewsPerSecondPerAddress, pageviewBurstPerAddress, max, queueSharePercent, clientAddressHeader);
    }

    public CollectLimits withQueueSharePercent(int percent) {
        return new CollectLimits(batchesPerSecondPerAddress, batchBurstPerAddress, batchesPerSecondPerSite, batchBurstPerSite,
                pageviewsPerSecondPerAddress, pageviewBurstPerAddress, maxEventsPerPageview, percent, clientAddressHeader);
    }

    public CollectLimits withClientAddressHeader(String header) {
        return new CollectLimits(batchesPerSecondPerAddress, batchBurstPerAddress, batchesPerSecondPerSite, batchBurstPerSite,
                pageviewsPerSecondPerAddress, pageviewBurstPerAddress, maxEventsPerPageview, queueSharePercent, header);
    }

    /** The most batches one site may have waiting in a queue of this capacity (at least 1). */
    int queueShare(int queueCapacity) {
        return Math.max(1, (int) ((long) queueCapacity * queueSharePercent / 100));
    }
}
