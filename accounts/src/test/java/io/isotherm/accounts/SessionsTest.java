package io.isotherm.accounts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.HexFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class SessionsTest extends DatabaseTest {
    private static final Duration IDLE = Duration.ofHours(1);
    private static final Duration ABSOLUTE = Duration.ofDays(1);

    private Sessions sessions;
    private User ana;
    private User bo;

    @BeforeEach
    void setUp() {
        sessions = new Sessions(db.jdbi, IDLE, ABSOLUTE);
        Users users = new Users(db.jdbi);
        ana = users.add("ana@example.com", "correct horse battery", false);
        bo = users.add("bo@example.com", "correct horse battery", false);
    }

    private long rows() {
        return db.count("SELECT count(*) FROM user_session");
    }

    private boolean stored(long sessionId) {
        return db.count("SELECT count(*) FROM user_session WHERE session_id = ?", sessionId) == 1;
    }

    @Test
    void refuses_limits_that_make_no_sense() {
        assertThatThrownBy(() -> new Sessions(db.jdbi, Duration.ZERO, ABSOLUTE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Sessions(db.jdbi, Duration.ofMinutes(-1), ABSOLUTE)).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new Sessions(db.jdbi, Duration.ofDays(2), Duration.ofDays(1))).isInstanceOf(IllegalArgumentException.class);
        assertThat(new Sessions(db.jdbi, Duration.ofDays(1), Duration.ofDays(1)).absolute()).isEqualTo(Duration.ofDays(1));
    }

    @Test
    void opens_a_session_that_its_secret_finds() {
        Sessions.Opened opened = sessions.open(ana.id(), "Firefox on Linux");

        assertThat(opened.secret()).matches("[A-Za-z0-9_-]{43}");
        assertThat(sessions.find(opened.secret())).hasValueSatisfying(s -> {
            assertThat(s.id()).isEqualTo(opened.session().id());
            assertThat(s.userId()).isEqualTo(ana.id());
            assertThat(s.userAgent()).isEqualTo("Firefox on Linux");
            assertThat(s.csrfToken()).isEqualTo(opened.session().csrfToken()).isNotBlank().isNotEqualTo(opened.secret());
        });
    }

    @Test
    void gives_every_session_its_own_secret_and_csrf_token() {
        Sessions.Opened one = sessions.open(ana.id(), null);
        Sessions.Opened two = sessions.open(ana.id(), null);

        assertThat(one.secret()).isNotEqualTo(two.secret());
        assertThat(one.session().csrfToken()).isNotEqualTo(two.session().csrfToken());
        assertThat(sessions.find(one.secret()).orElseThrow().id()).isEqualTo(one.session().id());
        assertThat(sessions.find(two.secret()).orElseThrow().id()).isEqualTo(two.session().id());
    }

    @Test
    void sets_the_absolute_limit_that_far_after_sign_in() {
        long id = sessions.open(ana.id(), null).session().id();

        assertThat(db.count("SELECT extract(epoch FROM expires_at - created_at)::bigint FROM user_session WHERE session_id = ?", id))
                .isEqualTo(ABSOLUTE.toSeconds());
    }

    @Test
    void finds_nothing_for_an_unknown_empty_or_overlong_secret() {
        String secret = sessions.open(ana.id(), null).secret();

        assertThat(sessions.find(secret + "x")).isEmpty();
        assertThat(sessions.find(secret.substring(1))).isEmpty();
        assertThat(sessions.find("")).isEmpty();
        assertThat(sessions.find(null)).isEmpty();
        assertThat(sessions.find("a".repeat(101))).isEmpty();
        assertThat(rows()).isEqualTo(1);
    }

    @Test
    void stores_only_the_sha256_of_the_cookie_secret() {
        Sessions.Opened opened = sessions.open(ana.id(), "agent");

        byte[] stored = db.jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM user_session WHERE session_id = :id")
                .bind("id", opened.session().id()).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(TestDb.sha256(opened.secret()));
        assertThat(db.count("SELECT count(*) FROM user_session WHERE position(? IN concat_ws(' ', csrf_token, user_agent,"
                + " encode(token_hash, 'escape'), encode(token_hash, 'base64'))) > 0", opened.secret())).isZero();
        // the stored hash is no cookie: it signs nobody in
        assertThat(sessions.find(HexFormat.of().formatHex(stored))).isEmpty();
    }

    @Test
    void keeps_only_the_first_300_characters_of_the_user_agent() {
        String secret = sessions.open(ana.id(), "x".repeat(500)).secret();

        assertThat(sessions.find(secret).orElseThrow().userAgent()).hasSize(300);
    }

    @Test
    void ends_and_deletes_a_session_idle_for_longer_than_the_idle_limit() {
        Sessions.Opened opened = sessions.open(ana.id(), null);
        String other = sessions.open(ana.id(), null).secret();
        db.execute("UPDATE user_session SET last_seen_at = now() - interval '1 hour 1 second' WHERE session_id = ?", opened.session().id());

        assertThat(sessions.find(opened.secret())).isEmpty();
        assertThat(stored(opened.session().id())).isFalse();
        assertThat(sessions.find(other)).isPresent();
    }

    @Test
    void keeps_a_session_idle_for_less_than_the_idle_limit_and_records_its_use() {
        Sessions.Opened opened = sessions.open(ana.id(), null);
        long id = opened.session().id();
        db.execute("UPDATE user_session SET last_seen_at = now() - interval '59 minutes' WHERE session_id = ?", id);

        assertThat(sessions.find(opened.secret())).isPresent();

        assertThat(db.count("SELECT count(*) FROM user_session WHERE session_id = ? AND last_seen_at > now() - interval '1 minute'", id))
                .as("last use moved to now").isEqualTo(1);
        // it was used again, so another 59 minutes later it still lives
        db.execute("UPDATE user_session SET last_seen_at = last_seen_at - interval '59 minutes' WHERE session_id = ?", id);
        assertThat(sessions.find(opened.secret())).isPresent();
    }

    @Test
    void recording_use_does_not_move_the_absolute_limit() {
        Sessions.Opened opened = sessions.open(ana.id(), null);
        long id = opened.session().id();
        db.execute("UPDATE user_session SET last_seen_at = now() - interval '30 minutes' WHERE session_id = ?", id);

        sessions.find(opened.secret()).orElseThrow();

        assertThat(sessions.find(opened.secret()).orElseThrow().expiresAt()).isEqualTo(opened.session().expiresAt());
    }

    @Test
    void ends_and_deletes_a_session_past_the_absolute_limit_even_while_it_is_used() {
        Sessions.Opened opened = sessions.open(ana.id(), null);
        long id = opened.session().id();
        // signed in a day and a second ago, used just now
        db.execute("""
                UPDATE user_session SET created_at = created_at - interval '1 day 1 second',
                                        expires_at = expires_at - interval '1 day 1 second',
                                        last_seen_at = now()
                WHERE session_id = ?""", id);

        assertThat(sessions.find(opened.secret())).isEmpty();
        assertThat(stored(id)).isFalse();
    }

    @Test
    void keeps_a_used_session_just_inside_the_absolute_limit() {
        Sessions.Opened opened = sessions.open(ana.id(), null);
        long id = opened.session().id();
        db.execute("""
                UPDATE user_session SET created_at = created_at - interval '23 hours',
                                        expires_at = expires_at - interval '23 hours'
                WHERE session_id = ?""", id);

        assertThat(sessions.find(opened.secret())).isPresent();
        assertThat(stored(id)).isTrue();
    }

    @Test
    void revokes_one_session_of_its_user() {
        Sessions.Opened laptop = sessions.open(ana.id(), "laptop");
        Sessions.Opened phone = sessions.open(ana.id(), "phone");

        assertThat(sessions.revoke(ana.id(), laptop.session().id())).isTrue();

        assertThat(sessions.find(laptop.secret())).isEmpty();
        assertThat(sessions.find(phone.secret())).isPresent();
        assertThat(sessions.revoke(ana.id(), laptop.session().id())).as("already gone").isFalse();
    }

    @Test
    void refuses_to_revoke_a_session_of_another_user() {
        Sessions.Opened anas = sessions.open(ana.id(), null);

        assertThat(sessions.revoke(bo.id(), anas.session().id())).isFalse();

        assertThat(sessions.find(anas.secret())).isPresent();
    }

    @Test
    void revokes_every_other_session_of_a_user_keeping_one() {
        Sessions.Opened keep = sessions.open(ana.id(), "this browser");
        Sessions.Opened one = sessions.open(ana.id(), "old laptop");
        Sessions.Opened two = sessions.open(ana.id(), "old phone");
        Sessions.Opened bos = sessions.open(bo.id(), null);

        assertThat(sessions.revokeAll(ana.id(), keep.session().id())).isEqualTo(2);

        assertThat(sessions.find(keep.secret())).isPresent();
        assertThat(sessions.find(one.secret())).isEmpty();
        assertThat(sessions.find(two.secret())).isEmpty();
        assertThat(sessions.find(bos.secret())).isPresent();
    }

    @Test
    void revokes_every_session_of_a_user_when_keeping_none() {
        Sessions.Opened one = sessions.open(ana.id(), null);
        Sessions.Opened two = sessions.open(ana.id(), null);
        Sessions.Opened bos = sessions.open(bo.id(), null);

        assertThat(sessions.revokeAll(ana.id(), null)).isEqualTo(2);

        assertThat(sessions.find(one.secret())).isEmpty();
        assertThat(sessions.find(two.secret())).isEmpty();
        assertThat(sessions.find(bos.secret())).isPresent();
    }

    @Test
    void lists_the_live_sessions_of_a_user_newest_use_first() {
        Sessions.Opened older = sessions.open(ana.id(), "older");
        Sessions.Opened newer = sessions.open(ana.id(), "newer");
        Sessions.Opened idle = sessions.open(ana.id(), "idle");
        Sessions.Opened expired = sessions.open(ana.id(), "expired");
        sessions.open(bo.id(), "bo's");
        db.execute("UPDATE user_session SET last_seen_at = now() - interval '10 minutes' WHERE session_id = ?", older.session().id());
        db.execute("UPDATE user_session SET last_seen_at = now() - interval '2 hours' WHERE session_id = ?", idle.session().id());
        db.execute("UPDATE user_session SET expires_at = now() - interval '1 second' WHERE session_id = ?", expired.session().id());

        assertThat(sessions.list(ana.id())).extracting(Sessions.Session::id)
                .containsExactly(newer.session().id(), older.session().id());
        assertThat(sessions.list(ana.id())).extracting(Sessions.Session::userAgent).containsExactly("newer", "older");
    }

    @Test
    void deletes_the_sessions_past_either_limit() {
        Sessions.Opened live = sessions.open(ana.id(), null);
        Sessions.Opened idle = sessions.open(ana.id(), null);
        Sessions.Opened expired = sessions.open(bo.id(), null);
        Sessions.Opened bos = sessions.open(bo.id(), null);
        db.execute("UPDATE user_session SET last_seen_at = now() - interval '2 hours' WHERE session_id = ?", idle.session().id());
        db.execute("UPDATE user_session SET expires_at = now() - interval '1 second' WHERE session_id = ?", expired.session().id());

        assertThat(sessions.deleteExpired()).isEqualTo(2);

        assertThat(db.list(Long.class, "SELECT session_id FROM user_session ORDER BY session_id")).containsExactly(live.session().id(), bos.session().id());
        assertThat(sessions.deleteExpired()).isZero();
    }
}
