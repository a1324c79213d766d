package io.predictionarchiver.daemon;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.PredictionArchiverApplication;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;
import org.springframework.boot.web.server.context.WebServerApplicationContext;
import org.springframework.context.ApplicationContextInitializer;
import org.springframework.context.ConfigurableApplicationContext;
import org.springframework.test.web.reactive.server.WebTestClient;

/** A daemon application context on a random port, and a client for its HTTP API. */
final class RunningDaemon implements AutoCloseable {

    private final ConfigurableApplicationContext context;
    private final WebTestClient client;

    private RunningDaemon(ConfigurableApplicationContext context) {
        this.context = context;
        int port = ((WebServerApplicationContext) context).getWebServer().getPort();
        this.client = WebTestClient.bindToServer().baseUrl("http://127.0.0.1:" + port)
                .responseTimeout(Duration.ofSeconds(30)).build();
    }

    /** A daemon whose context {@code initializer} prepares before it starts (to add a bean post-processor). */
    static RunningDaemon start(List<String> propertyArguments,
            ApplicationContextInitializer<ConfigurableApplicationContext> initializer) {
        List<String> args = new ArrayList<>(propertyArguments);
        args.add("--server.port=0");
        args.add("--server.address=127.0.0.1");
        return new RunningDaemon(new SpringApplicationBuilder(PredictionArchiverApplication.class)
                .web(WebApplicationType.REACTIVE)
                .registerShutdownHook(false)
                .initializers(initializer)
                .run(args.toArray(String[]::new)));
    }

    WebTestClient client() {
        return client;
    }

    <T> T bean(Class<T> type) {
        return context.getBean(type);
    }

    ConfigurableApplicationContext context() {
        return context;
    }

    @Override
    public void close() {
        context.close();
    }
}
