package io.predictionarchiver.faults;

import java.util.Map;
import java.util.function.Consumer;

import io.predictionarchiver.simulator.SimulatedPrediction;

/**
 * One named fault: the prediction scenario that carries it, the S3 faults armed on the proxy, the archiver
 * properties that differ from the suite's defaults, and what the run must end in.
 *
 * @param name       what is injected, as the suite lists it
 * @param prediction the simulated prediction (its id is unique in the suite)
 * @param s3Faults   rules armed on the S3 fault proxy before the run
 * @param properties {@code archiver.*} properties replacing the suite's defaults (an empty value removes one,
 *                   {@link FaultRun#EMPTY} passes it empty)
 * @param expected   how the id must end
 * @param requests   API calls plus delivery requests the simulator must at least have seen for the id: proof
 *                   that the fault was met, and retried where the case heals
 */
record FaultCase(String name, SimulatedPrediction prediction, Consumer<S3FaultProxy> s3Faults,
        Map<String, String> properties, Expected expected, int requests) {

    static final Consumer<S3FaultProxy> NO_S3_FAULT = proxy -> { };

    static FaultCase of(String name, SimulatedPrediction.Builder prediction, Expected expected) {
        return new FaultCase(name, prediction.build(), NO_S3_FAULT, Map.of(), expected, 1);
    }

    FaultCase with(Map<String, String> moreProperties) {
        return new FaultCase(name, prediction, s3Faults, moreProperties, expected, requests);
    }

    FaultCase withS3(Consumer<S3FaultProxy> faults) {
        return new FaultCase(name, prediction, faults, properties, expected, requests);
    }

    FaultCase seenAtLeast(int minimumRequests) {
        return new FaultCase(name, prediction, s3Faults, properties, expected, minimumRequests);
    }

    /**
     * Whether this case runs without S3 faults, and so in one run with every such case of the same properties
     * (one application start for all of them); a case with S3 faults gets a run of its own.
     */
    boolean sharesTheRun() {
        return s3Faults == NO_S3_FAULT;
    }

    @Override
    public String toString() {
        return name;
    }
}
