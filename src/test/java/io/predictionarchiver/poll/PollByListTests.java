package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.slf4j.LoggerFactory;
import org.springframework.web.reactive.function.client.WebClient;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.predictionarchiver.config.ApiProperties;
import io.predictionarchiver.config.ApiProvider;
import io.predictionarchiver.config.PollProperties;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;
import reactor.core.Disposable;
import reactor.core.publisher.Flux;
import reactor.test.scheduler.VirtualTimeScheduler;

/** Poll-by-list on virtual time: paging depth, fallbacks to single reads, the budget, degraded providers. */
class PollByListTests {

    private static final Duration TICK = Duration.ofSeconds(2);
    /** Virtual time starts at the epoch; the account's predictions were created before. */
    private static final Instant NOW = Instant.EPOCH;
    /** No first look by single read: what the list does, alone. */
    private static final int LIST_ALONE = 0;

    private final VirtualTimeScheduler clock = VirtualTimeScheduler.create();
    private final List<Prediction> emitted = new CopyOnWriteArrayList<>();
    private final List<Throwable> failures = new CopyOnWriteArrayList<>();
    private final List<Disposable> watching = new ArrayList<>();

    @AfterEach
    void stopWatching() {
        watching.forEach(Disposable::dispose);
        clock.dispose();
    }

    @Test
    void listPagingStopsAtTheOldestWatchedCreationTime() {
        FakeAccount account = accountOf(500, 20, null);
        PredictionPoller poller = byList(account);
        watch(poller, "p-10");
        // twenty ids on page 3 make three pages cheaper than twenty single reads
        for (int i = 41; i <= 60; i++) {
            watch(poller, "p-" + i);
        }

        clock.advanceTimeBy(TICK);
        int firstTick = account.pages().size();
        clock.advanceTimeBy(Duration.ofSeconds(30));
        List<FakeAccount.Call> later = account.pages().subList(firstTick, account.pages().size());

        // once the creation times are known, no refresh reaches below p-60 (created 60 s ago, last on page 3)
        assertThat(later).isNotEmpty().allSatisfy(page -> {
            String[] url = page.what().substring("list ".length()).split("\\|");
            assertThat(Instant.parse(url[0])).isAfterOrEqualTo(NOW.minusSeconds(61));
            assertThat(Integer.parseInt(url[1])).isLessThan(60);
        });
        assertThat(later).extracting(FakeAccount.Call::what).anyMatch(url -> url.endsWith("|40"));
        // the newest id is on the first page, which every refresh reads
        assertThat(account.reads("p-10")).isEmpty();

        account.succeed("p-10").fail("p-50");
        clock.advanceTimeBy(Duration.ofSeconds(30));
        assertThat(emitted).extracting(prediction -> prediction.id().value()).containsExactlyInAnyOrder("p-10", "p-50");
    }

    @Test
    void aDueIdTooDeepToBeWorthItsPagesIsReadAloneWhileTheListServesTheRest() {
        FakeAccount account = accountOf(500, 20, null);
        PredictionPoller poller = byList(account);
        // p-300 is on page 15: one read is cheaper than fifteen pages
        watch(poller, "p-300");
        clock.advanceTimeBy(TICK);
        account.succeed("p-300");

        // meanwhile a new prediction every tick keeps the first page due, so every tick also lists
        for (int tick = 0; tick < 60 && emitted.isEmpty(); tick++) {
            String fresh = "new-" + tick;
            account.add(fresh, Instant.ofEpochMilli(clock.now(TimeUnit.MILLISECONDS)), "processing");
            watch(poller, fresh);
            clock.advanceTimeBy(TICK);
        }

        assertThat(emitted).extracting(prediction -> prediction.id().value()).containsExactly("p-300");
        assertThat(account.reads("p-300")).isNotEmpty();
        assertThat(account.pages()).hasSizeGreaterThan(10);
    }

    @Test
    void aLookDueEveryIntervalIsListedEveryTickAlthoughThePagesTakeTime() {
        FakeAccount account = accountOf(5, 20, null).latency(Duration.ofMillis(100));
        Duration interval = Duration.ofSeconds(4);
        // old enough for its schedule (0.2 x age) to be capped at max-interval, here one list interval
        account.add("long-runner", NOW.minusSeconds(30), "processing");
        PredictionPoller poller = new PredictionPoller(account, account, new RateBudget(6000, 100, clock),
                new ListMode(true, "replicate", null), LIST_ALONE, new PollProperties(16, Duration.ofSeconds(1),
                        interval, Duration.ofHours(1), 3, Duration.ofSeconds(1), Duration.ofSeconds(5))
                        .withByList(true, interval), clock);
        watch(poller, "long-runner");

        clock.advanceTimeBy(interval.multipliedBy(10));

        // one page a tick; with looks due by the next tick only, each look would miss it and every other tick
        // would go without a page
        assertThat(account.pages()).hasSize(10);
        assertThat(account.reads("long-runner")).isEmpty();
    }

    @Test
    void aFewIdsAlreadyFinishedAreAnsweredByTheirFirstLookWithoutWaitingForATick() {
        FakeAccount account = accountOf(50, 100, null).succeed("p-3").succeed("p-40");
        PredictionPoller poller = withFirstLooks(account);
        watch(poller, "p-3", "p-40", "p-7");

        // no virtual time has passed: no tick, no page
        assertThat(emitted).extracting(prediction -> prediction.id().value()).containsExactlyInAnyOrder("p-3", "p-40");
        assertThat(account.pages()).isEmpty();
        assertThat(account.reads("p-3")).hasSize(1);

        // the one still running is then refreshed by list, not read again
        clock.advanceTimeBy(TICK.multipliedBy(5));
        account.succeed("p-7");
        clock.advanceTimeBy(TICK.multipliedBy(5));
        assertThat(emitted).extracting(prediction -> prediction.id().value()).contains("p-7");
        assertThat(account.reads("p-7")).hasSize(1);
        assertThat(account.pages()).isNotEmpty();
    }

    @Test
    void aBacklogGetsOnlyTheFirstLooksAndIsServedByTheList() {
        FakeAccount account = accountOf(300, 20, null);
        PredictionPoller poller = withFirstLooks(account);
        List<String> backlog = new ArrayList<>();
        // created within the last minute, so that the pages reach them before their creation times are known
        for (int i = 1; i <= 50; i++) {
            backlog.add("p-" + i);
        }
        watch(poller, backlog.toArray(String[]::new));

        clock.advanceTimeBy(TICK.multipliedBy(3));
        backlog.forEach(account::succeed);
        clock.advanceTimeBy(TICK.multipliedBy(3));

        assertThat(emitted).hasSize(50);
        assertThat(account.calls().size() - account.pages().size()).as("single reads")
                .isEqualTo(FirstLooks.IN_AN_APPLICATION);
        assertThat(account.pages()).as("three pages a tick, six ticks").hasSizeLessThanOrEqualTo(18);
    }

    @Test
    void noFirstLookWhileTheBudgetHasNoPermitToSpareNow() {
        RateBudget budget = new RateBudget(60, 1, clock);
        FakeAccount account = accountOf(50, 100, budget).succeed("p-2");
        budget.acquire().block();
        PredictionPoller poller = new PredictionPoller(account, account, budget, new ListMode(true, "replicate", null),
                FirstLooks.IN_AN_APPLICATION, properties(), clock);
        watch(poller, "p-2");

        clock.advanceTimeBy(TICK.multipliedBy(3));

        assertThat(emitted).extracting(prediction -> prediction.id().value()).containsExactly("p-2");
        assertThat(account.reads("p-2")).isEmpty();
    }

    @Test
    void idsAbsentFromTheListFallBackToSingleReads() {
        FakeAccount account = accountOf(50, 100, null).unlisted("p-5");
        PredictionPoller poller = byList(account);
        watch(poller, "p-5", "p-6");

        clock.advanceTimeBy(TICK);
        assertThat(account.reads("p-5")).hasSize(1);
        assertThat(account.reads("p-6")).isEmpty();

        account.succeed("p-5").succeed("p-6");
        clock.advanceTimeBy(Duration.ofMinutes(2));

        assertThat(emitted).extracting(prediction -> prediction.id().value()).containsExactlyInAnyOrder("p-5", "p-6");
        assertThat(account.reads("p-5")).hasSizeGreaterThan(1);
        assertThat(account.reads("p-6")).isEmpty();
    }

    @Test
    void anAbbreviatedTerminalEntryGetsExactlyOneRead() {
        FakeAccount account = accountOf(50, 100, null).abbreviated("p-1").abbreviated("p-2");
        PredictionPoller poller = byList(account);
        watch(poller, "p-1", "p-2");

        account.succeed("p-1").fail("p-2");
        clock.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(account.reads("p-1")).hasSize(1);
        // a failed entry has no files to miss
        assertThat(account.reads("p-2")).isEmpty();
        assertThat(emitted).filteredOn(prediction -> prediction.id().value().equals("p-1")).singleElement()
                .satisfies(prediction -> assertThat(prediction.output().asString()).endsWith("p-1.webp"));
    }

    @Test
    void theTickLoopNeverSpendsBeyondTheBudget() {
        int perMinute = 120;
        int burst = 5;
        RateBudget budget = new RateBudget(perMinute, burst, clock);
        FakeAccount account = accountOf(300, 10, budget);
        for (int i = 0; i < 400; i++) {
            // created two hours ago, far beyond the list window: every one is read alone
            account.add("old-" + i, NOW.minus(Duration.ofHours(2)).plusSeconds(i), "processing");
        }
        // with first looks: they come out of the same budget
        PredictionPoller poller = new PredictionPoller(account, account, budget, new ListMode(true, "test", null),
                FirstLooks.IN_AN_APPLICATION, properties(), clock);
        for (int i = 0; i < 400; i++) {
            watch(poller, "old-" + i);
        }
        watch(poller, "p-1", "p-150", "p-299");

        clock.advanceTimeBy(Duration.ofMinutes(10));

        assertThat(account.busiestWindow(Duration.ofMinutes(1))).isLessThanOrEqualTo(perMinute + burst);
        // the loop plans within what the budget serves by the next tick: nothing queues for longer
        assertThat(account.calls()).allMatch(call -> call.waitedMillis() <= TICK.toMillis());
        // and it does use the budget: 10 minutes at 120 a minute
        assertThat(account.calls()).hasSizeGreaterThan(1000);
        assertThat(account.pages()).isNotEmpty();
    }

    @Test
    void aListEndpointThatAnswers404TurnsPollByListOffOnceAndReadsEachId() {
        FakeAccount account = accountOf(20, 100, null);
        PredictionLister gone = new PredictionLister() {
            @Override
            public String firstPage(Instant createdAfter, Instant createdBefore) {
                return "gone";
            }

            @Override
            public reactor.core.publisher.Mono<ListPage> page(String url) {
                return reactor.core.publisher.Mono.error(ListEndpointUnavailableException.answered(
                        ApiProvider.COMETAPI, java.net.URI.create("https://api.example/list"), 404, "/list"));
            }
        };
        ListAppender<ILoggingEvent> logs = capture(StatusBoard.class);
        PredictionPoller poller = new PredictionPoller(account, gone, new RateBudget(600, 10, clock),
                new ListMode(true, "cometapi", null), LIST_ALONE, properties(), clock);
        watch(poller, "p-1", "p-2");

        clock.advanceTimeBy(TICK);
        account.succeed("p-1").succeed("p-2");
        clock.advanceTimeBy(Duration.ofMinutes(1));

        assertThat(emitted).hasSize(2);
        assertThat(account.reads("p-1")).isNotEmpty();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage)
                .filteredOn(line -> line.startsWith("poll-by-list off for cometapi"))
                .singleElement().asString().endsWith("; polling each id");
    }

    @Test
    void anAggregatorPresetWithoutAListEndpointPollsEachIdAndSaysSo() {
        ListAppender<ILoggingEvent> logs = capture(ListMode.class);
        PollProperties poll = properties();

        PredictionPoller aggregator = PredictionPoller.create(api(ApiProvider.DEERAPI), poll, WebClient.builder(),
                clock);
        PredictionPoller replicate = PredictionPoller.create(api(ApiProvider.REPLICATE), poll, WebClient.builder(),
                clock);
        PredictionPoller switchedOff = PredictionPoller.create(api(ApiProvider.REPLICATE),
                poll.withByList(false, TICK), WebClient.builder(), clock);

        assertThat(aggregator.pollsByList()).isFalse();
        assertThat(replicate.pollsByList()).isTrue();
        assertThat(switchedOff.pollsByList()).isFalse();
        assertThat(logs.list).extracting(ILoggingEvent::getFormattedMessage).contains(
                "poll-by-list off for deerapi: archiver.api.provider=deerapi has no known list endpoint (set "
                        + "archiver.api.list-path if it serves one); polling each id",
                "poll-by-list off for replicate: archiver.poll.by-list=false; polling each id");
    }

    @Test
    void aTerminalPredictionSettledFromOutsideEndsTheWaitWithoutAnyCall() {
        FakeAccount account = accountOf(10, 100, null);
        PredictionPoller poller = byList(account);
        watch(poller, "p-3");
        Prediction delivered = Prediction.from(JsonMapperHolder.terminal("p-3"));

        assertThat(poller.settle(delivered)).isTrue();
        clock.advanceTimeBy(TICK.multipliedBy(3));

        assertThat(emitted).containsExactly(delivered);
        assertThat(account.calls()).isEmpty();
    }

    /** {@code count} predictions {@code p-1} (newest, 1 s old) to {@code p-count}, all processing. */
    private FakeAccount accountOf(int count, int pageSize, RateBudget budget) {
        FakeAccount account = new FakeAccount(clock, pageSize, budget);
        for (int i = 1; i <= count; i++) {
            account.add("p-" + i, NOW.minusSeconds(i), "processing");
        }
        return account;
    }

    private PredictionPoller byList(FakeAccount account) {
        return new PredictionPoller(account, account, new RateBudget(6000, 100, clock),
                new ListMode(true, "replicate", null), LIST_ALONE, properties(), clock);
    }

    /** As an application builds it: a first look by single read at each new id while only a few are awaited. */
    private PredictionPoller withFirstLooks(FakeAccount account) {
        return new PredictionPoller(account, account, new RateBudget(6000, 100, clock),
                new ListMode(true, "replicate", null), FirstLooks.IN_AN_APPLICATION, properties(), clock);
    }

    private void watch(PredictionPoller poller, String... ids) {
        watching.add(Flux.fromArray(ids).map(PredictionId::of)
                .flatMap(id -> poller.awaitTerminal(id).doOnError(failures::add).onErrorComplete())
                .subscribe(emitted::add));
    }

    private static PollProperties properties() {
        return new PollProperties(16, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofHours(1), 3,
                Duration.ofSeconds(1), Duration.ofSeconds(5)).withByList(true, TICK);
    }

    private static ApiProperties api(ApiProvider provider) {
        return new ApiProperties(provider, null, null, null, "token", 600, 10, Duration.ofSeconds(5));
    }

    private static ListAppender<ILoggingEvent> capture(Class<?> type) {
        ListAppender<ILoggingEvent> logs = new ListAppender<>();
        logs.start();
        ((Logger) LoggerFactory.getLogger(type)).addAppender(logs);
        return logs;
    }

    /** A terminal body as a webhook would carry it. */
    private static final class JsonMapperHolder {
        static tools.jackson.databind.JsonNode terminal(String id) {
            return tools.jackson.databind.json.JsonMapper.builder().build().createObjectNode().put("id", id)
                    .put("status", "succeeded").put("output", "https://replicate.delivery/x.webp");
        }
    }
}
