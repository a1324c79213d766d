/**
 * A Replicate-compatible HTTP server on loopback, built like OkHttp's {@code MockWebServer}, for tests,
 * {@code demo}, {@code simulate} and the benchmarks: the prediction, list and create routes of the API and the
 * delivery host, driven by named scenarios.
 *
 * <p>Entry point: {@link io.predictionarchiver.simulator.ReplicateSimulator}; besides it only the values that
 * describe a run are public ({@code SimulatorSettings}, {@code SimulatedPrediction}, {@code SimulatedFile},
 * {@code SimulatorStats}, the benchmarks' {@code LoadScenario} and {@code CompressedClock}).
 *
 * <p>Concurrency: requests are served on Reactor Netty's event loops and delays run on Reactor's parallel
 * scheduler; nothing blocks, and scenarios may be registered from any thread at any time. File bodies are
 * generated on the fly, so memory does not grow with file size.
 *
 * <p>Errors: what a scenario asks for is an HTTP answer (401, 404, 429, 5xx, a cut body), never an exception; a
 * setting out of range fails building {@code SimulatorSettings}, naming it.
 */
package io.predictionarchiver.simulator;
