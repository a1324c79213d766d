package io.predictionarchiver.faults;

import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

/** The suite's running totals, one line at the end: only cases and files may be other than zero. */
final class FaultTally {

    private final AtomicLong cases = new AtomicLong();
    private final AtomicLong files = new AtomicLong();
    private final AtomicLong lost = new AtomicLong();
    private final AtomicLong partial = new AtomicLong();
    private final AtomicLong duplicates = new AtomicLong();
    private final AtomicLong forbiddenRequests = new AtomicLong();

    /** One case, with the findings of each of its ids. */
    void add(List<ArchiveInvariants.Findings> findingsById, long requestsToForbiddenHosts) {
        cases.incrementAndGet();
        for (ArchiveInvariants.Findings findings : findingsById) {
            files.addAndGet(findings.files());
            lost.addAndGet(findings.lost());
            partial.addAndGet(findings.partial());
            duplicates.addAndGet(findings.duplicates());
        }
        forbiddenRequests.addAndGet(requestsToForbiddenHosts);
    }

    String line() {
        return "fault suite: cases " + cases + ", files " + files + ", lost " + lost + ", partial " + partial
                + ", duplicates " + duplicates + ", requests to forbidden hosts " + forbiddenRequests;
    }
}
