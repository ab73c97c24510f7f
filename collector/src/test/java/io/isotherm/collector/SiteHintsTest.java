package io.isotherm.collector;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;

/** Finding the site key in bodies that are not parsed: whole JSON (bots) and raw bytes (cut off, malformed). */
class SiteHintsTest {
    private static byte[] bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8);
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"site\":\"abc-123_X\",\"seq\":0}|abc-123_X",
            "{\"events\":[{\"site\":\"nested\"}],\"note\":{\"a\":[1,{\"site\":\"deeper\"}]},\"site\":\"top\"}|top",
            "{ \"site\" : \"spaced\" }|spaced"})
    void parses_the_top_level_site_field(String json, String key) {
        assertThat(SiteHints.parseKey(bytes(json))).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {"{\"site\":7}", "[\"site\"]", "not json", "{\"other\":\"x\"}", "", "{\"site\":null}"})
    void parses_no_key_out_of_anything_else(String body) {
        assertThat(SiteHints.parseKey(bytes(body))).isNull();
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "{\"site\":\"abc-123_X\",\"pageview\":\"cut off he|abc-123_X",
            "{\"pageview\":\"x\", \"site\" :\t\"later\", \"seq\": }|later",
            "{\"selector\":\"a[data-x=\\\"site\\\"]\",\"site\":\"real\"|real",
            "{\"kind\":\"site\",\"site\":\"second\"|second"})
    void scans_raw_bytes_for_the_first_real_site_field(String raw, String key) {
        assertThat(SiteHints.scanKey(bytes(raw))).isEqualTo(key);
    }

    @ParameterizedTest
    @ValueSource(strings = {
            "{\"site\":\"no end",
            "{\"site\":\"has space\"}",
            "{\"site\":7}",
            "{\"site\"",
            "{\"selector\":\"\\\"site\\\":\\\"escaped\\\"\"}",
            "{\"site\":\"\"}",
            "{\"site\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"})
    void scans_no_key_out_of_anything_else(String raw) {
        assertThat(SiteHints.scanKey(bytes(raw))).isNull();
    }
}
