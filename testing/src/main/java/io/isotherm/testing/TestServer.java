package io.isotherm.testing;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.javalin.Javalin;
import io.javalin.config.JavalinConfig;
import io.javalin.json.JavalinJackson;

import java.util.function.Consumer;

/**
 * The one way tests and benchmarks serve a role's routes over a real HTTP port: a Javalin server set up as the
 * launcher's platform sets it up (no banner, JSON through Jackson with a plain ObjectMapper), on a free port.
 */
public final class TestServer {
    private TestServer() {
    }

    /** Serves {@code routes} on {@code host} (127.0.0.1, or 0.0.0.0 to be reached by the machine's other addresses). */
    public static Javalin start(String host, Consumer<JavalinConfig> routes) {
        return Javalin.create(config -> {
            config.startup.showJavalinBanner = false;
            config.jsonMapper(new JavalinJackson(new ObjectMapper(), false));
            routes.accept(config);
        }).start(host, 0);
    }
}
