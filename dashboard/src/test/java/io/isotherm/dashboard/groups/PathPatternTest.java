package io.isotherm.dashboard.groups;

import io.isotherm.dashboard.ApiError;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class PathPatternTest {
    @Test
    void a_star_at_the_end_matches_the_rest_of_the_path_and_elsewhere_within_a_segment() {
        PathPattern products = PathPattern.parse("/product/*", "pattern");
        assertThat(products.matchesPath("/product/shoe")).isTrue();
        assertThat(products.matchesPath("/product/shoe/red")).isTrue();
        assertThat(products.matchesPath("/product/")).isFalse();
        assertThat(products.matchesPath("/product")).isFalse();
        assertThat(products.matchesPath("/products/shoe")).isFalse();

        PathPattern middle = PathPattern.parse("/shop/*/reviews", "pattern");
        assertThat(middle.matchesPath("/shop/shoe/reviews")).isTrue();
        assertThat(middle.matchesPath("/shop/shoe/red/reviews")).isFalse();

        PathPattern prefix = PathPattern.parse("/shoe-*", "pattern");
        assertThat(prefix.matchesPath("/shoe-red")).isTrue();
        assertThat(prefix.matchesPath("/shoe-")).isFalse();
    }

    @Test
    void a_named_segment_matches_exactly_one_segment() {
        PathPattern posts = PathPattern.parse("/blog/:slug", "pattern");
        assertThat(posts.matchesPath("/blog/hello")).isTrue();
        assertThat(posts.matchesPath("/blog/hello/")).isTrue(); // a trailing slash is ignored
        assertThat(posts.matchesPath("/blog/hello/comments")).isFalse();
        assertThat(posts.matchesPath("/blog")).isFalse();
        assertThat(PathPattern.parse("/:lang/docs/:page", "pattern").matchesPath("/en/docs/install")).isTrue();
    }

    @Test
    void urls_are_matched_by_their_decoded_path_without_query() {
        PathPattern posts = PathPattern.parse("/blog/:slug", "pattern");
        assertThat(posts.matchesUrl("https://shop.example/blog/hello?utm_source=x#top")).isTrue();
        assertThat(posts.matchesUrl("https://other.example/blog/caf%C3%A9")).isTrue();
        assertThat(PathPattern.parse("/café/*", "pattern").matchesUrl("https://shop.example/caf%C3%A9/menu")).isTrue();
        assertThat(PathPattern.parse("/", "pattern").matchesUrl("https://shop.example")).isTrue();
        assertThat(PathPattern.parse("/", "pattern").matchesUrl("https://shop.example/about")).isFalse();
        // Other characters are themselves, regular expressions' included.
        assertThat(PathPattern.parse("/a.b/(x)", "pattern").matchesPath("/a.b/(x)")).isTrue();
        assertThat(PathPattern.parse("/a.b", "pattern").matchesPath("/axb")).isFalse();
    }

    @Test
    void bad_patterns_are_refused_naming_the_field() {
        for (String bad : new String[] {null, "", "product/*", "/a/**", "/blog/:", "/blog/x:y", "/:1st", "/a//b", "/a b", "/a?x", "/a#x",
                "/" + "a".repeat(PathPattern.MAX_LENGTH)}) {
            assertThatThrownBy(() -> PathPattern.parse(bad, "pattern")).as(String.valueOf(bad))
                    .isInstanceOfSatisfying(ApiError.class, e -> assertThat(e.status()).isEqualTo(400));
        }
    }
}
