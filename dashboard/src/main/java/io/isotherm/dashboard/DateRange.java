package io.isotherm.dashboard;

import java.time.LocalDate;
import java.time.format.DateTimeParseException;
import java.time.temporal.ChronoUnit;

/** A range of days in the site's time zone, both ends included. */
public record DateRange(LocalDate from, LocalDate to) {
    static final int DEFAULT_DAYS = 30;
    static final int MAX_DAYS = 366;
    /**
     * The dates a parameter may name. Java reads years up to ±999,999,999, PostgreSQL's {@code date} ends in year
     * 5,874,897 and pgjdbc writes years before 1 as BC: a narrow range keeps every date, and the default start
     * counted back from it, plain for all three. Nothing Isotherm stores is older than 1970.
     */
    static final LocalDate FIRST = LocalDate.of(1970, 1, 1), LAST = LocalDate.of(9999, 12, 31);

    /**
     * The range of the {@code from} and {@code to} parameters (ISO dates, either may be null): {@code to} defaults to
     * today, {@code from} to {@value #DEFAULT_DAYS} days ending at {@code to}.
     */
    static DateRange parse(String from, String to, LocalDate today) {
        LocalDate end = to == null ? today : date("to", to);
        LocalDate start = from == null ? end.minusDays(DEFAULT_DAYS - 1) : date("from", from);
        if (start.isAfter(end)) throw ApiError.badParameter("from", "from must not be after to");
        if (days(start, end) > MAX_DAYS) throw ApiError.badParameter("from", "the range must hold at most " + MAX_DAYS + " days");
        return new DateRange(start, end);
    }

    /** The ranges that move with the days, as the viewer names them: the last 7, 30 or 90 days, or this month. */
    static final java.util.List<String> PRESETS = java.util.List.of("7d", "30d", "90d", "month");

    /** A named range ({@link #PRESETS}) ending {@code today}. */
    static DateRange preset(String preset, LocalDate today) {
        return switch (preset) {
            case "7d" -> new DateRange(today.minusDays(6), today);
            case "30d" -> new DateRange(today.minusDays(29), today);
            case "90d" -> new DateRange(today.minusDays(89), today);
            case "month" -> new DateRange(today.withDayOfMonth(1), today);
            default -> throw new IllegalArgumentException("no range is called " + preset);
        };
    }

    /** How many days the range holds. */
    long days() {
        return days(from, to);
    }

    private static long days(LocalDate from, LocalDate to) {
        return ChronoUnit.DAYS.between(from, to) + 1;
    }

    private static LocalDate date(String name, String value) {
        LocalDate date;
        try {
            date = LocalDate.parse(value);
        } catch (DateTimeParseException e) {
            throw ApiError.badParameter(name, name + " must be a date like 2025-03-31");
        }
        if (date.isBefore(FIRST) || date.isAfter(LAST)) {
            throw ApiError.badParameter(name, name + " must be a date from " + FIRST + " to " + LAST);
        }
        return date;
    }
}
