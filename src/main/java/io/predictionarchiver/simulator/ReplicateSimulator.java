package io.predictionarchiver.simulator;

import java.net.URI;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicReference;

import org.springframework.http.HttpStatus;
import org.springframework.http.server.reactive.HttpHandler;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import org.springframework.web.reactive.function.server.ServerResponse;

import reactor.core.scheduler.Schedulers;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;
import reactor.netty.resources.LoopResources;

/**
 * A Replicate-compatible HTTP server on 127.0.0.1, for tests, {@code demo}, {@code simulate} and benchmarks;
 * built like OkHttp's {@code MockWebServer}: {@link #register register} named scenarios
 * ({@link SimulatedPrediction}), point a client at {@link #baseUrl()}, then read {@link #stats()}.
 *
 * <p>Routes, all on {@link #baseUrl()}:
 * <ul>
 * <li>{@code GET /v1/predictions/{id}} and {@code GET /replicate/v1/predictions/{id}}: the prediction object,
 * progressing with polls or with the clock of {@link SimulatorSettings#clock()}; {@code Authorization: Bearer
 * <token>} required (401 otherwise); unknown ids 404 {@code {"detail":"Not found."}}; ids starting with
 * {@code sim-} exist without registration, their behaviour derived from the id
 * ({@link SimulatorSettings.AutoPredictions}).</li>
 * <li>{@code GET /v1/predictions}: newest first, {@code cursor} pagination both ways ({@code next} and
 * {@code previous}, as Replicate's pages), {@code created_after} and {@code created_before}; results without
 * {@code logs}.</li>
 * <li>{@code POST /v1/predictions} (and {@code POST /v1/models/{owner}/{name}/predictions}): 201 with a new
 * generated prediction showing the request's {@code input}, which then runs like an unregistered {@code sim-} id;
 * so the official clients' {@code run()} and {@code wait()} work against it. {@code POST
 * /v1/predictions/{id}/cancel} cancels a prediction still running ({@code urls.cancel}); {@code urls.stream} is
 * not advertised, there are no server-sent events.</li>
 * <li>{@code GET /delivery/<host>/<path>}: output files, generated on the fly ({@link GeneratedContent}), with
 * {@code Content-Length} unless the scenario is chunked; 404 before success and after expiry.</li>
 * </ul>
 *
 * <p>Threading: requests are served on Reactor Netty's event loops, delays run on Reactor's parallel scheduler;
 * nothing blocks. {@link #register} may be called at any time from any thread; a scenario registered under an
 * id already known replaces it. Memory: each delivery stream holds one 16 KiB scratch array plus at most 2 MiB of
 * chunks the network has not yet taken, whatever the file size.
 */
public final class ReplicateSimulator implements AutoCloseable {

    private static final Duration SHUTDOWN_TIMEOUT = Duration.ofSeconds(5);

    private final SimulatorSettings settings;
    private final DisposableServer server;
    private final LoopResources loops;
    private final URI baseUrl;
    private final ScenarioRegistry registry;
    private final SimulatorStats stats;

    private ReplicateSimulator(SimulatorSettings settings, DisposableServer server, LoopResources loops, URI baseUrl,
            ScenarioRegistry registry, SimulatorStats stats) {
        this.settings = settings;
        this.server = server;
        this.loops = loops;
        this.baseUrl = baseUrl;
        this.registry = registry;
        this.stats = stats;
    }

    /**
     * Binds 127.0.0.1:{@code settings.port()} (a free port when 0) and returns once the server accepts
     * connections, typically within milliseconds: the one blocking call, like {@code MockWebServer.start()}, so
     * call it from a test or command thread, never from an event loop. Fails with {@link IllegalStateException}
     * naming the port when it cannot bind.
     */
    public static ReplicateSimulator start(SimulatorSettings settings) {
        ScenarioRegistry registry = new ScenarioRegistry(settings.clock(), settings.expiryAfterCompletion(),
                settings.autoPredictions());
        SimulatorStats stats = new SimulatorStats();
        // the routes render absolute URLs, so they are built once the bound port is known
        AtomicReference<HttpHandler> routes = new AtomicReference<>();
        HttpHandler startingUp = (request, response) -> {
            HttpHandler ready = routes.get();
            if (ready != null) {
                return ready.handle(request, response);
            }
            response.setStatusCode(HttpStatus.SERVICE_UNAVAILABLE);
            return response.setComplete();
        };
        // loops of its own: the global ones belong to whatever else runs in this JVM (a daemon's application
        // context disposes them when it closes), and the simulator must outlive it
        LoopResources loops = LoopResources.create("simulator", 2, true);
        DisposableServer server;
        try {
            server = HttpServer.create()
                    .runOn(loops)
                    .host("127.0.0.1")
                    .port(settings.port())
                    .handle(new ReactorHttpHandlerAdapter(startingUp))
                    .bindNow();
        } catch (RuntimeException e) {
            loops.dispose();
            throw new IllegalStateException("simulator could not bind 127.0.0.1:" + settings.port(), e);
        }
        URI baseUrl = URI.create("http://127.0.0.1:" + server.port());
        routes.set(RouterFunctions.toHttpHandler(router(settings, registry, stats, baseUrl)));
        return new ReplicateSimulator(settings, server, loops, baseUrl, registry, stats);
    }

    private static RouterFunction<ServerResponse> router(SimulatorSettings settings, ScenarioRegistry registry,
            SimulatorStats stats, URI baseUrl) {
        ApiHandler api = new ApiHandler(settings, registry, stats, baseUrl);
        DeliveryHandler delivery = new DeliveryHandler(settings, registry, stats, Schedulers.parallel());
        return RouterFunctions.route()
                .GET("/v1/predictions/{id}", api::get)
                .GET("/replicate/v1/predictions/{id}", api::get)
                .GET("/v1/predictions", api::list)
                .GET("/replicate/v1/predictions", api::list)
                .POST("/v1/predictions", api::create)
                .POST("/v1/models/{owner}/{name}/predictions", api::create)
                .POST("/v1/predictions/{id}/cancel", api::cancel)
                .GET("/delivery/**", delivery::get)
                .build();
    }

    /** {@code http://127.0.0.1:<port>}: the API base URL and the host of every simulated delivery URL. */
    public URI baseUrl() {
        return baseUrl;
    }

    public SimulatorSettings settings() {
        return settings;
    }

    /** Adds or replaces the scenario for {@code prediction.id()}; created now unless it says otherwise. */
    public void register(SimulatedPrediction prediction) {
        registry.register(prediction);
    }

    /**
     * Load mode: registers every prediction of {@code load} as created from {@code start} on (see
     * {@link LoadScenario}) and returns them in creation order.
     */
    public List<LoadScenario.Planned> load(LoadScenario load, Instant start) {
        List<LoadScenario.Planned> planned = load.plan(start);
        planned.forEach(prediction -> registry.register(load.scenario(prediction)));
        return planned;
    }

    /**
     * The scenario answering {@code id}: a registered one, or the one an unregistered {@code sim-} id stands for
     * (which then counts as created now); empty for any other id.
     */
    public Optional<SimulatedPrediction> prediction(String id) {
        return registry.find(id).map(PredictionRun::scenario);
    }

    public SimulatorStats stats() {
        return stats;
    }

    /** A human summary: where it listens, ids to try, and the archiver options that accept its URLs. */
    public String describe() {
        String example = ScenarioRegistry.AUTO_PREFIX + "example-1";
        // the configured token is a secret like any other: it is never printed
        String token = settings.expectedToken() == null ? "test" : "<the configured token>";
        return String.join(System.lineSeparator(),
                "Replicate simulator listening on " + baseUrl,
                "  GET " + baseUrl + "/v1/predictions/{id}   (also /replicate/v1/predictions/{id})",
                "  GET " + baseUrl + "/v1/predictions        (list, newest first)",
                "  POST " + baseUrl + "/v1/predictions       (create: {\"version\": \"...\", \"input\": {...}})",
                "  any id starting with '" + ScenarioRegistry.AUTO_PREFIX + "' exists, e.g. " + example,
                "  bearer token: " + (settings.expectedToken() == null ? "any non-empty one" : "the configured one"),
                "  try: curl -H 'Authorization: Bearer " + token + "' " + baseUrl + "/v1/predictions/" + example,
                "Point the archiver at it with:",
                "  --archiver.api.base-url=" + baseUrl + " --archiver.api.token=" + token
                        + " --archiver.download.allowed-hosts=127.0.0.1 --archiver.download.allow-http=true"
                        + " --archiver.download.allow-private-networks=true");
    }

    /** Stops listening and closes open connections; streams in flight fail on the client side. */
    @Override
    public void close() {
        server.disposeNow(SHUTDOWN_TIMEOUT);
        loops.disposeLater().block(SHUTDOWN_TIMEOUT);
    }
}
