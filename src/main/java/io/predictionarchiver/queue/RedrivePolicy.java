package io.predictionarchiver.queue;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * A queue's {@code RedrivePolicy} attribute: SQS moves a message to the dead-letter queue
 * {@code deadLetterTargetArn} ({@code arn:aws:sqs:{region}:{account}:{name}}) when a receive would be its
 * {@code maxReceiveCount + 1}th.
 */
record RedrivePolicy(String deadLetterTargetArn, int maxReceiveCount) {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    /** @throws IllegalStateException naming the queue when {@code json} is not a redrive policy */
    static RedrivePolicy parse(String queueUrl, String json) {
        try {
            JsonNode policy = MAPPER.readTree(json);
            String arn = policy.path("deadLetterTargetArn").asString("");
            int maxReceiveCount = policy.path("maxReceiveCount").asInt(0);
            if (arn.split(":").length == 6 && maxReceiveCount > 0) {
                return new RedrivePolicy(arn, maxReceiveCount);
            }
        } catch (JacksonException notJson) {
            // reported below with the rest
        }
        throw new IllegalStateException("redrive policy of " + queueUrl + " names no dead-letter queue ARN and"
                + " maxReceiveCount: " + json);
    }

    String deadLetterQueueName() {
        return deadLetterTargetArn.split(":")[5];
    }

    String deadLetterQueueOwner() {
        return deadLetterTargetArn.split(":")[4];
    }
}
