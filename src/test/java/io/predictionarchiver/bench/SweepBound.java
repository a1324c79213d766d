package io.predictionarchiver.bench;

import java.time.Duration;
import java.time.Instant;
import java.util.List;

import io.predictionarchiver.simulator.LoadScenario.Planned;

/**
 * The fewest list pages that look at every running prediction of a scenario at least every {@code period}: at
 * each look, the running predictions' positions in creation order are covered greedily by windows of one page of
 * consecutive entries (optimal for intervals of equal length; {@code created_before} lets a page start anywhere,
 * so this does not charge for the pages above). A schedule whose looks at a prediction are never further apart
 * than {@code period} sees each completion at most {@code period} late; no schedule of pages does so with fewer
 * calls.
 */
final class SweepBound {

    private SweepBound() {
    }

    /** The {@code quantile} (0 to 1) of the predictions' running times. */
    static Duration runningTimeQuantile(List<Planned> plan, double quantile) {
        List<Duration> sorted = plan.stream().map(p -> Duration.between(p.createdAt(), p.completedAt())).sorted()
                .toList();
        return sorted.get((int) Math.ceil(sorted.size() * quantile) - 1);
    }

    /** Pages for looks every {@code period} from the first creation to the last completion, per prediction. */
    static double callsPerPrediction(List<Planned> creationOrder, Duration period, int pageSize) {
        return callsPerPrediction(creationOrder, period, pageSize, null);
    }

    /**
     * As {@link #callsPerPrediction(List, Duration, int)}, but looking only at running predictions younger than
     * {@code maxAge}: the cheapest way to see all but the predictions running longer than {@code maxAge} within
     * {@code period}. With {@code maxAge} the 95th percentile of running times, an estimate of what a p95 of
     * {@code period} costs (a schedule could give up on another 5%, but not on fewer).
     */
    static double callsPerPrediction(List<Planned> creationOrder, Duration period, int pageSize, Duration maxAge) {
        if (creationOrder.isEmpty()) {
            return 0;
        }
        Instant first = creationOrder.get(0).createdAt();
        Instant last = creationOrder.stream().map(Planned::completedAt).max(Instant::compareTo).orElseThrow();
        long pages = 0;
        for (Instant at = first; at.isBefore(last); at = at.plus(period)) {
            pages += pagesCoveringRunning(creationOrder, at, pageSize, maxAge);
        }
        return (double) pages / creationOrder.size();
    }

    static int pagesCoveringRunning(List<Planned> creationOrder, Instant at, int pageSize) {
        return pagesCoveringRunning(creationOrder, at, pageSize, null);
    }

    private static int pagesCoveringRunning(List<Planned> creationOrder, Instant at, int pageSize,
            Duration maxAge) {
        Instant youngestCreation = maxAge == null ? Instant.MIN : at.minus(maxAge);
        int pages = 0;
        int coveredUpTo = -1;
        for (int position = 0; position < creationOrder.size(); position++) {
            Planned prediction = creationOrder.get(position);
            boolean running = !prediction.createdAt().isAfter(at) && prediction.completedAt().isAfter(at)
                    && prediction.createdAt().isAfter(youngestCreation);
            if (running && position > coveredUpTo) {
                pages++;
                coveredUpTo = position + pageSize - 1;
            }
        }
        return pages;
    }
}
