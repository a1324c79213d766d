package io.predictionarchiver.daemon;

import java.time.Instant;
import java.util.List;

import io.predictionarchiver.tracking.Page;
import io.predictionarchiver.tracking.TrackedView;

import com.fasterxml.jackson.annotation.JsonProperty;

/** The JSON shapes of {@code /v1/tracked} (snake_case, every member present, {@code null} when unset). */
final class TrackedJson {

    private TrackedJson() {
    }

    /** {@code GET /v1/tracked/{id}}. */
    record Tracked(String id, String state,
            @JsonProperty("archive_state") String archiveState,
            @JsonProperty("manifest_key") String manifestKey,
            String reason, int attempts,
            @JsonProperty("updated_at") Instant updatedAt) {

        static Tracked of(TrackedView view) {
            return new Tracked(view.id().value(), view.state().json(), view.archiveState(), view.manifestKey(),
                    view.reason(), view.attempts(), view.updatedAt());
        }
    }

    /** {@code GET /v1/tracked?state=}: pass {@code next_cursor} back as {@code cursor}; absent on the last page. */
    record Listing(List<Tracked> items, @JsonProperty("next_cursor") String nextCursor) {

        static Listing of(Page page) {
            return new Listing(page.items().stream().map(Tracked::of).toList(), page.nextCursor());
        }
    }

    /** An id refused, and why. */
    record Rejected(String id, String reason) {
    }

    /** {@code POST /v1/tracked}: every accepted id is durable. */
    record Accepted(List<String> accepted, List<Rejected> rejected) {
    }
}
