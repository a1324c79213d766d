package io.predictionarchiver.poll;

import java.time.Instant;
import java.util.Set;

/**
 * One tick's list read, as {@link ListPlanner} decided it: the creation time the pages reach down to, the due ids
 * that reach covers, and the due ids beyond it, which single reads serve more cheaply than pages.
 */
record ListPlan(Instant floor, Set<Watch> covered, Set<Watch> beyondReach) {

    ListPlan {
        covered = Set.copyOf(covered);
        beyondReach = Set.copyOf(beyondReach);
    }
}
