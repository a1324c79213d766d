package io.predictionarchiver.daemon;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.predictionarchiver.pipeline.ArchiveOutcome;
import io.predictionarchiver.prediction.Prediction;
import io.predictionarchiver.prediction.PredictionId;

/** A {@link WorkObserver} that writes down what it hears, in order, as "{@code event id}". */
final class HeardEvents implements WorkObserver {

    final List<String> events = new CopyOnWriteArrayList<>();

    @Override
    public void terminal(Prediction prediction) {
        events.add("terminal " + prediction.id());
    }

    @Override
    public void transferring(Prediction prediction) {
        events.add("transferring " + prediction.id());
    }

    @Override
    public void archived(ArchiveOutcome outcome) {
        events.add("archived " + outcome.id());
    }

    @Override
    public void retrying(ArchiveOutcome outcome) {
        events.add("retrying " + outcome.id());
    }

    @Override
    public void failed(ArchiveOutcome outcome) {
        events.add("failed " + outcome.id());
    }

    @Override
    public void finished(PredictionId id) {
        events.add("finished " + id);
    }
}
