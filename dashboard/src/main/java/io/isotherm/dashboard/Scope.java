package io.isotherm.dashboard;

import java.time.LocalDate;

/** What a page report covers: one page of a site, one device class, a range of days in the site's time zone. */
record Scope(int siteId, long pageId, String device, LocalDate from, LocalDate to) {
}
