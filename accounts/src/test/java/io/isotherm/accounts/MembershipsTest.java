package io.isotherm.accounts;

import io.isotherm.db.site.SiteDao;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.List;
import java.util.Map;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

class MembershipsTest extends DatabaseTest {
    private Memberships members;
    private Users users;
    private User ana;
    private User bo;
    private int shop;
    private int blog;

    @BeforeEach
    void setUp() {
        members = new Memberships(db.jdbi);
        users = new Users(db.jdbi);
        ana = users.add("ana@example.com", "correct horse battery", false);
        bo = users.add("bo@example.com", "correct horse battery", false);
        shop = db.site("Shop");
        blog = db.site("Blog");
    }

    @Test
    void knows_no_role_for_a_user_who_is_no_member() {
        assertThat(members.roleOf(ana.id(), shop)).isEmpty();
        assertThat(members.sitesOf(ana.id())).isEmpty();
        assertThat(members.members(shop)).isEmpty();
    }

    @Test
    void adds_a_member_with_a_role() {
        members.set(shop, ana.id(), Role.VIEWER);

        assertThat(members.roleOf(ana.id(), shop)).contains(Role.VIEWER);
        assertThat(members.roleOf(ana.id(), blog)).isEmpty();
        assertThat(members.roleOf(bo.id(), shop)).isEmpty();
    }

    @Test
    void changes_the_role_of_a_member() {
        members.set(shop, ana.id(), Role.VIEWER);

        members.set(shop, ana.id(), Role.OWNER);

        assertThat(members.roleOf(ana.id(), shop)).contains(Role.OWNER);
        assertThat(db.count("SELECT count(*) FROM site_member")).isEqualTo(1);
    }

    @Test
    void removes_a_member_from_one_site_only() {
        members.set(shop, ana.id(), Role.OWNER);
        members.set(blog, ana.id(), Role.VIEWER);
        members.set(shop, bo.id(), Role.VIEWER);

        assertThat(members.remove(shop, ana.id())).isTrue();

        assertThat(members.roleOf(ana.id(), shop)).isEmpty();
        assertThat(members.roleOf(ana.id(), blog)).contains(Role.VIEWER);
        assertThat(members.roleOf(bo.id(), shop)).contains(Role.VIEWER);
        assertThat(members.remove(shop, ana.id())).as("no longer a member").isFalse();
    }

    @Test
    void lists_the_sites_of_a_user_with_their_roles() {
        members.set(blog, ana.id(), Role.VIEWER);
        members.set(shop, ana.id(), Role.OWNER);
        members.set(shop, bo.id(), Role.VIEWER);

        Map<Integer, Role> sites = members.sitesOf(ana.id());

        assertThat(sites).containsOnly(entry(shop, Role.OWNER), entry(blog, Role.VIEWER));
        assertThat(List.copyOf(sites.keySet())).as("by site id").isSorted();
        assertThat(members.sitesOf(bo.id())).containsOnly(entry(shop, Role.VIEWER));
    }

    @Test
    void lists_the_members_of_a_site_by_email() {
        User cy = users.add("Cy@example.com", "correct horse battery", true);
        members.set(shop, cy.id(), Role.VIEWER);
        members.set(shop, bo.id(), Role.OWNER);
        members.set(shop, ana.id(), Role.VIEWER);
        members.set(blog, bo.id(), Role.VIEWER);

        assertThat(members.members(shop)).containsExactly(
                new Memberships.Member(ana, Role.VIEWER),
                new Memberships.Member(bo, Role.OWNER),
                new Memberships.Member(cy, Role.VIEWER));
        assertThat(members.members(blog)).containsExactly(new Memberships.Member(bo, Role.VIEWER));
    }

    @Test
    void deleting_a_site_deletes_its_memberships_by_cascade() {
        members.set(shop, ana.id(), Role.OWNER);
        members.set(shop, bo.id(), Role.VIEWER);
        members.set(blog, ana.id(), Role.VIEWER);

        db.execute("DELETE FROM site WHERE site_id = ?", shop);

        assertThat(members.members(shop)).isEmpty();
        assertThat(members.roleOf(bo.id(), shop)).isEmpty();
        assertThat(members.sitesOf(ana.id())).containsOnly(entry(blog, Role.VIEWER));
        assertThat(db.count("SELECT count(*) FROM site_member WHERE site_id = ?", shop)).isZero();
    }

    @Test
    void removing_a_site_through_the_site_dao_removes_its_memberships() {
        members.set(shop, ana.id(), Role.OWNER);
        members.set(blog, ana.id(), Role.VIEWER);
        SiteDao sites = new SiteDao(db.jdbi);

        assertThat(sites.remove(sites.findById(shop).orElseThrow().publicKey())).isTrue();

        assertThat(members.sitesOf(ana.id())).containsOnly(entry(blog, Role.VIEWER));
    }

    @Test
    void deleting_a_user_deletes_their_memberships() {
        users.add("admin@example.com", "correct horse battery", true);
        members.set(shop, ana.id(), Role.OWNER);
        members.set(shop, bo.id(), Role.VIEWER);

        users.remove(ana.id());

        assertThat(members.members(shop)).extracting(m -> m.user().id()).containsExactly(bo.id());
        assertThat(db.count("SELECT count(*) FROM site_member WHERE user_id = ?", ana.id())).isZero();
    }
}
