package io.predictionarchiver.bench;

import java.util.List;

/** The mean and the 95th percentile (nearest rank) of a benchmark's measurements; both NaN when there are none. */
record Spread(double mean, double p95) {

    static Spread of(List<Double> values) {
        if (values.isEmpty()) {
            return new Spread(Double.NaN, Double.NaN);
        }
        List<Double> sorted = values.stream().sorted().toList();
        return new Spread(sorted.stream().mapToDouble(Double::doubleValue).average().orElseThrow(),
                sorted.get((int) Math.ceil(sorted.size() * 0.95) - 1));
    }
}
