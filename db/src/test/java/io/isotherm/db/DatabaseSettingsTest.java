package io.isotherm.db;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class DatabaseSettingsTest {

    @Test
    void translates_a_postgresql_url_with_credentials_for_jdbc() {
        var settings = DatabaseSettings.fromUrl("postgresql://isotherm:s%40cret@db.internal:5433/heat?sslmode=require", null, null, 7);
        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db.internal:5433/heat?sslmode=require");
        assertThat(settings.user()).isEqualTo("isotherm");
        assertThat(settings.password()).isEqualTo("s@cret");
        assertThat(settings.maxPoolSize()).isEqualTo(7);
    }

    @Test
    void explicit_user_and_password_override_those_in_the_url() {
        var settings = DatabaseSettings.fromUrl("postgres://a:b@db/heat", "owner", "pw", 10);
        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://db/heat");
        assertThat(settings.user()).isEqualTo("owner");
        assertThat(settings.password()).isEqualTo("pw");
    }

    @Test
    void keeps_a_jdbc_url_as_it_is() {
        var settings = DatabaseSettings.fromUrl("jdbc:postgresql://localhost:5432/isotherm", "u", "p", 10);
        assertThat(settings.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost:5432/isotherm");
    }

    @Test
    void rejects_urls_of_other_databases() {
        assertThatThrownBy(() -> DatabaseSettings.fromUrl("mysql://db/heat", null, null, 10))
                .hasMessageContaining("postgresql://");
        assertThatThrownBy(() -> DatabaseSettings.fromUrl("jdbc:mysql://db/heat", null, null, 10))
                .hasMessageContaining("jdbc:postgresql:");
    }

    @Test
    void never_prints_the_password() {
        var settings = DatabaseSettings.fromUrl("postgresql://u:topsecret@db/heat", null, null, 10);
        assertThat(settings.toString()).doesNotContain("topsecret");
    }
}
