package io.predictionarchiver.cli;

import java.time.Duration;

import reactor.netty.http.client.HttpClient;

/**
 * Run in a JVM of its own by {@link ProcessExitTests}: uses Reactor Netty's shared event loops as the API and
 * delivery clients do, shuts them down as {@link Main#main} does after a command, and exits 0 only when no thread
 * of theirs is left (one would sit in native code and hold the JVM's exit for up to 300 ms).
 */
final class SharedEventLoopsAtExit {

    private SharedEventLoopsAtExit() {
    }

    public static void main(String[] args) {
        // a refused connection is enough: it starts the loops
        HttpClient.create().get().uri("http://127.0.0.1:1/").response().onErrorComplete()
                .block(Duration.ofSeconds(10));
        boolean started = loopThreads() > 0;
        Main.shutDownSharedEventLoops();
        long left = loopThreads();
        System.out.println("loop threads started " + started + ", left " + left);
        System.exit(started && left == 0 ? 0 : 1);
    }

    private static long loopThreads() {
        return Thread.getAllStackTraces().keySet().stream()
                .filter(thread -> thread.isAlive() && thread.getName().startsWith("reactor-http-"))
                .count();
    }
}
