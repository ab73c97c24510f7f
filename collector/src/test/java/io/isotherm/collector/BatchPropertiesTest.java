package io.isotherm.collector;

import com.fasterxml.jackson.databind.node.ObjectNode;
import io.isotherm.db.device.DeviceClass;
import io.isotherm.db.device.DeviceWidths;
import io.isotherm.db.event.RawEvent;
import io.isotherm.db.site.Site;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.UUID;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The batch parser and validator on random and damaged input: nothing escapes but a {@link Drop} with 400 and a
 * message (naming the field when one is at fault), and whatever they accept becomes rows that keep every rule of
 * raw_event (docs/COLLECT-API.md) and encode for COPY. Any batch inside the documented bounds is accepted whole.
 */
class BatchPropertiesTest {
    private static final Site SITE = new Site(7, "shopkey0123456789", "Shop", List.of("https://shop.example"), List.of(), "UTC");
    private static final Instant RECEIVED = Instant.parse("2026-03-01T12:00:00Z");
    private static final VisitClassifier VISITS = VisitClassifier.standard();
    private static final long DAY_MS = Duration.ofDays(1).toMillis();

    @Property(tries = 200)
    void random_bytes_are_refused_with_400_or_read_as_a_valid_batch(@ForAll @Size(max = 300) byte[] body) {
        ingest(body).ifPresent(BatchPropertiesTest::assertValidRows);
    }

    @Property(tries = 200)
    void a_damaged_batch_is_refused_with_400_or_yields_only_valid_rows(@ForAll("batches") ObjectNode batch, @ForAll("mutations") Mutations damage) {
        ingest(damage.apply(batch)).ifPresent(BatchPropertiesTest::assertValidRows);
    }

    @Property(tries = 200)
    void any_batch_inside_the_documented_bounds_is_accepted_with_one_valid_row_per_event(@ForAll("batches") ObjectNode batch) {
        var accepted = ingest(Batches.json(batch).getBytes(StandardCharsets.UTF_8));

        assertThat(accepted).as(Batches.json(batch)).isPresent();
        assertThat(accepted.get().rows()).hasSize(batch.get("events").size());
        assertValidRows(accepted.get());
    }

    /** The request thread's checks, in the collector's order, without the database: the accepted batch, or empty. */
    private static Optional<AcceptedBatch> ingest(byte[] body) {
        try {
            CollectBatch batch = BatchParser.parse(body);
            BatchValidator.siteKey(batch);
            String url = BatchValidator.pageUrl(batch, SITE);
            Visit visit = VISITS.classify(batch, SITE, java.net.URI.create(url), CollectorServer.CHROME_UA);
            ValidBatch valid = BatchValidator.validate(batch, SITE, RECEIVED, DeviceWidths.DEFAULT, visit);
            return Optional.of(valid.onPage(42, url));
        } catch (Drop drop) {
            assertThat(drop.reason().status).as(drop.getMessage()).isEqualTo(400);
            assertThat(drop.getMessage()).isNotBlank();
            if (drop.reason() == DropReason.INVALID) {
                assertThat(drop.field()).isNotBlank();
                assertThat(drop.getMessage()).startsWith(drop.field() + " ");
            }
            return Optional.empty();
        }
    }

    /** What raw_event and the aggregator rely on, for every row. */
    private static void assertValidRows(AcceptedBatch batch) {
        assertThat(batch.rows()).hasSizeBetween(1, BatchValidator.MAX_EVENTS);
        for (RawEvent row : batch.rows()) {
            assertThat(row.siteId()).isEqualTo(SITE.id());
            assertThat(row.seq()).isBetween(0, BatchValidator.MAX_SEQ);
            assertThat(row.kind()).isIn("click", "move", "scroll");
            assertThat(DeviceClass.NAMES).contains(row.device());
            assertThat(row.occurredAt()).isBetween(RECEIVED.minusMillis(DAY_MS), RECEIVED);
            assertThat(row.x()).isBetween(0, BatchValidator.MAX_DOCUMENT_WIDTH);
            assertThat(row.y()).isBetween(0, BatchValidator.MAX_DOCUMENT_HEIGHT);
            assertThat(row.documentWidth()).isBetween(1, BatchValidator.MAX_DOCUMENT_WIDTH);
            assertThat(row.documentHeight()).isBetween(1, BatchValidator.MAX_DOCUMENT_HEIGHT);
            assertThat(row.viewportWidth()).isBetween(1, BatchValidator.MAX_VIEWPORT);
            assertThat(row.viewportHeight()).isBetween(1, BatchValidator.MAX_VIEWPORT);
            if (row.kind().equals("click")) {
                assertThat(row.selector() == null).isEqualTo(row.boxX() == null).isEqualTo(row.boxY() == null);
                if (row.selector() != null) {
                    assertThat(row.selector()).isNotBlank().hasSizeLessThanOrEqualTo(BatchValidator.MAX_SELECTOR_LENGTH);
                    assertThat(row.selector().chars()).noneMatch(c -> c < 0x20 || c == 0x7f);
                    assertThat(row.boxX()).isBetween(0f, 1f);
                    assertThat(row.boxY()).isBetween(0f, 1f);
                }
            } else {
                assertThat(row.selector()).isNull();
                assertThat(row.boxX()).isNull();
                assertThat(row.fixed() || row.interactive() || row.rage()).isFalse();
            }
            if (row.kind().equals("scroll")) {
                assertThat(row.x()).isZero();
                assertThat(row.depth()).isNotNull().isBetween(0f, 1f);
                if (row.dwellMs() != null) assertThat(row.dwellMs()).isBetween(0, (int) BatchValidator.MAX_DWELL_MS);
            } else {
                assertThat(row.depth()).isNull();
                assertThat(row.dwellMs()).isNull();
            }
        }
        assertThat(EventCopyEncoder.encode(batch.rows())).isNotEmpty();
    }

    @Provide
    Arbitrary<Mutations> mutations() {
        return Mutations.any();
    }

    /** Batches inside every documented bound, on the site's origin. */
    @Provide
    Arbitrary<ObjectNode> batches() {
        Arbitrary<long[]> context = Combinators.combine(
                Arbitraries.integers().between(0, BatchValidator.MAX_SEQ),
                Arbitraries.longs().between(DAY_MS, BatchValidator.MAX_EPOCH_MS),
                Arbitraries.integers().between(1, BatchValidator.MAX_VIEWPORT),
                Arbitraries.integers().between(1, BatchValidator.MAX_VIEWPORT),
                Arbitraries.integers().between(1, BatchValidator.MAX_DOCUMENT_WIDTH),
                Arbitraries.integers().between(1, BatchValidator.MAX_DOCUMENT_HEIGHT))
                .as((seq, sentAt, vw, vh, dw, dh) -> new long[]{seq, sentAt, vw, vh, dw, dh});
        Arbitrary<String> device = Arbitraries.of(DeviceClass.NAMES).injectNull(0.5);
        Arbitrary<Double> dpr = Arbitraries.doubles().between(BatchValidator.MIN_PIXEL_RATIO, BatchValidator.MAX_PIXEL_RATIO).injectNull(0.3);
        Arbitrary<String> tz = Arbitraries.of("Europe/Berlin", "UTC", "America/Argentina/Buenos_Aires", "Etc/GMT+5").injectNull(0.3);
        Arbitrary<List<EventSpec>> events = event().list().ofMinSize(1).ofMaxSize(20);
        Arbitrary<String> path = Arbitraries.strings().withCharRange('a', 'z').ofMaxLength(30);
        return Combinators.combine(context, device, dpr, tz, events, path).as((c, d, r, z, es, p) -> {
            ObjectNode batch = Batches.batch(SITE.publicKey(), UUID.randomUUID(), (int) c[0], c[1], "https://shop.example/" + p);
            ((ObjectNode) batch.get("viewport")).put("width", c[2]).put("height", c[3]);
            ((ObjectNode) batch.get("document")).put("width", c[4]).put("height", c[5]);
            if (d != null) batch.put("device", d);
            if (r != null) batch.put("dpr", r);
            if (z != null) batch.put("tz", z);
            for (EventSpec e : es) Batches.events(batch).add(e.json(c[1]));
            return batch;
        });
    }

    /** One event, its time as an offset from sentAt. */
    private record EventSpec(String kind, long offset, double x, double y, String selector, double boxX, double boxY,
                             Boolean flag, Long dwell, Double depth) {
        ObjectNode json(long sentAt) {
            long t = Math.max(0, sentAt + offset);
            return switch (kind) {
                case "click" -> {
                    ObjectNode click = Batches.click(t, x, y);
                    if (selector != null) click.put("selector", selector).put("boxX", boxX).put("boxY", boxY);
                    if (flag != null) click.put("fixed", flag).put("interactive", !flag).put("rage", flag);
                    yield click;
                }
                case "move" -> Batches.move(t, x, y);
                default -> {
                    ObjectNode scroll = Batches.JSON.createObjectNode().put("kind", "scroll").put("t", t).put("y", y);
                    if (dwell != null) scroll.put("dwell", dwell);
                    if (depth != null) scroll.put("depth", depth);
                    yield scroll;
                }
            };
        }
    }

    private static Arbitrary<EventSpec> event() {
        Arbitrary<String> selector = Arbitraries.strings().withCharRange(' ', '~').withChars("äé日本".toCharArray())
                .ofMinLength(1).ofMaxLength(BatchValidator.MAX_SELECTOR_LENGTH).filter(s -> !s.isBlank()).injectNull(0.3);
        Arbitrary<Double> fraction = Arbitraries.doubles().between(0, 1);
        return Combinators.combine(
                Arbitraries.of("click", "move", "scroll"),
                Arbitraries.longs().between(-BatchValidator.MAX_EVENT_AGE_MS, BatchValidator.MAX_EVENT_LEAD_MS),
                Arbitraries.doubles().between(0, BatchValidator.MAX_DOCUMENT_WIDTH),
                Arbitraries.doubles().between(0, BatchValidator.MAX_DOCUMENT_HEIGHT),
                selector,
                Combinators.combine(fraction, fraction).as((a, b) -> new double[]{a, b}),
                Arbitraries.of(true, false).injectNull(0.5),
                Combinators.combine(Arbitraries.longs().between(0, BatchValidator.MAX_DWELL_MS).injectNull(0.4),
                        fraction.injectNull(0.4)).as((dwell, depth) -> new Object[]{dwell, depth}))
                .as((kind, offset, x, y, sel, box, flag, scroll) -> new EventSpec(kind, offset, x, y, sel, box[0], box[1], flag,
                        (Long) scroll[0], (Double) scroll[1]));
    }
}
