package io.predictionarchiver.poll;

import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

import io.predictionarchiver.poll.Watch.Route;
import io.predictionarchiver.poll.Watch.Urgent;
import io.predictionarchiver.prediction.Prediction;

/**
 * Takes in the pages of one list refresh. Every awaited id a page shows, unless it is being read alone or waits
 * for an urgent read, learns its creation time and status from its entry: a terminal entry ends its wait, except a
 * succeeded one without {@code output} (abbreviated: its files are not in it), which gets one urgent read; a
 * running one is due again on its adaptive {@link PollSchedule}.
 *
 * <p>The ids the plan covered that the pages did not show are, after a complete refresh, missing from the list: one
 * whose creation time is not known yet gets one urgent read (which learns it), one whose creation time the pages
 * reached is read alone from then on (a straggler). After a refresh cut short (a {@code next} refused, a page
 * failing past its retries) they may lie beyond the page that could not be read: they are returned as unseen, for
 * the board to read alone this tick, and keep their route.
 *
 * <p>Called under the monitor of the {@link Watches}; completes no waiter itself.
 */
final class PageAbsorption {

    /** The waits the pages ended, each with its terminal entry, and the covered ids a cut-short refresh missed. */
    record Absorbed(Map<Watch, Prediction> ended, Set<Watch> unseen) {
    }

    private static final Logger log = LoggerFactory.getLogger(PageAbsorption.class);

    private final PollSchedule schedule;

    PageAbsorption(PollSchedule schedule) {
        this.schedule = schedule;
    }

    /** Takes in {@code pages}, read at {@code now} for {@code plan}; {@code cutShort} when the listing ended early. */
    Absorbed absorb(List<ListPage> pages, ListPlan plan, Watches watches, Instant now, boolean cutShort) {
        Map<Watch, Prediction> ended = new LinkedHashMap<>();
        Set<Watch> seen = new HashSet<>();
        for (ListPage page : pages) {
            for (Prediction entry : page.results()) {
                Watch watch = watches.get(entry.id());
                if (watch != null && watch.urgent == Urgent.NONE && !watch.reading) {
                    seen.add(watch);
                    learn(watch, entry, now, watches, ended);
                }
            }
        }
        Set<Watch> unseen = new HashSet<>();
        for (Watch missing : plan.covered()) {
            if (seen.contains(missing) || !watches.current(missing) || missing.reading) {
                continue;
            }
            if (cutShort) {
                unseen.add(missing);
            } else if (missing.createdAt == null) {
                missing.urgent = Urgent.UNLISTED;
            } else {
                log.debug("{} is not in the list although created {}; reading it alone from now on", missing.id,
                        missing.createdAt);
                missing.route = Route.STRAGGLER;
            }
        }
        return new Absorbed(ended, unseen);
    }

    private void learn(Watch watch, Prediction entry, Instant now, Watches watches, Map<Watch, Prediction> ended) {
        watch.saw(entry);
        if (entry.terminal() && abbreviated(entry)) {
            watch.urgent = Urgent.ABBREVIATED;
        } else if (entry.terminal()) {
            watches.remove(watch.id);
            ended.put(watch, entry);
        } else {
            watch.dueAgain(now, schedule);
        }
    }

    /** A succeeded list entry without its output: the files to archive are not in it. */
    private static boolean abbreviated(Prediction entry) {
        return entry.succeeded()
                && (entry.output() == null || entry.output().isNull() || entry.output().isMissingNode());
    }
}
