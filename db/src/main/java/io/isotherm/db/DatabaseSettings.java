package io.isotherm.db;

import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;

/**
 * Where the database is and how to log in. Accepts a JDBC URL or the {@code postgresql://user:pass@host:port/db}
 * form that docker-compose files and hosting providers hand out.
 */
public record DatabaseSettings(String jdbcUrl, String user, String password, int maxPoolSize) {

    public DatabaseSettings {
        if (jdbcUrl == null || !jdbcUrl.startsWith("jdbc:postgresql:")) {
            throw new IllegalArgumentException("database URL must start with jdbc:postgresql: or postgresql://, got " + jdbcUrl);
        }
        if (maxPoolSize < 1) {
            throw new IllegalArgumentException("pool size must be at least 1");
        }
    }

    /**
     * @param url      jdbc:postgresql://… or postgres(ql)://user:pass@host:port/db?params
     * @param user     overrides the user in the URL when not null
     * @param password overrides the password in the URL when not null
     */
    public static DatabaseSettings fromUrl(String url, String user, String password, int maxPoolSize) {
        if (url.startsWith("jdbc:")) {
            return new DatabaseSettings(url, user, password, maxPoolSize);
        }
        if (!url.startsWith("postgresql://") && !url.startsWith("postgres://")) {
            throw new IllegalArgumentException("database URL must start with jdbc:postgresql: or postgresql://, got " + url);
        }
        URI uri = URI.create(url);
        String urlUser = null;
        String urlPassword = null;
        if (uri.getRawUserInfo() != null) {
            String[] parts = uri.getRawUserInfo().split(":", 2);
            urlUser = decode(parts[0]);
            urlPassword = parts.length > 1 ? decode(parts[1]) : null;
        }
        String port = uri.getPort() > 0 ? ":" + uri.getPort() : "";
        String path = uri.getRawPath() == null || uri.getRawPath().isEmpty() ? "/postgres" : uri.getRawPath();
        String query = uri.getRawQuery() == null ? "" : "?" + uri.getRawQuery();
        String jdbc = "jdbc:postgresql://" + uri.getHost() + port + path + query;
        return new DatabaseSettings(jdbc, user != null ? user : urlUser, password != null ? password : urlPassword, maxPoolSize);
    }

    private static String decode(String s) {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }

    @Override
    public String toString() {
        return "DatabaseSettings[" + jdbcUrl + ", user=" + user + ", pool=" + maxPoolSize + "]";
    }
}
