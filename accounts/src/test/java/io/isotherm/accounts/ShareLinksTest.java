package io.isotherm.accounts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.time.LocalDate;

import static org.assertj.core.api.Assertions.assertThat;

class ShareLinksTest extends DatabaseTest {
    private static final ShareLinks.View VIEW = new ShareLinks.View(7, "click", "desktop", "30d", null, null, "viridis", null);

    private ShareLinks links;
    private User ana;
    private int shop;
    private int blog;

    @BeforeEach
    void setUp() {
        links = new ShareLinks(db.jdbi);
        ana = new Users(db.jdbi).add("ana@example.com", "correct horse battery", false);
        shop = db.site("Shop");
        blog = db.site("Blog");
    }

    @Test
    void a_link_opens_its_view_and_only_its_sha256_is_stored() {
        ShareLinks.View fixed = new ShareLinks.View(9, "scroll", "mobile", null, LocalDate.of(2025, 1, 1), LocalDate.of(2025, 1, 31), "magma", 24.0);
        ShareLinks.Created created = links.create(shop, fixed, Duration.ofDays(7), ana.id());

        assertThat(created.secret()).matches("isos_[A-Za-z0-9_-]{43}");
        assertThat(created.link().view()).isEqualTo(fixed);
        assertThat(created.link().live()).isTrue();
        assertThat(created.link().createdBy()).isEqualTo(ana.id());
        assertThat(created.link().expiresAt()).isAfter(created.link().createdAt().plus(Duration.ofDays(7)).minusSeconds(5));
        assertThat(links.resolve(created.secret())).hasValueSatisfying(link -> {
            assertThat(link.id()).isEqualTo(created.link().id());
            assertThat(link.siteId()).isEqualTo(shop);
            assertThat(link.view()).isEqualTo(fixed);
        });
        byte[] stored = db.jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM share_link WHERE share_id = :id")
                .bind("id", created.link().id()).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(TestDb.sha256(created.secret()));
    }

    @Test
    void unknown_malformed_revoked_and_expired_links_resolve_to_nothing() {
        ShareLinks.Created revoked = links.create(shop, VIEW, null, ana.id());
        ShareLinks.Created expired = links.create(shop, VIEW, Duration.ofDays(1), ana.id());
        ShareLinks.Created live = links.create(shop, VIEW, null, null);

        assertThat(links.revoke(blog, revoked.link().id())).as("not through another site").isFalse();
        assertThat(links.revoke(shop, revoked.link().id())).isTrue();
        assertThat(links.revoke(shop, revoked.link().id())).as("once").isFalse();
        db.jdbi.useHandle(h -> h.execute("UPDATE share_link SET expires_at = now() - interval '1 second' WHERE share_id = ?",
                expired.link().id()));

        assertThat(links.resolve(revoked.secret())).isEmpty();
        assertThat(links.resolve(expired.secret())).isEmpty();
        assertThat(links.resolve(live.secret())).isPresent();
        assertThat(links.resolve(live.secret().substring(5))).as("without its prefix").isEmpty();
        assertThat(links.resolve("isos_" + "x".repeat(200))).isEmpty();
        assertThat(links.resolve(null)).isEmpty();

        assertThat(links.list(shop)).extracting(ShareLinks.Link::id, ShareLinks.Link::live).containsExactly(
                org.assertj.core.groups.Tuple.tuple(live.link().id(), true),
                org.assertj.core.groups.Tuple.tuple(expired.link().id(), false),
                org.assertj.core.groups.Tuple.tuple(revoked.link().id(), false));
        assertThat(links.list(blog)).isEmpty();
    }

    @Test
    void a_removed_sites_links_go_with_it() {
        ShareLinks.Created created = links.create(shop, VIEW, null, ana.id());
        db.jdbi.useHandle(h -> h.execute("DELETE FROM site WHERE site_id = ?", shop));
        assertThat(links.resolve(created.secret())).isEmpty();
        assertThat(db.count("SELECT count(*) FROM share_link")).isZero();
    }
}
