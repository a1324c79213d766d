/**
 * What the archiver's two HTTP clients, the API's ({@code poll}) and the deliveries' ({@code transfer}), share
 * about the wire: {@link io.predictionarchiver.http.BodilessAnswers}, which keeps a connection whose answer
 * cannot have a body out of the pool.
 *
 * <p>Concurrency: stateless; the hook runs on the connection's event loop.
 *
 * <p>Errors: none of its own.
 */
package io.predictionarchiver.http;
