package io.predictionarchiver.simulator;

import java.time.Clock;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.SplittableRandom;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.regex.Pattern;

import io.predictionarchiver.simulator.SimulatedPrediction.Outcome;
import io.predictionarchiver.simulator.SimulatorSettings.AutoPredictions;

import tools.jackson.databind.JsonNode;

/**
 * The dispatcher: which run answers a prediction id or a delivery path. Registered scenarios win; an unknown
 * id starting with {@value #AUTO_PREFIX} becomes a generated scenario derived from its hash the first time it
 * is asked for, so benchmarks can use any number of ids without registering them. Thread-safe.
 */
final class ScenarioRegistry {

    static final String AUTO_PREFIX = "sim-";

    private static final String GENERATED_DELIVERY_PREFIX = "/delivery/replicate.delivery/sim/";
    private static final String ID_ALPHABET = "abcdefghijklmnopqrstuvwxyz0123456789";
    private static final int ID_LENGTH = 26;
    private static final Pattern VALID_ID = Pattern.compile("[A-Za-z0-9_-]{1,64}");

    /** A delivery path resolved to the file it serves and the run that owns it. */
    record DeliveryTarget(PredictionRun run, SimulatedFile file) {
    }

    private final Clock clock;
    private final Duration expiry;
    private final AutoPredictions auto;
    private final ConcurrentMap<String, PredictionRun> runs = new ConcurrentHashMap<>();
    private final ConcurrentMap<String, DeliveryTarget> deliveries = new ConcurrentHashMap<>();

    ScenarioRegistry(Clock clock, Duration expiry, AutoPredictions auto) {
        this.clock = clock;
        this.expiry = expiry;
        this.auto = auto;
    }

    void register(SimulatedPrediction scenario) {
        PredictionRun run = new PredictionRun(scenario, clock.instant(), expiry);
        PredictionRun replaced = runs.put(run.id(), run);
        if (replaced != null) {
            deliveries.values().removeIf(target -> target.run() == replaced);
        }
        index(run);
    }

    /**
     * {@code POST /v1/predictions}: a new generated prediction under a fresh Replicate-like id, created now, that
     * behaves as an unregistered {@code sim-} id does (timing, files, outcome from the id's hash) and shows the
     * request's {@code input}, {@code model} and {@code version}.
     */
    PredictionRun create(JsonNode input, String model, String version) {
        String id;
        do {
            id = newId();
        } while (runs.containsKey(id));
        register(autoScenario(id).toBuilder().created(input, model, version).build());
        return runs.get(id);
    }

    /** The run for {@code id}: registered, or generated now for a {@code sim-} id; empty when unknown. */
    Optional<PredictionRun> find(String id) {
        PredictionRun run = runs.get(id);
        if (run != null || !id.startsWith(AUTO_PREFIX) || !VALID_ID.matcher(id).matches()) {
            return Optional.ofNullable(run);
        }
        PredictionRun created = new PredictionRun(autoScenario(id), clock.instant(), expiry);
        PredictionRun winner = runs.putIfAbsent(id, created);
        if (winner != null) {
            return Optional.of(winner);
        }
        index(created);
        return Optional.of(created);
    }

    Optional<DeliveryTarget> delivery(String path) {
        DeliveryTarget target = deliveries.get(path);
        if (target != null || !path.startsWith(GENERATED_DELIVERY_PREFIX)) {
            return Optional.ofNullable(target);
        }
        String rest = path.substring(GENERATED_DELIVERY_PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash <= 0) {
            return Optional.empty();
        }
        return find(rest.substring(0, slash)).map(run -> deliveries.get(path));
    }

    /** Every run known so far, newest first (ties broken by id, descending), as the list endpoint orders. */
    List<PredictionRun> newestFirst() {
        return runs.values().stream()
                .sorted(Comparator.comparing(PredictionRun::createdAt).thenComparing(PredictionRun::id).reversed())
                .toList();
    }

    /** The scenario an unregistered {@code sim-} id stands for: the same id gives the same scenario. */
    SimulatedPrediction autoScenario(String id) {
        SplittableRandom random = new SplittableRandom(FixtureLibrary.seedOf(id));
        long minMillis = auto.minCompletion().toMillis();
        long completionMillis = minMillis + random.nextLong(auto.maxCompletion().toMillis() - minMillis + 1);
        int files = random.nextInt(auto.minFiles(), auto.maxFiles() + 1);
        long size = auto.minFileSize() + random.nextLong(auto.maxFileSize() - auto.minFileSize() + 1);
        boolean failed = random.nextDouble() < auto.failureRate();
        return SimulatedPrediction.generated(id)
                .completesAfter(Duration.ofMillis(completionMillis))
                .outcome(failed ? Outcome.FAILED : Outcome.SUCCEEDED)
                .files(files)
                .fileSize(size)
                .contentType(auto.contentType())
                .build();
    }

    /** 26 lowercase letters and digits, as Replicate's ids look. */
    private static String newId() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        StringBuilder id = new StringBuilder(ID_LENGTH);
        for (int i = 0; i < ID_LENGTH; i++) {
            id.append(ID_ALPHABET.charAt(random.nextInt(ID_ALPHABET.length())));
        }
        return id.toString();
    }

    private void index(PredictionRun run) {
        run.files().forEach(file -> deliveries.put(file.path(), new DeliveryTarget(run, file)));
    }
}
