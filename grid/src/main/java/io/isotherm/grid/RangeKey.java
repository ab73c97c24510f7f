package io.isotherm.grid;

import java.time.LocalDate;

/** A heatmap's identity: page, device class, kind and the days it sums, from and to inclusive. */
record RangeKey(int siteId, long pageId, String device, String kind, LocalDate from, LocalDate to) {}
