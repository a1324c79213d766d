package io.predictionarchiver.poll;

import java.util.List;

import io.predictionarchiver.prediction.Prediction;

/**
 * One page of the list endpoint as the API sent it: its results, newest first, and the {@code next} URL
 * verbatim ({@code null} on the last page).
 */
record ListPage(List<Prediction> results, String next) {

    ListPage {
        results = List.copyOf(results);
    }
}
