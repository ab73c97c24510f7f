package io.isotherm.accounts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static io.isotherm.accounts.AccountErrors.assertAccountError;
import static org.assertj.core.api.Assertions.assertThat;

class ApiTokensTest extends DatabaseTest {
    private ApiTokens tokens;
    private User ana;
    private User bo;
    private int site;

    @BeforeEach
    void setUp() {
        tokens = new ApiTokens(db.jdbi);
        Users users = new Users(db.jdbi);
        ana = users.add("ana@example.com", "correct horse battery", false);
        bo = users.add("bo@example.com", "correct horse battery", false);
        site = db.site("Shop");
    }

    @Test
    void makes_a_secret_that_starts_with_isot() {
        ApiTokens.Created created = tokens.create(ana.id(), "ci", null, true);

        assertThat(created.secret()).startsWith("isot_").matches("isot_[A-Za-z0-9_-]{43}");
        assertThat(tokens.create(ana.id(), "ci", null, true).secret()).isNotEqualTo(created.secret());
    }

    @Test
    void describes_the_token_it_made() {
        ApiTokens.Token token = tokens.create(ana.id(), "  export script ", site, false).token();

        assertThat(token.userId()).isEqualTo(ana.id());
        assertThat(token.siteId()).isEqualTo(site);
        assertThat(token.name()).isEqualTo("export script");
        assertThat(token.readOnly()).isFalse();
        assertThat(token.lastUsedAt()).isNull();
        assertThat(token.revokedAt()).isNull();
        assertThat(tokens.find(token.id())).contains(token);
        assertThat(db.one(String.class, "SELECT scope FROM api_token WHERE token_id = ?", token.id())).isEqualTo("write");
    }

    @Test
    void stores_only_the_sha256_of_the_secret() {
        ApiTokens.Created created = tokens.create(ana.id(), "ci", null, true);

        byte[] stored = db.jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM api_token WHERE token_id = :id")
                .bind("id", created.token().id()).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(TestDb.sha256(created.secret()));
        assertThat(db.count("SELECT count(*) FROM api_token WHERE position(? IN concat_ws(' ', name, scope,"
                + " encode(token_hash, 'escape'), encode(token_hash, 'base64'))) > 0", created.secret().substring(5))).isZero();
    }

    @Test
    void refuses_a_token_without_a_name_or_with_a_long_one() {
        assertAccountError(() -> tokens.create(ana.id(), "  ", null, true), 400, "name");
        assertAccountError(() -> tokens.create(ana.id(), null, null, true), 400, "name");
        assertAccountError(() -> tokens.create(ana.id(), "n".repeat(101), null, true), 400, "name");

        assertThat(db.count("SELECT count(*) FROM api_token")).isZero();
        assertThat(tokens.create(ana.id(), "n".repeat(100), null, true).token().name()).hasSize(100);
    }

    @Test
    void authenticates_a_secret_as_its_token() {
        ApiTokens.Created mine = tokens.create(ana.id(), "mine", site, true);
        ApiTokens.Created bos = tokens.create(bo.id(), "bo's", null, false);

        assertThat(tokens.authenticate(mine.secret())).hasValueSatisfying(t -> {
            assertThat(t.id()).isEqualTo(mine.token().id());
            assertThat(t.userId()).isEqualTo(ana.id());
            assertThat(t.siteId()).isEqualTo(site);
            assertThat(t.readOnly()).isTrue();
        });
        assertThat(tokens.authenticate(bos.secret()).orElseThrow().userId()).isEqualTo(bo.id());
    }

    @Test
    void authenticates_nothing_for_a_wrong_secret() {
        String secret = tokens.create(ana.id(), "ci", null, true).secret();

        assertThat(tokens.authenticate(secret + "x")).isEmpty();
        assertThat(tokens.authenticate(secret.substring(5))).as("without the prefix").isEmpty();
        assertThat(tokens.authenticate("isot_" + "A".repeat(43))).isEmpty();
        assertThat(tokens.authenticate(secret + "x".repeat(60))).as("overlong").isEmpty();
        assertThat(tokens.authenticate(null)).isEmpty();
        assertThat(tokens.authenticate("")).isEmpty();
    }

    @Test
    void records_when_a_token_was_last_used() {
        ApiTokens.Created created = tokens.create(ana.id(), "ci", null, true);
        long id = created.token().id();
        assertThat(tokens.find(id).orElseThrow().lastUsedAt()).isNull();

        assertThat(tokens.authenticate(created.secret()).orElseThrow().lastUsedAt()).isNotNull();

        assertThat(tokens.find(id).orElseThrow().lastUsedAt()).isNotNull();
        assertThat(db.count("SELECT count(*) FROM api_token WHERE token_id = ? AND last_used_at > now() - interval '1 minute'", id))
                .isEqualTo(1);
    }

    @Test
    void still_authenticates_a_token_used_within_the_last_minute_and_records_a_later_use() {
        ApiTokens.Created created = tokens.create(ana.id(), "ci", null, true);
        long id = created.token().id();
        tokens.authenticate(created.secret()).orElseThrow();

        assertThat(tokens.authenticate(created.secret())).as("used again within the minute").isPresent();

        db.execute("UPDATE api_token SET last_used_at = now() - interval '1 hour' WHERE token_id = ?", id);
        assertThat(tokens.authenticate(created.secret())).isPresent();
        assertThat(db.count("SELECT count(*) FROM api_token WHERE token_id = ? AND last_used_at > now() - interval '1 minute'", id))
                .as("the later use recorded").isEqualTo(1);
    }

    @Test
    void authenticates_nothing_for_a_revoked_token() {
        ApiTokens.Created created = tokens.create(ana.id(), "ci", null, true);
        tokens.authenticate(created.secret()).orElseThrow();

        assertThat(tokens.revoke(created.token().id(), ana.id())).isTrue();

        assertThat(tokens.authenticate(created.secret())).isEmpty();
        assertThat(tokens.find(created.token().id()).orElseThrow().revokedAt()).isNotNull();
        assertThat(tokens.revoke(created.token().id(), ana.id())).as("already revoked").isFalse();
    }

    @Test
    void refuses_to_revoke_another_users_token() {
        ApiTokens.Created bos = tokens.create(bo.id(), "bo's", null, true);

        assertThat(tokens.revoke(bos.token().id(), ana.id())).isFalse();

        assertThat(tokens.authenticate(bos.secret())).isPresent();
        assertThat(tokens.find(bos.token().id()).orElseThrow().revokedAt()).isNull();
    }

    @Test
    void revokes_any_users_token_without_a_user() {
        ApiTokens.Created bos = tokens.create(bo.id(), "bo's", null, true);

        assertThat(tokens.revoke(bos.token().id(), null)).isTrue();

        assertThat(tokens.authenticate(bos.secret())).isEmpty();
    }

    @Test
    void lists_a_users_tokens_newest_first_revoked_ones_included() {
        ApiTokens.Token first = tokens.create(ana.id(), "first", null, true).token();
        ApiTokens.Token second = tokens.create(ana.id(), "second", site, false).token();
        ApiTokens.Token bos = tokens.create(bo.id(), "bo's", null, true).token();
        tokens.revoke(first.id(), ana.id());

        assertThat(tokens.list(ana.id())).extracting(ApiTokens.Token::name).containsExactly("second", "first");
        assertThat(tokens.list(ana.id()).get(1).revokedAt()).isNotNull();
        assertThat(tokens.list(bo.id())).extracting(ApiTokens.Token::id).containsExactly(bos.id());
        assertThat(tokens.list(null)).extracting(ApiTokens.Token::id).containsExactlyInAnyOrder(first.id(), second.id(), bos.id());
    }

    @Test
    void deleting_the_site_deletes_the_tokens_limited_to_it() {
        ApiTokens.Created limited = tokens.create(ana.id(), "shop only", site, true);
        ApiTokens.Created everywhere = tokens.create(ana.id(), "everywhere", null, true);

        db.execute("DELETE FROM site WHERE site_id = ?", site);

        assertThat(tokens.authenticate(limited.secret())).isEmpty();
        assertThat(tokens.authenticate(everywhere.secret())).isPresent();
    }
}
