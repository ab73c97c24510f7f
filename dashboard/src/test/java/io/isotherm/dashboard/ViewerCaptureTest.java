package io.isotherm.dashboard;

import io.isotherm.db.site.Site;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.WebElement;

import javax.imageio.ImageIO;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import static io.isotherm.dashboard.DashboardServer.TODAY;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Pages without a usable screenshot: the placeholder and its calls to action (capture, accept a flagged capture,
 * upload), and the capture history. No capture worker runs: the test finishes queued captures as one would.
 */
class ViewerCaptureTest extends ViewerTest {
    static final String LOGIN_MESSAGE = "The capture got a login page: the page needs a signed-in visitor.";

    @TempDir
    static Path files;
    static Traffic traffic;
    static Site site;

    @BeforeAll
    static void start() {
        server = DashboardServer.start();
        traffic = server.traffic();
        site = traffic.site("UTC");
        Instant t = TODAY.minusDays(1).atTime(12, 0).toInstant(ZoneOffset.UTC);
        for (String page : List.of("account", "upload", "history")) {
            traffic.visit(site, traffic.page(site, "https://shop.example/" + page)).click(t, 300, 300, null).send();
        }
        traffic.aggregate();
        browser = ViewerBrowser.start(profile);
    }

    static String view(String page) {
        return server.viewUrl(site, "https://shop.example/" + page, "");
    }

    @Test
    void without_a_screenshot_the_page_offers_to_capture_one_and_to_use_a_flagged_one_anyway() {
        browser.open(view("account"));

        assertThat(browser.text(".placeholder-card h2")).isEqualTo("No screenshot of this page yet");
        assertThat(browser.find(".placeholder-card [data-action=capture]").getText()).isEqualTo("Capture now");
        assertThat(browser.find(".placeholder-card [data-action=upload]").getText()).isEqualTo("Upload a screenshot");
        assertThat(browser.anyHeat(0)).as("the heatmap is drawn on a blank page").isTrue();
        assertThat(browser.boxOnPage(0, ".placeholder")).containsEntry("width", 1440);

        browser.find(".placeholder-card [data-action=capture]").click();
        browser.waitForText(".placeholder-card h2", "Taking a screenshot");
        long page = traffic.page(site, "https://shop.example/account");
        Map<String, Object> queued = server.db().jdbi().withHandle(h -> h.createQuery("""
                        SELECT capture_id, status::text AS status, requested_by, device::text AS device FROM capture
                        WHERE page_id = :page""").bind("page", page).mapToMap().one());
        assertThat(queued).containsEntry("status", "queued").containsEntry("requested_by", "viewer").containsEntry("device", "desktop");

        long id = ((Number) queued.get("capture_id")).longValue();
        finishFlagged(id);
        browser.waitForText("[data-role=capture-message]", LOGIN_MESSAGE);
        assertThat(browser.text(".placeholder-card h2")).isEqualTo("The screenshot does not look like your page");

        browser.find("[data-action=accept]").click();
        browser.waitFor(".shots img");
        assertThat(browser.find(".shots img").getAttribute("src")).endsWith("/captures/" + id + "/tiles/0");
        assertThat(browser.find(".placeholder").isDisplayed()).isFalse();
    }

    @Test
    void an_uploaded_screenshot_becomes_the_background_and_a_refused_one_says_why() throws IOException {
        browser.open(view("upload"));

        Path bad = files.resolve("notes.png");
        Files.writeString(bad, "not an image");
        String refusal = server.post("/api/sites/" + site.publicKey() + "/captures/upload?page="
                + URLEncoder.encode("https://shop.example/upload", StandardCharsets.UTF_8), "image/png",
                Files.readAllBytes(bad)).json().get("error").asText();
        browser.find(".placeholder-card input[data-upload]").sendKeys(bad.toString());
        browser.waitForText("#banner", refusal);
        assertThat(browser.findAll(".shots img")).isEmpty();

        Path good = files.resolve("page.png");
        ImageIO.write(new BufferedImage(1440, 2400, BufferedImage.TYPE_INT_RGB), "png", good.toFile());
        browser.find(".placeholder-card input[data-upload]").sendKeys(good.toString());
        browser.waitFor(".shots img");
        assertThat(browser.boxOnPage(0, ".shots img")).isEqualTo(Map.of("x", 0, "y", 0, "width", 1440, "height", 2400));
    }

    @Test
    void the_history_lists_the_captures_and_shows_an_older_one() {
        long page = traffic.page(site, "https://shop.example/history");
        long older = traffic.capture(site, page, "desktop", 1440, 1500, 1000, List.of());
        long newer = traffic.capture(site, page, "desktop", 1440, 1800, 1000, List.of());
        browser.open(view("history"));
        assertThat(browser.find(".shots img").getAttribute("src")).contains("/captures/" + newer + "/");

        browser.find("#captures-menu summary").click();
        List<WebElement> items = browser.findAll(".capture-item");
        assertThat(items).hasSize(2);
        assertThat(items.get(0).getText()).contains("ok").contains("current").contains("1,440 × 1,800 px");
        assertThat(items.get(1).getText()).contains("1,440 × 1,500 px");

        items.get(1).findElement(org.openqa.selenium.By.cssSelector("button")).click();
        browser.settle();
        assertThat(browser.driver().getCurrentUrl()).contains("capture=" + older);
        assertThat(browser.find(".shots img").getAttribute("src")).contains("/captures/" + older + "/");
        assertThat(browser.findAll(".shots img")).hasSize(2);
        assertThat(browser.boxOnPage(0, ".shots img:nth-child(2)")).containsEntry("y", 1000).containsEntry("height", 500);
    }

    /** What the capture worker does when it lands on a login page. */
    private static void finishFlagged(long id) {
        byte[] tile = traffic.capturePng(1440, 1200);
        server.db().jdbi().useTransaction(h -> {
            h.execute("""
                    UPDATE capture SET status = 'flagged', flag = 'login_wall', message = ?, http_status = 200,
                        started_at = now(), captured_at = now(), width = 1440, height = 1200
                    WHERE capture_id = ?""", LOGIN_MESSAGE, id);
            h.execute("""
                    INSERT INTO capture_tile (site_id, capture_id, tile, y, height, content_type, image)
                    VALUES (?, ?, 0, 0, 1200, 'image/png', ?)""", site.id(), id, tile);
        });
    }
}
