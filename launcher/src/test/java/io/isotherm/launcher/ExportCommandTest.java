package io.isotherm.launcher;

import io.isotherm.db.page.PageDao;
import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDate;
import java.time.ZoneOffset;

import static org.assertj.core.api.Assertions.assertThat;

/** {@code isotherm export}: the API's exports as files, with or without a running server. */
class ExportCommandTest {
    static final String PAGE = "https://shop.example/pricing";

    @Test
    void exports_csv_without_a_running_server_and_html_and_png_beside_one(@TempDir Path dataDir) throws Exception {
        String key = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example", "--json").json().get("key").asText();
        try (var db = HeldDatabase.open(dataDir)) {
            var site = new SiteDao(db.jdbi()).findByKey(key).orElseThrow();
            long page = new PageDao(db.jdbi()).idFor(site, PAGE);
            db.jdbi().useHandle(h -> h.execute("""
                    INSERT INTO element_day (site_id, page_id, device, day, selector, clicks, rage, dead)
                    VALUES (?, ?, 'desktop', ?, '#buy', 7, 1, 0)""", site.id(), page, LocalDate.now(ZoneOffset.UTC).minusDays(1)));
        }

        Path csv = dataDir.resolve("elements.csv");
        var alone = Cli.run(dataDir, "export", "--site", key, "--page", PAGE, "--format", "csv", "--table", "elements",
                "--out", csv.toString(), "--json");
        assertThat(alone.exitCode()).as(alone.err()).isZero();
        assertThat(alone.json().get("contentType").asText()).startsWith("text/csv");
        assertThat(Files.readString(csv)).isEqualTo(
                "selector,label,clicks,share_pct,rage_clicks,dead_clicks,x_px,y_px,width_px,height_px\r\n#buy,,7,100,1,0,,,,\r\n");

        try (var running = HeldDatabase.open(dataDir)) {
            Path html = dataDir.resolve("view.html");
            var beside = Cli.run(dataDir, "export", "--site", key, "--page", PAGE, "--format", "html", "--palette", "magma",
                    "--out", html.toString());
            assertThat(beside.exitCode()).as(beside.err()).isZero();
            assertThat(beside.out()).startsWith("wrote " + html);
            String text = Files.readString(html, StandardCharsets.UTF_8);
            assertThat(text).startsWith("<!doctype html>").contains("<script type=\"importmap\"", "\"palette\":\"magma\"")
                    .doesNotContain("src=\"http");

            Path png = dataDir.resolve("view.png");
            var image = Cli.run(dataDir, "export", "--site", key, "--page", PAGE, "--format", "png", "--out", png.toString());
            assertThat(image.exitCode()).as(image.err()).isZero();
            BufferedImage read = ImageIO.read(png.toFile());
            // No traffic: the page is drawn at the smallest height, 900 px, under the 120 px header.
            assertThat(read.getHeight()).isEqualTo(120 + 900);
            assertThat(read.getWidth()).isEqualTo(1440);
        }
    }

    @Test
    void explains_bad_options_and_unknown_pages(@TempDir Path dataDir) {
        String key = Cli.run(dataDir, "site", "add", "--name", "Shop", "--origin", "https://shop.example").out().trim();
        Path out = dataDir.resolve("x");
        var format = Cli.run(dataDir, "export", "--site", key, "--page", PAGE, "--format", "gif", "--out", out.toString());
        assertThat(format.exitCode()).isEqualTo(1);
        assertThat(format.err()).contains("format must be png, csv, html");
        var page = Cli.run(dataDir, "export", "--site", key, "--page", "https://shop.example/nowhere", "--format", "csv", "--out", out.toString());
        assertThat(page.exitCode()).isEqualTo(1);
        assertThat(page.err()).contains("has no page 'https://shop.example/nowhere'");
        var site = Cli.run(dataDir, "export", "--site", "nosuchsite", "--page", PAGE, "--format", "csv", "--out", out.toString());
        assertThat(site.exitCode()).isEqualTo(1);
        assertThat(site.err()).contains("no site has the key");
        assertThat(Files.exists(out)).isFalse();
    }
}
