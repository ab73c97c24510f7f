package io.isotherm.accounts;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;

import static io.isotherm.accounts.AccountErrors.assertAccountError;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class InvitesTest extends DatabaseTest {
    private static final String PASSWORD = "correct horse battery";

    private Accounts accounts;
    private Invites invites;
    private Users users;
    private Memberships members;
    private User admin;
    private int shop;

    @BeforeEach
    void setUp() {
        accounts = new Accounts(db.jdbi);
        invites = accounts.invites();
        users = accounts.users();
        members = accounts.members();
        admin = users.add("admin@example.com", PASSWORD, true);
        shop = db.site("Shop");
    }

    private long userCount() {
        return db.count("SELECT count(*) FROM app_user");
    }

    @Test
    void creates_an_invitation_to_a_site_that_its_link_finds() {
        Invites.Created created = invites.create(shop, Role.VIEWER, false, " Ana@Example.com ", admin.id());

        assertThat(created.secret()).matches("[A-Za-z0-9_-]{43}");
        Invites.Invite invite = created.invite();
        assertThat(invite.siteId()).isEqualTo(shop);
        assertThat(invite.role()).isEqualTo(Role.VIEWER);
        assertThat(invite.admin()).isFalse();
        assertThat(invite.email()).isEqualTo("ana@example.com");
        assertThat(invites.find(created.secret())).contains(invite);
        assertThat(invites.pending(shop)).containsExactly(invite);
        assertThat(invites.pending(null)).isEmpty();
    }

    @Test
    void makes_an_invitation_valid_for_seven_days() {
        Invites.Created created = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id());

        assertThat(db.count("SELECT extract(epoch FROM expires_at - created_at)::bigint FROM invite WHERE invite_id = ?",
                created.invite().id())).isEqualTo(Invites.VALID_FOR.toSeconds()).isEqualTo(7 * 24 * 3600);
    }

    @Test
    void stores_only_the_sha256_of_the_link_secret() {
        Invites.Created created = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id());

        byte[] stored = db.jdbi.withHandle(h -> h.createQuery("SELECT token_hash FROM invite WHERE invite_id = :id")
                .bind("id", created.invite().id()).mapTo(byte[].class).one());
        assertThat(stored).isEqualTo(TestDb.sha256(created.secret()));
    }

    @Test
    void finds_nothing_for_a_wrong_link() {
        String secret = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id()).secret();

        assertThat(invites.find(secret + "x")).isEmpty();
        assertThat(invites.find("")).isEmpty();
        assertThat(invites.find(null)).isEmpty();
        assertAccountError(() -> invites.accept(secret.substring(1), PASSWORD), 404, null);
    }

    @Test
    void refuses_to_invite_something_that_is_not_an_email_address() {
        assertAccountError(() -> invites.create(shop, Role.VIEWER, false, "ana", admin.id()), 400, "email");

        assertThat(db.count("SELECT count(*) FROM invite")).isZero();
    }

    @Test
    void accepting_makes_a_new_user_with_the_role_on_the_site() {
        String secret = invites.create(shop, Role.OWNER, false, "ana@example.com", admin.id()).secret();

        User ana = invites.accept(secret, "anas own password");

        assertThat(ana.email()).isEqualTo("ana@example.com");
        assertThat(ana.admin()).isFalse();
        assertThat(users.find(ana.id())).contains(ana);
        assertThat(users.authenticate("ana@example.com", "anas own password")).contains(ana);
        assertThat(members.roleOf(ana.id(), shop)).contains(Role.OWNER);
        assertThat(members.sitesOf(ana.id())).containsOnly(entry(shop, Role.OWNER));
    }

    @Test
    void accepting_uses_the_link_up() {
        String secret = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id()).secret();

        invites.accept(secret, "anas own password");

        assertThat(invites.find(secret)).isEmpty();
        assertThat(invites.pending(shop)).isEmpty();
        assertThat(db.count("SELECT count(*) FROM invite WHERE used_at IS NOT NULL")).isEqualTo(1);
    }

    @Test
    void refuses_to_accept_a_link_twice() {
        String secret = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id()).secret();
        User ana = invites.accept(secret, "anas own password");

        assertAccountError(() -> invites.accept(secret, "anas own password"), 404, null);
        assertAccountError(() -> invites.accept(secret, "somebody elses password"), 404, null);

        assertThat(userCount()).isEqualTo(2);
        assertThat(users.authenticate("ana@example.com", "anas own password")).contains(ana);
    }

    @Test
    void uses_a_link_accepted_twice_at_the_same_moment_only_once() throws Exception {
        User ana = users.add("ana@example.com", PASSWORD, false);
        Invites.Created created = invites.create(shop, Role.OWNER, false, "ana@example.com", admin.id());

        // both find the open link and check the password, then wait to mark it used while the test holds its row
        List<User> results = db.race("SELECT * FROM invite WHERE invite_id = " + created.invite().id() + " FOR UPDATE", List.of(
                () -> invites.accept(created.secret(), PASSWORD),
                () -> invites.accept(created.secret(), PASSWORD)));

        assertThat(results).containsExactlyInAnyOrder(ana, null); // null: refused, the link was used
        assertThat(invites.find(created.secret())).isEmpty();
    }

    @Test
    void refuses_an_expired_link_and_makes_no_user() {
        Invites.Created created = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id());
        db.execute("UPDATE invite SET expires_at = now() - interval '1 second' WHERE invite_id = ?", created.invite().id());

        assertThat(invites.find(created.secret())).isEmpty();
        assertAccountError(() -> invites.accept(created.secret(), "anas own password"), 404, null);

        assertThat(users.findByEmail("ana@example.com")).isEmpty();
        assertThat(invites.pending(shop)).isEmpty();
    }

    @Test
    void accepts_a_link_just_before_it_expires() {
        Invites.Created created = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id());
        db.execute("UPDATE invite SET expires_at = now() + interval '1 minute', created_at = now() - interval '7 days'"
                + " WHERE invite_id = ?", created.invite().id());

        User ana = invites.accept(created.secret(), "anas own password");

        assertThat(members.roleOf(ana.id(), shop)).contains(Role.VIEWER);
    }

    @Test
    void refuses_a_short_password_for_the_new_user_and_keeps_the_link_open() {
        String secret = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id()).secret();

        assertAccountError(() -> invites.accept(secret, "short"), 400, "password");

        assertThat(users.findByEmail("ana@example.com")).isEmpty();
        assertThat(invites.find(secret)).isPresent();
        assertThat(members.members(shop)).isEmpty();
    }

    @Test
    void lets_an_existing_user_accept_with_their_own_password() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        String secret = invites.create(shop, Role.VIEWER, false, "ANA@example.com", admin.id()).secret();

        User accepted = invites.accept(secret, PASSWORD);

        assertThat(accepted).isEqualTo(ana);
        assertThat(userCount()).isEqualTo(2);
        assertThat(members.roleOf(ana.id(), shop)).contains(Role.VIEWER);
        assertThat(users.authenticate("ana@example.com", PASSWORD)).as("password unchanged").contains(ana);
        assertThat(invites.find(secret)).isEmpty();
    }

    @Test
    void refuses_an_existing_user_with_a_wrong_password_and_grants_nothing() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        String secret = invites.create(shop, Role.OWNER, false, "ana@example.com", admin.id()).secret();

        assertAccountError(() -> invites.accept(secret, "a guessed password"), 400, "password");

        assertThat(members.roleOf(ana.id(), shop)).isEmpty();
        assertThat(members.members(shop)).isEmpty();
        assertThat(users.authenticate("ana@example.com", PASSWORD)).as("password not replaced").contains(ana);
        assertThat(users.authenticate("ana@example.com", "a guessed password")).isEmpty();
        assertThat(invites.find(secret)).as("the link stays open").isPresent();
        assertThat(userCount()).isEqualTo(2);
    }

    @Test
    void an_administrators_invitation_makes_a_new_administrator() {
        Invites.Created created = invites.create(null, null, true, "root@example.com", admin.id());
        assertThat(created.invite().siteId()).isNull();
        assertThat(created.invite().role()).isNull();
        assertThat(invites.pending(null)).containsExactly(created.invite());
        assertThat(invites.pending(shop)).isEmpty();

        User root = invites.accept(created.secret(), "roots own password");

        assertThat(root.admin()).isTrue();
        assertThat(users.find(root.id()).orElseThrow().admin()).isTrue();
        assertThat(members.sitesOf(root.id())).isEmpty();
    }

    @Test
    void an_administrators_invitation_makes_an_existing_user_an_administrator() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        String secret = invites.create(null, null, true, "ana@example.com", admin.id()).secret();

        User accepted = invites.accept(secret, PASSWORD);

        assertThat(accepted.id()).isEqualTo(ana.id());
        assertThat(accepted.admin()).isTrue();
        assertThat(users.find(ana.id()).orElseThrow().admin()).isTrue();
    }

    @Test
    void an_administrators_invitation_with_a_wrong_password_makes_no_administrator() {
        User ana = users.add("ana@example.com", PASSWORD, false);
        String secret = invites.create(null, null, true, "ana@example.com", admin.id()).secret();

        assertAccountError(() -> invites.accept(secret, "a guessed password"), 400, "password");

        assertThat(users.find(ana.id()).orElseThrow().admin()).isFalse();
    }

    @Test
    void a_site_invitation_makes_no_administrator() {
        String secret = invites.create(shop, Role.OWNER, false, "ana@example.com", admin.id()).secret();

        assertThat(invites.accept(secret, "anas own password").admin()).isFalse();
        assertThat(users.list()).filteredOn(User::admin).containsExactly(admin);
    }

    @Test
    void withdraws_an_open_invitation_of_its_site_only() {
        int blog = db.site("Blog");
        Invites.Created created = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id());

        assertThat(invites.revoke(created.invite().id(), blog)).isFalse();
        assertThat(invites.revoke(created.invite().id(), null)).isFalse();
        assertThat(invites.find(created.secret())).isPresent();

        assertThat(invites.revoke(created.invite().id(), shop)).isTrue();
        assertThat(invites.find(created.secret())).isEmpty();
        assertAccountError(() -> invites.accept(created.secret(), "anas own password"), 404, null);
        assertThat(users.findByEmail("ana@example.com")).isEmpty();
    }

    @Test
    void deleting_the_site_withdraws_its_invitations() {
        String secret = invites.create(shop, Role.VIEWER, false, "ana@example.com", admin.id()).secret();

        db.execute("DELETE FROM site WHERE site_id = ?", shop);

        assertAccountError(() -> invites.accept(secret, "anas own password"), 404, null);
    }
}
