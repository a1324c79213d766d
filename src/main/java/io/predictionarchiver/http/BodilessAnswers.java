package io.predictionarchiver.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import io.netty.handler.codec.http.HttpStatusClass;

import reactor.netty.http.client.HttpClient;

/**
 * A 1xx, 204 or 304 ends with its headers whatever the server sends next, so bytes a broken or hostile server
 * writes after one (a "body") would be read as the answer to the next request on the connection, even as a
 * whole response of the server's choosing (another prediction, another file). A client given to
 * {@link #closeConnectionAfter} closes such a connection after its answer instead of pooling it; a working API
 * or delivery host never answers a GET with one of these, so that costs nothing.
 */
public final class BodilessAnswers {

    private BodilessAnswers() {
    }

    /** {@code client}, closing every connection whose answer cannot have a body. */
    public static HttpClient closeConnectionAfter(HttpClient client) {
        return client.doOnResponse((response, connection) -> {
            if (hasNoBodyByDefinition(response.status())) {
                connection.markPersistent(false);
            }
        });
    }

    static boolean hasNoBodyByDefinition(HttpResponseStatus status) {
        return status.codeClass() == HttpStatusClass.INFORMATIONAL || status.code() == 204 || status.code() == 304;
    }
}
