package io.isotherm.db;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.sql.DriverManager;

import static org.assertj.core.api.Assertions.assertThat;

class EmbeddedDatabaseTest {

    @Test
    void keeps_its_data_across_a_restart(@TempDir Path dataDir) throws Exception {
        try (var db = EmbeddedDatabase.startOrAttach(dataDir)) {
            assertThat(db.owned()).isTrue();
            execute(db, "CREATE TABLE kept (v text); INSERT INTO kept VALUES ('still here')");
        }
        try (var db = EmbeddedDatabase.startOrAttach(dataDir);
             var c = DriverManager.getConnection(db.settings(1).jdbcUrl(), "postgres", null);
             var rs = c.createStatement().executeQuery("SELECT v FROM kept")) {
            assertThat(rs.next()).isTrue();
            assertThat(rs.getString(1)).isEqualTo("still here");
        }
    }

    @Test
    void attaches_to_the_server_already_running_on_the_same_directory(@TempDir Path dataDir) throws Exception {
        try (var first = EmbeddedDatabase.startOrAttach(dataDir)) {
            execute(first, "CREATE TABLE shared (v int)");
            try (var second = EmbeddedDatabase.startOrAttach(dataDir)) {
                assertThat(second.owned()).isFalse();
                assertThat(second.port()).isEqualTo(first.port());
                execute(second, "INSERT INTO shared VALUES (1)");
            }
            // closing the attached handle must not stop the owner's server
            execute(first, "INSERT INTO shared VALUES (2)");
        }
    }

    private static void execute(EmbeddedDatabase db, String sql) throws Exception {
        try (var c = DriverManager.getConnection(db.settings(1).jdbcUrl(), "postgres", null)) {
            c.createStatement().execute(sql);
        }
    }
}
