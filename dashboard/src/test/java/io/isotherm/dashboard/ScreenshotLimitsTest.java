package io.isotherm.dashboard;

import io.isotherm.dashboard.DashboardServer.Response;
import io.isotherm.db.site.Site;
import io.isotherm.grid.GridGeometry;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * Uploaded screenshots that claim or hold far more pixels than their bytes suggest: refused from their header, before
 * any decoding, with 413 saying the size and the limit, and nothing stored. Images within the limit still pass.
 */
class ScreenshotLimitsTest {
    private static final String PAGE = "https://shop.example/behind-login";

    private static DashboardServer server;
    private static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        site = server.traffic().site("UTC");
        server.traffic().page(site, PAGE);
    }

    @AfterAll
    static void stop() {
        server.close();
    }

    @Test
    void refuses_a_progressive_jpeg_of_10000_by_65500_px_from_its_header() {
        byte[] jpeg = CraftedImages.progressiveJpegClaiming(10_000, 65_500);
        assertThat(jpeg.length).isLessThan(20_000);

        assertRefusedForPixels(upload("image/jpeg", jpeg), "10000 x 65500 px = 655,000,000 pixels");
    }

    @Test
    void refuses_a_png_bomb_whose_rows_would_inflate_to_a_gigabyte_before_inflating_it() {
        byte[] bomb = CraftedImages.greyPng(10_000, 100_000, CraftedImages.greyRowBytes(10_000, 100_000));
        assertThat(bomb.length).isLessThan(2_000_000);

        assertRefusedForPixels(upload("image/png", bomb), "10000 x 100000 px = 1,000,000,000 pixels");
    }

    @Test
    void refuses_a_webp_whose_header_claims_10000_by_16383_px() {
        assertRefusedForPixels(upload("image/webp", CraftedImages.webpClaiming(10_000, 16_383)), "10000 x 16383 px");
    }

    @Test
    void refuses_an_extended_webp_whose_canvas_claims_5000_by_100000_px() {
        assertRefusedForPixels(upload("image/webp", CraftedImages.webpExtendedClaiming(5_000, 100_000)), "5000 x 100000 px");
    }

    @Test
    void refuses_a_progressive_jpeg_of_more_scans_than_any_encoder_writes_before_decoding_them() {
        Response bomb = upload("image/jpeg", CraftedImages.progressiveJpegWithScans(5_000));

        assertThat(bomb.status()).isEqualTo(400);
        assertThat(bomb.json().get("error").asText()).contains("scans").contains("at most 32");
        assertNothingStored();
    }

    @Test
    void refuses_an_image_wider_than_10000_px_whatever_its_pixel_count() {
        Response wide = upload("image/png", CraftedImages.greyPng(10_001, 1, CraftedImages.greyRowBytes(10_001, 1)));
        assertThat(wide.status()).isEqualTo(413);
        assertThat(wide.json().get("error").asText()).contains("10001 x 1 px").contains("at most 10000 px wide");
        assertNothingStored();
    }

    @Test
    void accepts_a_full_page_shot_of_a_1440_px_layout_at_twice_its_density_just_under_the_limit() {
        // 2880 x 17,000 px = 48,960,000 pixels: what Chromium's full-size screenshot gives at 2x, and a little more.
        Response tall = upload("image/png", CraftedImages.greyPng(2880, 17_000, CraftedImages.greyRowBytes(2880, 17_000)));

        assertThat(tall.status()).as(tall.json().toString()).isEqualTo(201);
        assertThat(tall.json().get("source").asText()).isEqualTo("upload");
        deleteUploads();
    }

    @Test
    void accepts_a_real_progressive_jpeg() {
        Response jpeg = upload("image/jpeg", CraftedImages.progressiveJpeg(1440, 900));

        assertThat(jpeg.status()).as(jpeg.json().toString()).isEqualTo(201);
        assertThat(server.getBytes(jpeg.json().get("tiles").get(0).get("url").asText()).headers().firstValue("Content-Type"))
                .hasValue("image/jpeg");
        deleteUploads();
    }

    @Test
    void data_past_the_last_row_of_a_small_png_is_never_inflated() {
        // 1440 x 900 px, but its compressed stream holds a gigabyte of zeros: only the rows the header promises are read.
        byte[] png = CraftedImages.greyPng(1440, 900, 1L << 30);

        Response answer = upload("image/png", png);

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(201);
        int layoutWidth = GridGeometry.defaults().layoutWidth("desktop");
        assertThat(answer.json().get("height").asInt()).isEqualTo(Math.round(900f * layoutWidth / 1440));
        deleteUploads();
    }

    @Test
    void a_text_chunk_that_would_inflate_to_a_gigabyte_is_never_inflated() {
        byte[] png = CraftedImages.greyPng(1440, 900, CraftedImages.greyRowBytes(1440, 900), 1L << 30);
        assertThat(png.length).isLessThan(2_000_000);

        Response answer = upload("image/png", png);

        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(201);
        deleteUploads();
    }

    @Test
    void a_cut_off_png_is_not_a_readable_image() {
        byte[] png = CraftedImages.greyPng(1440, 900, CraftedImages.greyRowBytes(1440, 900) / 2);

        Response cut = upload("image/png", png);

        assertThat(cut.status()).isEqualTo(400);
        assertThat(cut.json().get("error").asText()).contains("not a readable PNG, JPEG or WebP");
        assertNothingStored();
    }

    @Test
    void the_pixel_limit_is_the_operators_to_choose() {
        ScreenshotCheck check = new ScreenshotCheck(1_000_000);
        byte[] justOver = CraftedImages.greyPng(1001, 999, CraftedImages.greyRowBytes(1001, 999)); // 999,999 px
        byte[] over = CraftedImages.greyPng(1000, 1001, CraftedImages.greyRowBytes(1000, 1001));

        assertThat(check.check(justOver).height()).isEqualTo(999);
        assertThatThrownBy(() -> check.check(over)).isInstanceOfSatisfying(ApiError.class, e -> {
            assertThat(e.status()).isEqualTo(413);
            assertThat(e.getMessage()).contains("1000 x 1001 px = 1,001,000 pixels; the limit is 1,000,000 pixels");
        });
    }

    private static Response upload(String type, byte[] image) {
        return server.post("/api/sites/" + site.publicKey() + "/captures/upload?page=" + URLEncoder.encode(PAGE, StandardCharsets.UTF_8)
                + "&device=desktop", type, image);
    }

    private static void assertRefusedForPixels(Response answer, String size) {
        assertThat(answer.status()).as(answer.json().toString()).isEqualTo(413);
        assertThat(answer.json().get("error").asText()).contains(size).contains("ISOTHERM_UPLOAD_MAX_PIXELS").contains("50,000,000");
        assertNothingStored();
    }

    private static void assertNothingStored() {
        assertThat(server.get(site.publicKey(), "captures", "page", PAGE).json().get("captures")).isEmpty();
        long tiles = server.db().jdbi().withHandle(h -> h.createQuery("SELECT count(*) FROM capture_tile").mapTo(Long.class).one());
        assertThat(tiles).isZero();
    }

    /** The tests that store an upload remove it, so the others can check that nothing was stored. */
    private static void deleteUploads() {
        server.db().jdbi().useHandle(h -> {
            h.execute("DELETE FROM capture_tile");
            h.execute("DELETE FROM capture");
        });
    }
}
