package io.predictionarchiver.poll;

import java.time.Instant;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;

import reactor.core.publisher.Mono;

/**
 * A list endpoint without HTTP: each page URL answers the outcomes scripted for it (a {@link ListPage} or a
 * {@link RuntimeException} to fail with), one per attempt, repeating the last; every attempt is recorded.
 */
final class ScriptedLister implements PredictionLister {

    static final String FIRST_PAGE = "page-1";

    private final Map<String, Queue<Object>> outcomes = new ConcurrentHashMap<>();
    private final List<String> requested = new CopyOnWriteArrayList<>();
    private final List<String> windows = new CopyOnWriteArrayList<>();

    ScriptedLister answer(String url, Object... attempts) {
        outcomes.put(url, new ArrayDeque<>(Arrays.asList(attempts)));
        return this;
    }

    /** Page URLs in the order they were attempted, retries included. */
    List<String> requested() {
        return requested;
    }

    /** {@code createdAfter..createdBefore} of each first-page URL asked for. */
    List<String> windows() {
        return windows;
    }

    @Override
    public String firstPage(Instant createdAfter, Instant createdBefore) {
        windows.add(createdAfter + ".." + createdBefore);
        return FIRST_PAGE;
    }

    @Override
    public Mono<ListPage> page(String url) {
        return Mono.defer(() -> {
            requested.add(url);
            Queue<Object> queue = outcomes.get(url);
            if (queue == null) {
                return Mono.error(new AssertionError("no page scripted for " + url));
            }
            Object outcome = queue.size() > 1 ? queue.poll() : queue.peek();
            return outcome instanceof ListPage page ? Mono.just(page) : Mono.error((RuntimeException) outcome);
        });
    }
}
