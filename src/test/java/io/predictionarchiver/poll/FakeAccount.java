package io.predictionarchiver.poll;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

/**
 * An account's predictions behind both seams, without HTTP: the list (newest first, {@code created_after},
 * offset pages) and single reads. Statuses change when a test says so. Each call optionally waits for a permit
 * of a {@link RateBudget} first; every call is recorded with the virtual time it started at and how long it
 * waited for its permit.
 */
final class FakeAccount implements PredictionLister, PredictionFetcher {

    /** One call as the API saw it. */
    record Call(String what, long startedAtMillis, long waitedMillis) {
    }

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    private final Scheduler clock;
    private final int pageSize;
    private final RateBudget budget;
    private final Map<String, ObjectNode> predictions = new ConcurrentHashMap<>();
    private final Set<String> unlisted = ConcurrentHashMap.newKeySet();
    private final Set<String> abbreviated = ConcurrentHashMap.newKeySet();
    private final List<Call> calls = new CopyOnWriteArrayList<>();
    private Duration latency = Duration.ZERO;

    FakeAccount(Scheduler clock, int pageSize, RateBudget budget) {
        this.clock = clock;
        this.pageSize = pageSize;
        this.budget = budget;
    }

    FakeAccount add(String id, Instant createdAt, String status) {
        predictions.put(id, MAPPER.createObjectNode().put("id", id).put("status", status)
                .put("created_at", createdAt.toString()));
        return this;
    }

    /** Ends {@code id}: succeeded with one output URL (which its list entry omits when abbreviated). */
    FakeAccount succeed(String id) {
        predictions.get(id).put("status", "succeeded").put("output", "https://replicate.delivery/" + id + ".webp");
        return this;
    }

    FakeAccount fail(String id) {
        predictions.get(id).put("status", "failed").putNull("output");
        return this;
    }

    /** Every call answers {@code latency} after its permit, on the virtual clock, as a real API does. */
    FakeAccount latency(Duration latency) {
        this.latency = latency;
        return this;
    }

    /** The list never shows {@code id}; single reads do. */
    FakeAccount unlisted(String id) {
        unlisted.add(id);
        return this;
    }

    /** The list shows {@code id} without its {@code output} field. */
    FakeAccount abbreviated(String id) {
        abbreviated.add(id);
        return this;
    }

    List<Call> calls() {
        return calls;
    }

    List<Call> reads(String id) {
        return calls.stream().filter(call -> call.what().equals("get " + id)).toList();
    }

    List<Call> pages() {
        return calls.stream().filter(call -> call.what().startsWith("list ")).toList();
    }

    @Override
    public String firstPage(Instant createdAfter, Instant createdBefore) {
        return (createdAfter == null ? "-" : createdAfter.toString()) + "|0";
    }

    @Override
    public Mono<ListPage> page(String url) {
        return permit("list " + url).map(ignored -> {
            String[] parts = url.split("\\|");
            Instant after = parts[0].equals("-") ? null : Instant.parse(parts[0]);
            int offset = Integer.parseInt(parts[1]);
            List<ObjectNode> matching = predictions.values().stream()
                    .filter(body -> !unlisted.contains(body.path("id").asString()))
                    .filter(body -> after == null || created(body).isAfter(after))
                    .sorted(Comparator.comparing(FakeAccount::created).reversed())
                    .toList();
            List<Prediction> results = new ArrayList<>();
            for (ObjectNode body : matching.subList(Math.min(offset, matching.size()),
                    Math.min(offset + pageSize, matching.size()))) {
                ObjectNode entry = body.deepCopy();
                if (abbreviated.contains(entry.path("id").asString())) {
                    entry.remove("output");
                }
                results.add(Prediction.from(entry, Prediction.Origin.LIST));
            }
            String next = offset + pageSize < matching.size() ? parts[0] + "|" + (offset + pageSize) : null;
            return new ListPage(results, next);
        });
    }

    @Override
    public Mono<Prediction> fetch(PredictionId id) {
        return permit("get " + id.value()).map(ignored -> Prediction.from(predictions.get(id.value()).deepCopy()));
    }

    private Mono<Long> permit(String what) {
        return Mono.defer(() -> {
            long askedAt = clock.now(TimeUnit.MILLISECONDS);
            Mono<Void> wait = budget == null ? Mono.empty() : budget.acquire();
            Mono<Long> call = wait.then(Mono.fromCallable(() -> {
                long now = clock.now(TimeUnit.MILLISECONDS);
                calls.add(new Call(what, now, now - askedAt));
                return now;
            }));
            return latency.isZero() ? call : call.delayElement(latency, clock);
        });
    }

    /** The most calls that started within any {@code window} (a sliding window over the recorded starts). */
    long busiestWindow(Duration window) {
        List<Long> starts = calls.stream().map(Call::startedAtMillis).sorted().toList();
        long most = 0;
        int first = 0;
        for (int last = 0; last < starts.size(); last++) {
            while (starts.get(last) - starts.get(first) >= window.toMillis()) {
                first++;
            }
            most = Math.max(most, last - first + 1);
        }
        return most;
    }

    private static Instant created(ObjectNode body) {
        return Instant.parse(body.path("created_at").asString());
    }
}
