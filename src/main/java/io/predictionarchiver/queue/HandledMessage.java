package io.predictionarchiver.queue;

import io.predictionarchiver.pipeline.ArchiveOutcome;

/**
 * What the consumer did with one message.
 *
 * @param messageId       the SQS message id
 * @param disposition     deleted, or left on the queue (to come back, or to go to the dead-letter queue)
 * @param archived        ids archived now
 * @param alreadyArchived ids whose manifest existed already
 * @param failed          ids that could not be archived
 * @param reason          why the message was not deleted; {@code null} when it was
 */
record HandledMessage(String messageId, Disposition disposition, int archived, int alreadyArchived, int failed,
        String reason) {

    enum Disposition {
        /** every id of it has a manifest */
        DELETED,
        /** some id could not be archived, or the work was cut short; it comes back after the retry delay */
        RETRY,
        /** it can never be worked on; left to the queue's redrive policy */
        UNREADABLE
    }

    /** Outcomes of one message's ids, added up as they arrive, so that a long list holds no list of outcomes. */
    record Tally(int archived, int alreadyArchived, int failed, String firstFailure) {

        static final Tally NONE = new Tally(0, 0, 0, null);

        Tally add(ArchiveOutcome outcome) {
            return switch (outcome.result()) {
                case ARCHIVED -> new Tally(archived + 1, alreadyArchived, failed, firstFailure);
                case ALREADY_ARCHIVED -> new Tally(archived, alreadyArchived + 1, failed, firstFailure);
                case FAILED, PLANNED -> new Tally(archived, alreadyArchived, failed + 1,
                        firstFailure != null ? firstFailure : outcome.id() + ": " + outcome.reason());
            };
        }

        /** Every id ended with a manifest in S3. */
        boolean complete() {
            return failed == 0;
        }
    }
}
