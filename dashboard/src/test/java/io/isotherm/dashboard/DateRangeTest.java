package io.isotherm.dashboard;

import org.junit.jupiter.api.Test;

import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DateRangeTest {
    private static final LocalDate TODAY = LocalDate.of(2025, 3, 12);

    @Test
    void defaults_to_the_30_days_ending_today() {
        assertThat(DateRange.parse(null, null, TODAY)).isEqualTo(new DateRange(LocalDate.of(2025, 2, 11), TODAY));
        assertThat(DateRange.parse(null, null, TODAY).days()).isEqualTo(30);
    }

    @Test
    void a_given_end_moves_the_default_start_with_it_and_a_given_start_ends_today() {
        assertThat(DateRange.parse(null, "2025-01-31", TODAY)).isEqualTo(new DateRange(LocalDate.of(2025, 1, 2), LocalDate.of(2025, 1, 31)));
        assertThat(DateRange.parse("2025-03-01", null, TODAY)).isEqualTo(new DateRange(LocalDate.of(2025, 3, 1), TODAY));
        assertThat(DateRange.parse("2025-03-05", "2025-03-05", TODAY).days()).isEqualTo(1);
    }

    @Test
    void dates_beyond_four_digit_years_or_before_1970_are_refused_naming_their_parameter() {
        // +5874898 is past PostgreSQL's last date; -999999999 is Java's first and cannot count back 29 days.
        for (String far : new String[]{"+5874898-01-01", "-999999999-01-01", "+10000-01-01", "1969-12-31"}) {
            assertThatThrownBy(() -> DateRange.parse(null, far, TODAY))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.field()).isEqualTo("to"));
            assertThatThrownBy(() -> DateRange.parse(far, "2025-01-01", TODAY))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.field()).isEqualTo("from"));
        }
        assertThat(DateRange.parse(null, "9999-12-31", TODAY).from()).isEqualTo(LocalDate.of(9999, 12, 2));
        assertThat(DateRange.parse("1970-01-01", "1970-01-31", TODAY).days()).isEqualTo(31);
    }

    @Test
    void allows_366_days_and_no_more() {
        assertThat(DateRange.parse("2024-01-01", "2024-12-31", TODAY).days()).isEqualTo(366);
        assertThatThrownBy(() -> DateRange.parse("2023-12-31", "2024-12-31", TODAY))
                .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.field()).isEqualTo("from"));
    }
}
