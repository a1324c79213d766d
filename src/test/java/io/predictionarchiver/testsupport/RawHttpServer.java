package io.predictionarchiver.testsupport;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * An HTTP/1.1 server on a loopback port that writes every answer as the bytes a test chose, framing included: for
 * answers no server library sends, such as a 204 followed by a body, which a client must not read as the answer
 * to its next request on the connection. Requests are read up to the end of their head (GETs: no request
 * bodies); connections are kept alive, each served by a thread of its own, as a test server may.
 */
public final class RawHttpServer implements AutoCloseable {

    /**
     * One request as received.
     *
     * @param number     counting from 1 over every connection
     * @param connection the connection it came on, counting from 1 in the order they were accepted
     * @param target     the request target as sent, such as {@code /v1/predictions/abc}
     * @param headers    by lower-case name; the last value of a repeated header
     */
    public record Request(int number, int connection, String method, String target, Map<String, String> headers) {
    }

    private final ServerSocket socket = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
    private final List<Socket> connections = new CopyOnWriteArrayList<>();
    private final AtomicInteger requests = new AtomicInteger();
    private final Function<Request, String> answers;

    /** @param answers the bytes written for each request (UTF-8), a whole response or whatever the test wants */
    public RawHttpServer(Function<Request, String> answers) throws IOException {
        this.answers = answers;
        daemon("raw-http-accept", this::accept);
    }

    /** A well-formed answer: {@code status} with a {@code Content-Length} framing {@code body} exactly. */
    public static String response(int status, String contentType, String body) {
        return "HTTP/1.1 " + status + " Status\r\nContent-Type: " + contentType + "\r\nContent-Length: "
                + body.getBytes(StandardCharsets.UTF_8).length + "\r\n\r\n" + body;
    }

    public URI baseUrl() {
        return URI.create("http://127.0.0.1:" + socket.getLocalPort());
    }

    public int requests() {
        return requests.get();
    }

    /** Connections accepted so far. */
    public int connections() {
        return connections.size();
    }

    private static void daemon(String name, Runnable work) {
        Thread thread = new Thread(work, name);
        thread.setDaemon(true);
        thread.start();
    }

    private void accept() {
        while (!socket.isClosed()) {
            try {
                Socket connection = socket.accept();
                connections.add(connection);
                int number = connections.size();
                daemon("raw-http-connection", () -> serve(connection, number));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket connection, int number) {
        try (connection; InputStream in = connection.getInputStream();
                OutputStream out = connection.getOutputStream()) {
            for (String head = readHead(in); head != null; head = readHead(in)) {
                Request request = request(requests.incrementAndGet(), number, head);
                out.write(answers.apply(request).getBytes(StandardCharsets.UTF_8));
                out.flush();
            }
        } catch (IOException closedByTheClient) {
            // the connection ends; nothing to answer
        }
    }

    /** Reads up to the blank line that ends a request head; null at end of stream. */
    private static String readHead(InputStream in) throws IOException {
        ByteArrayOutputStream head = new ByteArrayOutputStream();
        int b;
        while ((b = in.read()) != -1) {
            head.write(b);
            String text = head.toString(StandardCharsets.ISO_8859_1);
            if (text.endsWith("\r\n\r\n")) {
                return text;
            }
        }
        return null;
    }

    private static Request request(int number, int connection, String head) {
        String[] lines = head.split("\r\n");
        String[] requestLine = lines[0].split(" ");
        Map<String, String> headers = new LinkedHashMap<>();
        for (int i = 1; i < lines.length; i++) {
            int colon = lines[i].indexOf(':');
            if (colon > 0) {
                headers.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                        lines[i].substring(colon + 1).trim());
            }
        }
        return new Request(number, connection, requestLine[0], requestLine.length > 1 ? requestLine[1] : "", headers);
    }

    @Override
    public void close() throws IOException {
        socket.close();
        for (Socket connection : connections) {
            connection.close();
        }
    }
}
