package io.predictionarchiver.faults;

import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.UnaryOperator;

import io.predictionarchiver.simulator.SimulatedPrediction;
import io.predictionarchiver.simulator.SimulatorSettings;

/**
 * One named fault that meets a whole {@code archive} run rather than one id's requests: a store or a setting
 * that refuses the run before any work (exit 2), a rejected token that stops it, a list endpoint in trouble
 * (account-wide, so on a simulator of its own). Each runs alone, so that its API calls are counted exactly.
 *
 * @param name        what is injected, as the suite lists it
 * @param predictions the run's ids, registered on the simulator it reads
 * @param simulator   the settings, beyond the suite's token, of a simulator of the run's own; {@code null}: the
 *                    suite's simulator serves it
 * @param s3Faults    rules armed on the S3 fault proxy for the run
 * @param properties  {@code archiver.*} properties replacing the suite's defaults, as {@link FaultCase#properties}
 * @param exitStatus  the run's exit status
 * @param expected    how every id of the run must end
 * @param printed     fragments that what the run printed (stderr and the log) must contain
 * @param apiCalls    whether the run may call the API at all: {@code false} for a run refused before any call
 */
record RunFault(String name, List<SimulatedPrediction> predictions, UnaryOperator<SimulatorSettings.Builder> simulator,
        Consumer<S3FaultProxy> s3Faults, Map<String, String> properties, int exitStatus, Expected expected,
        List<String> printed, boolean apiCalls) {

    /** A run refused before any work: exit 2, no API call, nothing written, the message naming what to fix. */
    static RunFault refused(String name, SimulatedPrediction.Builder prediction, String... printed) {
        return new RunFault(name, List.of(prediction.build()), null, FaultCase.NO_S3_FAULT,
                Map.of(), 2, Expected.notTried(), List.of(printed), false);
    }

    /** A run that goes ahead and ends with every id as {@code expected} says (exit 0 when archived, else 1). */
    static RunFault ending(String name, List<SimulatedPrediction.Builder> predictions, Expected expected,
            String... printed) {
        return new RunFault(name, predictions.stream().map(SimulatedPrediction.Builder::build).toList(),
                null, FaultCase.NO_S3_FAULT, Map.of(), expected.archived() ? 0 : 1, expected,
                List.of(printed), true);
    }

    /** On a simulator of its own, with these settings beyond the suite's token. */
    RunFault on(UnaryOperator<SimulatorSettings.Builder> settings) {
        return new RunFault(name, predictions, settings, s3Faults, properties, exitStatus, expected, printed,
                apiCalls);
    }

    RunFault with(Map<String, String> moreProperties) {
        return new RunFault(name, predictions, simulator, s3Faults, moreProperties, exitStatus, expected, printed,
                apiCalls);
    }

    RunFault withS3(Consumer<S3FaultProxy> faults) {
        return new RunFault(name, predictions, simulator, faults, properties, exitStatus, expected, printed,
                apiCalls);
    }

    @Override
    public String toString() {
        return name;
    }
}
