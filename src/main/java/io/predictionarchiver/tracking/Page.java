package io.predictionarchiver.tracking;

import java.util.List;

/**
 * One page of a state listing.
 *
 * @param items      the ids in that state, in key order
 * @param nextCursor pass it back to get the next page; {@code null} on the last page. Opaque to clients.
 */
public record Page(List<TrackedView> items, String nextCursor) {

    public Page {
        items = List.copyOf(items);
    }
}
