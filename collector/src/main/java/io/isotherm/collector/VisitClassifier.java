package io.isotherm.collector;

import io.isotherm.db.segment.SegmentFilter;
import io.isotherm.db.site.Site;

import java.net.URI;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * Derives a batch's {@link Visit} from what the tracker sent and the request's user agent; neither the referrer nor
 * the user agent is kept, only their classes. Visitor-controlled input (the referrer, the landing URL) is classed or
 * cleaned, never refused; the variant comes from the site's own page, so a malformed one is refused.
 */
final class VisitClassifier {
    /** User agents whose families are kept in memory; a few thousand cover nearly every visitor. */
    static final int CACHED_USER_AGENTS = 10_000;
    /** A host name (letters, digits, '-', '_', '.'; IDNs arrive punycoded) or an IP address, with an optional port. */
    private static final Pattern HOST = Pattern.compile("(\\[[0-9a-f:.]+]|[a-z0-9_.-]+)(:\\d{1,5})?");

    private final ReferrerList referrers;
    private final UserAgentFamilies userAgents;

    VisitClassifier(ReferrerList referrers, UserAgentFamilies userAgents) {
        this.referrers = referrers;
        this.userAgents = userAgents;
    }

    /** With the referrer list in this jar and a cache of {@link #CACHED_USER_AGENTS}. */
    static VisitClassifier standard() {
        return new VisitClassifier(ReferrerList.load(), new UserAgentFamilies(CACHED_USER_AGENTS));
    }

    /** @param page the batch's page URL, already checked to be on one of the site's origins */
    Visit classify(CollectBatch batch, Site site, URI page, String userAgent) {
        Campaign campaign = Campaign.fromQuery(batch.query());
        UserAgentFamilies.Families families = userAgents.of(userAgent);
        return new Visit(referrerClass(batch.referrer(), site, page), campaign.source(), campaign.medium(), campaign.campaign(),
                variant(batch.variant()), families.browser(), families.os());
    }

    /**
     * direct without a referrer; internal from the page's own host or a host of the site's origins (ports aside: the
     * site's http and https pages are one site); else the class of the host in the referrer list.
     */
    String referrerClass(String referrer, Site site, URI page) {
        if (referrer == null || referrer.isBlank()) return "direct";
        var host = HOST.matcher(referrer.strip().toLowerCase(Locale.ROOT));
        if (!host.matches()) return "other"; // not a host: nothing to look up, but someone referred the visitor
        String name = host.group(1).endsWith(".") ? host.group(1).substring(0, host.group(1).length() - 1) : host.group(1);
        if (name.equals(page.getHost().toLowerCase(Locale.ROOT)) || onSiteOrigin(name, site)) return "internal";
        return referrers.classOf(name);
    }

    private static boolean onSiteOrigin(String host, Site site) {
        for (String origin : site.origins()) {
            String authority = origin.substring(origin.indexOf("://") + 3);
            String originHost = authority.replaceFirst(":\\d+$", "");
            if (originHost.startsWith("*.") ? host.endsWith(originHost.substring(1)) : host.equals(originHost)) return true;
        }
        return false;
    }

    /** The site owner's value: blank is none; too long or not plain text is refused, naming the field. */
    private static String variant(String variant) {
        if (variant == null || variant.isBlank()) return null;
        String value = variant.strip();
        if (value.length() > SegmentFilter.MAX_VALUE_LENGTH || !BatchValidator.isPrintableText(value)) {
            throw Drop.invalid("variant", "must be at most " + SegmentFilter.MAX_VALUE_LENGTH
                    + " characters of valid Unicode without control characters");
        }
        return value;
    }
}
