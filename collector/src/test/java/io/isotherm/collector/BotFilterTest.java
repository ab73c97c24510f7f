package io.isotherm.collector;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class BotFilterTest {

    @Test
    void bot_words_are_found_at_word_ends_only() {
        assertThat(BotFilter.hasBotWord("mozilla/5.0 (compatible; googlebot/2.1; +http://www.google.com/bot.html)")).isTrue();
        assertThat(BotFilter.hasBotWord("mozilla/5.0 (compatible; ahrefsbot/7.0)")).isTrue();
        assertThat(BotFilter.hasBotWord("slackbot")).isTrue();
        assertThat(BotFilter.hasBotWord("mozilla/5.0 (linux; android 11; cubot x19) chrome/120.0")).isFalse();
        assertThat(BotFilter.hasBotWord("mozilla/5.0 (x11) bottle/1.0 chrome/131.0")).isFalse();
    }
}
