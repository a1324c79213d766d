package io.predictionarchiver.source;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;

import io.predictionarchiver.poll.ListEndpointUnavailableException;
import io.predictionarchiver.poll.PredictionPoller;
import io.predictionarchiver.prediction.InvalidPredictionIdException;
import io.predictionarchiver.prediction.PredictionId;

import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;

/**
 * Where the ids of a bulk run come from: command-line arguments and an ids file ({@code -} for standard
 * input), read by {@link IdListLine}, optionally preceded by a backfill window's ids from the list endpoint
 * ({@link #precededByBackfill}). Every id is validated before any is handed on, so a typo in line 90,000
 * stops the run before the first request rather than after hours of work. Duplicates are dropped, first
 * occurrence kept.
 */
public final class PredictionIdSource {

    private final Set<PredictionId> ids;

    private PredictionIdSource(Set<PredictionId> ids) {
        this.ids = ids;
    }

    /**
     * Reads and validates every id. Reading a file or standard input blocks, so call this before the
     * pipeline starts, never on a Reactor thread.
     *
     * @param arguments ids given as arguments
     * @param idsFile   a file of ids, {@code "-"} for {@code stdin}, or {@code null}
     * @throws InvalidIdsException naming every invalid id with where it was found, or the ids file when it is
     *                             missing or cannot be read (both are usage errors, reported before any work)
     */
    public static PredictionIdSource read(List<String> arguments, String idsFile, InputStream stdin) {
        Set<PredictionId> ids = new LinkedHashSet<>();
        List<String> problems = new ArrayList<>();
        for (int i = 0; i < arguments.size(); i++) {
            accept(arguments.get(i), "argument " + (i + 1), ids, problems);
        }
        if (idsFile != null) {
            String origin = "-".equals(idsFile) ? "stdin" : idsFile;
            try (BufferedReader reader = open(idsFile, stdin)) {
                String line;
                int number = 0;
                while ((line = reader.readLine()) != null) {
                    String where = origin + ":" + ++number;
                    IdListLine.idText(line).ifPresent(id -> accept(id, where, ids, problems));
                }
            } catch (NoSuchFileException e) {
                throw new InvalidIdsException(List.of("--ids-file " + idsFile + ": no such file"));
            } catch (IOException e) {
                String reason = e instanceof AccessDeniedException ? "permission denied" : e.getMessage();
                throw new InvalidIdsException(List.of("--ids-file " + idsFile + ": cannot be read (" + reason + ")"));
            }
        }
        if (!problems.isEmpty()) {
            throw new InvalidIdsException(problems);
        }
        return new PredictionIdSource(ids);
    }

    /**
     * The id text on one line of a list of ids (an ids file, standard input, a drop-folder object), not yet
     * validated; empty for a blank line or a {@code #} comment. Every reader of such a list reads its lines
     * here, so that all accept the same; see {@link IdListLine}.
     */
    public static Optional<String> idTextOf(String line) {
        return IdListLine.idText(line);
    }

    /**
     * These ids preceded by those of every prediction of the account created within {@code [since, until)}
     * (either end {@code null} for an open end), found through the list endpoint and ordered nearest expiry
     * first; an id in both keeps its backfill place. See {@link PredictionBackfill} for the order, the memory it
     * takes (the whole window is listed before the first id is emitted), the requests (a permit of the poller's
     * rate budget per page) and the errors ({@link ListEndpointUnavailableException} when the provider serves no
     * list endpoint, and the poller's API errors). Lazy: nothing is requested before subscription.
     */
    public Mono<PredictionIdSource> precededByBackfill(PredictionPoller poller, Instant since, Instant until) {
        return new PredictionBackfill(poller).idsCreatedBetween(since, until).map(this::precededBy);
    }

    /**
     * These ids preceded by {@code first} (a backfill's, most urgent first); an id in both keeps its place in
     * {@code first}.
     */
    PredictionIdSource precededBy(List<PredictionId> first) {
        Set<PredictionId> combined = new LinkedHashSet<>(first);
        combined.addAll(ids);
        return new PredictionIdSource(combined);
    }

    public int size() {
        return ids.size();
    }

    public List<PredictionId> ids() {
        return List.copyOf(ids);
    }

    /** The ids in the order given; each subscription replays them. */
    public Flux<PredictionId> flux() {
        return Flux.fromIterable(ids);
    }

    private static void accept(String value, String origin, Set<PredictionId> ids, List<String> problems) {
        try {
            ids.add(PredictionId.of(value));
        } catch (InvalidPredictionIdException e) {
            problems.add(origin + ": " + e.getMessage());
        }
    }

    private static BufferedReader open(String idsFile, InputStream stdin) throws IOException {
        InputStream in = "-".equals(idsFile) ? stdin : Files.newInputStream(Path.of(idsFile));
        return new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
    }
}
