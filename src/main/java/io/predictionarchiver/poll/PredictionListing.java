package io.predictionarchiver.poll;

import java.time.Instant;
import java.util.List;
import java.util.Objects;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.BiFunction;
import java.util.function.Function;

import io.predictionarchiver.prediction.Prediction;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.util.retry.Retry;

/**
 * Pages the list endpoint over a creation window: the first page, then each {@code next} URL as the API sent
 * it, one page at a time and only on demand (a page is requested once the previous one has been emitted whole
 * and downstream still wants more), each page with the shared retry. Paging stops after an empty page, a page
 * without {@code next}, or a page that reaches below the window (the listing is newest first). A {@code next}
 * equal to the page just read fails rather than loop.
 */
final class PredictionListing {

    private final PredictionLister lister;
    private final Retry retry;

    PredictionListing(PredictionLister lister, Retry retry) {
        this.lister = Objects.requireNonNull(lister, "lister");
        this.retry = Objects.requireNonNull(retry, "retry");
    }

    /** Results within {@code [since, until)}, newest first as the API orders them; see the class comment. */
    Flux<Prediction> createdBetween(Instant since, Instant until) {
        // Without prefetch, since the next URL is only known once the page before it has been read. And since
        // concatMap subscribes to a page as soon as the one before completes, each page sits behind a concatMap
        // of its own, which requests nothing before downstream does (hide() keeps Reactor from short-cutting
        // that over a single value).
        return paged(since, until, (url, read) -> Flux.just(url).hide()
                .concatMap(pageUrl -> read.apply(pageUrl).flatMapIterable(ListPage::results), 0));
    }

    /**
     * The pages of everything created since {@code since}, newest first, each page's results kept within the
     * window; paging stops as for {@link #createdBetween}, so the last page emitted is the one that reached
     * {@code since} (or the end of the listing).
     */
    Flux<ListPage> pagesSince(Instant since) {
        return paged(since, null, (url, read) -> read.apply(url).flux());
    }

    private <T> Flux<T> paged(Instant since, Instant until,
            BiFunction<String, Function<String, Mono<ListPage>>, Flux<T>> perPage) {
        return Flux.defer(() -> {
            CreationWindow window = new CreationWindow(since, until);
            AtomicReference<String> nextPage = new AtomicReference<>(lister.firstPage(since, until));
            Flux<String> pageUrls = Flux.generate(sink -> {
                String url = nextPage.getAndSet(null);
                if (url == null) {
                    sink.complete();
                } else {
                    sink.next(url);
                }
            });
            return pageUrls.concatMap(url -> perPage.apply(url, pageUrl -> read(pageUrl, window, nextPage)), 0);
        });
    }

    private Mono<ListPage> read(String url, CreationWindow window, AtomicReference<String> nextPage) {
        return lister.page(url)
                .retryWhen(retry)
                .map(page -> {
                    nextPage.set(continuation(url, page, window));
                    return new ListPage(within(page, window), page.next());
                });
    }

    private static String continuation(String url, ListPage page, CreationWindow window) {
        if (page.results().isEmpty() || page.next() == null || page.results().stream().anyMatch(window::isOlder)) {
            return null;
        }
        if (page.next().equals(url)) {
            throw new ApiUnavailableException(null, "listing predictions: the next page URL the API sent is the "
                    + "page just read (" + url + "); listing stopped rather than loop", null);
        }
        return page.next();
    }

    private static List<Prediction> within(ListPage page, CreationWindow window) {
        return page.results().stream().filter(window::contains).toList();
    }
}
