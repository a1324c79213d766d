package io.predictionarchiver.poll;

/**
 * First looks: while fewer than {@code limit} ids ({@value #IN_AN_APPLICATION} in an application) are awaited, a
 * newly registered id is read alone at once, when the budget has a permit for it now (the read is a call like any
 * other, taken from the same budget). A script's handful of ids that are already finished is answered by that one
 * read, the whole record the manifest needs, instead of waiting for the first tick and then reading it anyway. Beyond
 * that many, ids wait for the pages, which serve a hundred a call: a backlog costs at most {@code limit} reads more
 * than by list alone.
 *
 * <p>A first look that fails for want of the API (retries exhausted) only leaves the id to the list, as it would have
 * been without the first look; a 404 or a rejected token ends the wait as any read does.
 */
record FirstLooks(int limit) {

    /** An application's limit: a script's handful of ids, far below a page of the list. */
    static final int IN_AN_APPLICATION = 8;

    FirstLooks {
        if (limit < 0) {
            throw new IllegalArgumentException("first looks >= 0 required but it was " + limit);
        }
    }

    /**
     * Whether a new id, registered while {@code awaited} others are, is read at once. Not when the budget is out of
     * permits: a read that would wait on credit is no quicker than the first tick, and would queue ahead of its reads.
     */
    boolean lookNow(int awaited, long permitsNow) {
        return awaited < limit && permitsNow > 0;
    }

    /** Whether a first look that failed with {@code error} leaves the id to the list instead of ending its wait. */
    static boolean givesWayToTheList(Throwable error) {
        return error instanceof ApiUnavailableException;
    }
}
