package io.isotherm.accounts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.Callable;

import static io.isotherm.accounts.AccountErrors.assertAccountError;
import static org.assertj.core.api.Assertions.assertThat;

class UsersTest extends DatabaseTest {
    private static final String PASSWORD = "correct horse battery";

    private Users users;
    private Sessions sessions;

    @BeforeEach
    void setUp() {
        users = new Users(db.jdbi);
        sessions = new Sessions(db.jdbi, Duration.ofHours(1), Duration.ofDays(1));
    }

    private String storedHash(long userId) {
        return db.jdbi.withHandle(h -> h.createQuery("SELECT password_hash FROM app_user WHERE user_id = :id")
                .bind("id", userId).mapTo(String.class).one());
    }

    @Test
    void adds_a_user_with_the_email_trimmed_and_lower_cased() {
        User ana = users.add("  Ana@Example.COM ", PASSWORD, false);

        assertThat(ana.email()).isEqualTo("ana@example.com");
        assertThat(ana.admin()).isFalse();
        assertThat(db.one(String.class, "SELECT email FROM app_user WHERE user_id = ?", ana.id())).isEqualTo("ana@example.com");
        assertThat(users.find(ana.id())).contains(ana);
        assertThat(users.any()).isTrue();
    }

    @Test
    void finds_a_user_by_email_in_any_case() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        users.add("bo@example.com", PASSWORD, false);

        assertThat(users.findByEmail("ANA@Example.com")).contains(ana);
        assertThat(users.findByEmail(" ana@example.com ")).contains(ana);
        assertThat(users.findByEmail("cy@example.com")).isEmpty();
        assertThat(users.findByEmail(null)).isEmpty();
    }

    @Test
    void has_no_users_in_a_new_database() {
        assertThat(users.any()).isFalse();
        assertThat(users.list()).isEmpty();
    }

    @Test
    void lists_users_by_email() {
        User cy = users.add("cy@example.com", PASSWORD, false);
        User ana = users.add("ana@example.com", PASSWORD, true);
        User bo = users.add("bo@example.com", PASSWORD, false);

        assertThat(users.list()).containsExactly(ana, bo, cy);
    }

    @Test
    void refuses_an_email_that_is_taken_whatever_its_case() {
        users.add("ana@example.com", PASSWORD, false);

        assertAccountError(() -> users.add("ANA@example.com", "another password", true), 409, "email");
        assertThat(db.count("SELECT count(*) FROM app_user")).isEqualTo(1);
        assertThat(users.findByEmail("ana@example.com").orElseThrow().admin()).isFalse();
    }

    @Test
    void refuses_an_email_that_is_not_an_address_and_stores_nothing() {
        assertAccountError(() -> users.add("ana.example.com", PASSWORD, false), 400, "email");
        assertAccountError(() -> users.add("ana@example", PASSWORD, false), 400, "email");
        assertAccountError(() -> users.add("ana @example.com", PASSWORD, false), 400, "email");
        assertAccountError(() -> users.add("   ", PASSWORD, false), 400, "email");
        assertAccountError(() -> users.add(null, PASSWORD, false), 400, "email");

        assertThat(db.count("SELECT count(*) FROM app_user")).isZero();
    }

    @Test
    void refuses_a_password_shorter_than_ten_characters_and_stores_nothing() {
        assertAccountError(() -> users.add("ana@example.com", "123456789", false), 400, "password");
        assertAccountError(() -> users.add("ana@example.com", "", false), 400, "password");
        assertAccountError(() -> users.add("ana@example.com", null, false), 400, "password");

        assertThat(db.count("SELECT count(*) FROM app_user")).isZero();
    }

    @Test
    void accepts_a_password_of_exactly_ten_characters() {
        User ana = users.add("ana@example.com", "1234567890", false);

        assertThat(users.authenticate("ana@example.com", "1234567890")).contains(ana);
    }

    @Test
    void counts_password_length_in_characters_not_in_utf16_units() {
        String nineKeys = "🔑".repeat(9); // 18 UTF-16 units, 9 characters
        assertAccountError(() -> users.add("ana@example.com", nineKeys, false), 400, "password");

        User ana = users.add("ana@example.com", "🔑".repeat(10), false);
        assertThat(users.authenticate("ana@example.com", "🔑".repeat(10))).contains(ana);
    }

    @Test
    void stores_an_argon2id_hash_of_the_password_and_not_the_password() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        User bo = users.add("bo@example.com", PASSWORD, false);

        String hash = storedHash(ana.id());
        assertThat(hash).startsWith("$argon2id$v=19$m=19456,t=2,p=1$")
                .doesNotContain(PASSWORD)
                .matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]+\\$[A-Za-z0-9+/]+");
        assertThat(Passwords.verify(PASSWORD, hash)).isTrue();
        assertThat(storedHash(bo.id())).as("a random salt per password").isNotEqualTo(hash);
        assertThat(db.count("SELECT count(*) FROM app_user WHERE password_hash LIKE '%' || ? || '%'", PASSWORD)).isZero();
    }

    @Test
    void authenticates_the_right_password_in_any_email_case() {
        User ana = users.add("ana@example.com", PASSWORD, false);

        assertThat(users.authenticate("ana@example.com", PASSWORD)).contains(ana);
        assertThat(users.authenticate(" ANA@example.COM", PASSWORD)).contains(ana);
    }

    @Test
    void refuses_a_wrong_password() {
        users.add("ana@example.com", PASSWORD, false);

        assertThat(users.authenticate("ana@example.com", "correct horse battery ")).isEmpty();
        assertThat(users.authenticate("ana@example.com", "Correct horse battery")).isEmpty();
        assertThat(users.authenticate("ana@example.com", "")).isEmpty();
        assertThat(users.authenticate("ana@example.com", null)).isEmpty();
    }

    @Test
    void refuses_an_unknown_email() {
        users.add("ana@example.com", PASSWORD, false);

        assertThat(users.authenticate("bo@example.com", PASSWORD)).isEmpty();
        assertThat(users.authenticate(null, PASSWORD)).isEmpty();
    }

    @Test
    void a_new_password_replaces_the_old_one() {
        User ana = users.add("ana@example.com", PASSWORD, false);

        assertThat(users.setPassword(ana.id(), "a brand new password")).isTrue();

        assertThat(users.authenticate("ana@example.com", PASSWORD)).isEmpty();
        assertThat(users.authenticate("ana@example.com", "a brand new password")).contains(ana);
        assertThat(storedHash(ana.id())).startsWith("$argon2id$").doesNotContain("a brand new password");
    }

    @Test
    void setting_a_password_ends_every_session_of_that_user_only() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        User bo = users.add("bo@example.com", PASSWORD, false);
        String anaLaptop = sessions.open(ana.id(), "laptop").secret();
        String anaPhone = sessions.open(ana.id(), "phone").secret();
        String boLaptop = sessions.open(bo.id(), "laptop").secret();

        users.setPassword(ana.id(), "a brand new password");

        assertThat(sessions.find(anaLaptop)).isEmpty();
        assertThat(sessions.find(anaPhone)).isEmpty();
        assertThat(sessions.list(ana.id())).isEmpty();
        assertThat(sessions.find(boLaptop)).isPresent();
        assertThat(db.count("SELECT count(*) FROM user_session")).isEqualTo(1);
    }

    @Test
    void refuses_a_short_new_password_and_keeps_the_old_one_and_the_sessions() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        String session = sessions.open(ana.id(), null).secret();

        assertAccountError(() -> users.setPassword(ana.id(), "too short"), 400, "password");

        assertThat(users.authenticate("ana@example.com", PASSWORD)).contains(ana);
        assertThat(sessions.find(session)).isPresent();
    }

    @Test
    void setting_the_password_of_an_unknown_user_answers_false() {
        User ana = users.add("ana@example.com", PASSWORD, false);

        assertThat(users.setPassword(ana.id() + 1000, "a brand new password")).isFalse();
        assertThat(users.authenticate("ana@example.com", PASSWORD)).contains(ana);
    }

    @Test
    void refuses_to_remove_the_last_administrator() {
        User admin = users.add("admin@example.com", PASSWORD, true);
        users.add("ana@example.com", PASSWORD, false);

        assertAccountError(() -> users.remove(admin.id()), 409, null);
        assertThat(users.find(admin.id())).isPresent();
    }

    @Test
    void removes_an_administrator_while_another_remains_and_then_refuses_the_other() {
        User first = users.add("first@example.com", PASSWORD, true);
        User second = users.add("second@example.com", PASSWORD, true);

        assertThat(users.remove(first.id())).isTrue();
        assertThat(users.find(first.id())).isEmpty();

        assertAccountError(() -> users.remove(second.id()), 409, null);
        assertThat(users.find(second.id())).isPresent();
    }

    @Test
    void removes_a_user_with_their_sessions_tokens_and_memberships() {
        users.add("admin@example.com", PASSWORD, true);
        User ana = users.add("ana@example.com", PASSWORD, false);
        User bo = users.add("bo@example.com", PASSWORD, false);
        int site = db.site("Shop");
        Memberships members = new Memberships(db.jdbi);
        ApiTokens tokens = new ApiTokens(db.jdbi);
        String session = sessions.open(ana.id(), null).secret();
        String token = tokens.create(ana.id(), "ci", null, true).secret();
        members.set(site, ana.id(), Role.OWNER);
        members.set(site, bo.id(), Role.VIEWER);
        String boSession = sessions.open(bo.id(), null).secret();

        assertThat(users.remove(ana.id())).isTrue();

        assertThat(users.find(ana.id())).isEmpty();
        assertThat(users.authenticate("ana@example.com", PASSWORD)).isEmpty();
        assertThat(sessions.find(session)).isEmpty();
        assertThat(tokens.authenticate(token)).isEmpty();
        assertThat(members.sitesOf(ana.id())).isEmpty();
        assertThat(db.count("SELECT count(*) FROM user_session WHERE user_id = ?", ana.id())).isZero();
        assertThat(db.count("SELECT count(*) FROM api_token WHERE user_id = ?", ana.id())).isZero();
        assertThat(members.members(site)).extracting(m -> m.user().email()).containsExactly("bo@example.com");
        assertThat(sessions.find(boSession)).isPresent();
    }

    @Test
    void removing_an_unknown_user_answers_false() {
        User admin = users.add("admin@example.com", PASSWORD, true);

        assertThat(users.remove(admin.id() + 1000)).isFalse();
        assertThat(users.list()).containsExactly(admin);
    }

    @Test
    void refuses_to_take_the_right_from_the_last_administrator() {
        User admin = users.add("admin@example.com", PASSWORD, true);
        users.add("ana@example.com", PASSWORD, false);

        assertAccountError(() -> users.setAdmin(admin.id(), false), 409, null);
        assertThat(users.find(admin.id()).orElseThrow().admin()).isTrue();
    }

    @Test
    void makes_and_unmakes_administrators_while_one_remains() {
        User first = users.add("first@example.com", PASSWORD, true);
        User ana = users.add("ana@example.com", PASSWORD, false);

        assertThat(users.setAdmin(ana.id(), true)).isTrue();
        assertThat(users.find(ana.id()).orElseThrow().admin()).isTrue();

        assertThat(users.setAdmin(first.id(), false)).isTrue();
        assertThat(users.find(first.id()).orElseThrow().admin()).isFalse();

        assertAccountError(() -> users.setAdmin(ana.id(), false), 409, null);
        assertThat(users.find(ana.id()).orElseThrow().admin()).isTrue();
    }

    @Test
    void taking_the_right_from_a_user_who_never_had_it_is_allowed_beside_a_single_administrator() {
        users.add("admin@example.com", PASSWORD, true);
        User ana = users.add("ana@example.com", PASSWORD, false);

        assertThat(users.setAdmin(ana.id(), false)).isTrue();
        assertThat(users.find(ana.id()).orElseThrow().admin()).isFalse();
    }

    @Test
    void adds_the_first_administrator_while_there_is_no_user() {
        Optional<User> first = users.addFirstAdmin("Root@Example.com", PASSWORD);

        assertThat(first).hasValueSatisfying(u -> {
            assertThat(u.admin()).isTrue();
            assertThat(u.email()).isEqualTo("root@example.com");
        });
        assertThat(users.authenticate("root@example.com", PASSWORD)).isEqualTo(first);
        assertThat(storedHash(first.orElseThrow().id())).startsWith("$argon2id$");
    }

    @Test
    void adds_no_first_administrator_once_any_user_exists() {
        User ana = users.add("ana@example.com", PASSWORD, false);

        assertThat(users.addFirstAdmin("root@example.com", PASSWORD)).isEmpty();
        assertThat(users.list()).containsExactly(ana);
    }

    @Test
    void adds_no_second_first_administrator() {
        users.addFirstAdmin("root@example.com", PASSWORD).orElseThrow();

        assertThat(users.addFirstAdmin("other@example.com", PASSWORD)).isEmpty();
        assertThat(users.list()).extracting(User::email).containsExactly("root@example.com");
    }

    @Test
    void refuses_a_bad_first_administrator_and_stores_nothing() {
        assertAccountError(() -> users.addFirstAdmin("root", PASSWORD), 400, "email");
        assertAccountError(() -> users.addFirstAdmin("root@example.com", "short"), 400, "password");

        assertThat(users.any()).isFalse();
    }

    @Test
    void concurrent_first_setups_create_exactly_one_administrator() throws Exception {
        List<Callable<Optional<User>>> setups = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            String email = "root" + i + "@example.com";
            setups.add(() -> users.addFirstAdmin(email, PASSWORD));
        }

        List<Optional<User>> results = db.race("LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE", setups);

        List<User> created = results.stream().flatMap(Optional::stream).toList();
        assertThat(created).hasSize(1);
        assertThat(created.get(0).admin()).isTrue();
        assertThat(users.list()).containsExactlyElementsOf(created);
    }

    @Test
    void two_administrators_stepping_down_at_once_leave_one_administrator() throws Exception {
        User first = users.add("first@example.com", PASSWORD, true);
        User second = users.add("second@example.com", PASSWORD, true);

        List<Boolean> results = db.race("LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE", List.of(
                () -> users.setAdmin(first.id(), false),
                () -> users.setAdmin(second.id(), false)));

        assertThat(results).containsExactlyInAnyOrder(true, null); // null: refused as the last administrator
        assertThat(users.list()).filteredOn(User::admin).hasSize(1);
    }

    @Test
    void two_administrators_removing_each_other_at_once_leave_one_administrator() throws Exception {
        User first = users.add("first@example.com", PASSWORD, true);
        User second = users.add("second@example.com", PASSWORD, true);

        List<Boolean> results = db.race("LOCK TABLE app_user IN ACCESS EXCLUSIVE MODE", List.of(
                () -> users.remove(first.id()),
                () -> users.remove(second.id())));

        assertThat(results).containsExactlyInAnyOrder(true, null);
        assertThat(users.list()).hasSize(1).allMatch(User::admin);
    }
}
