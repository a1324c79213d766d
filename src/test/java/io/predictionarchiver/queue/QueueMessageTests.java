package io.predictionarchiver.queue;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.List;

import io.predictionarchiver.prediction.PredictionId;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

import tools.jackson.databind.json.JsonMapper;

/** Every body format of the contract, and why the others are unreadable. */
class QueueMessageTests {

    private static final JsonMapper MAPPER = JsonMapper.builder().build();

    @Test
    void anIdMessageNamesOneId() {
        assertThat(read("{\"id\": \"abc123\"}")).isEqualTo(new QueueMessage.Ids(List.of(PredictionId.of("abc123"))));
    }

    @Test
    void anIdsMessageNamesEachIdOnceInOrder() {
        assertThat(read("{\"ids\": [\"b\", \"a\", \"b\"]}"))
                .isEqualTo(new QueueMessage.Ids(List.of(PredictionId.of("b"), PredictionId.of("a"))));
    }

    @Test
    void aBodyWithAStatusIsAPredictionObject() {
        QueueMessage message = read("{\"id\": \"abc123\", \"status\": \"succeeded\", \"output\": []}");

        assertThat(message).isInstanceOfSatisfying(QueueMessage.Delivered.class, delivered -> {
            assertThat(delivered.prediction().id()).isEqualTo(PredictionId.of("abc123"));
            assertThat(delivered.prediction().terminal()).isTrue();
        });
    }

    @Test
    void anS3EventNamesItsCreatedObjectsWithDecodedKeys() {
        String event = """
                {"Records": [
                  {"eventName": "ObjectCreated:Put", "s3": {"bucket": {"name": "drop"},
                   "object": {"key": "lists/batch+2+%C3%A9t%C3%A9.txt"}}},
                  {"eventName": "ObjectRemoved:Delete", "s3": {"bucket": {"name": "drop"},
                   "object": {"key": "lists/old.txt"}}}]}
                """;

        assertThat(read(event)).isEqualTo(new QueueMessage.IdLists(
                List.of(new QueueMessage.ListObject("drop", "lists/batch 2 été.txt"))));
    }

    @Test
    void anSnsNotificationIsReadForTheMessageItCarries() {
        String sns = "{\"Type\": \"Notification\", \"MessageId\": \"m-1\", "
                + "\"Message\": \"{\\\"ids\\\": [\\\"from-sns\\\"]}\"}";

        assertThat(read(sns)).isEqualTo(new QueueMessage.Ids(List.of(PredictionId.of("from-sns"))));
    }

    @Test
    void theS3TestEventAsksForNothing() {
        assertThat(read("{\"Service\": \"Amazon S3\", \"Event\": \"s3:TestEvent\", \"Bucket\": \"drop\"}"))
                .isEqualTo(new QueueMessage.Ids(List.of()));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "[\"abc\"]                  | the body is not a JSON object",
            "{\"ids\": \"abc\"}         | \"ids\" must be an array of prediction ids",
            "{\"ids\": [42]}            | a prediction id must be a string, but was 42",
            "{\"name\": \"abc\"}        | expected \"id\", \"ids\", a prediction object or an S3 event "
                    + "notification, but the body has none of them",
            "{\"Records\": [{\"eventName\": \"ObjectCreated:Put\"}]} "
                    + "| an S3 event record without s3.bucket.name or s3.object.key"})
    void otherBodiesAreUnreadableSayingWhy(String body, String reason) {
        assertThatThrownBy(() -> read(body))
                .isInstanceOf(UnreadableMessageException.class)
                .hasMessage(reason);
    }

    @Test
    void anInvalidIdMakesTheMessageUnreadableNamingIt() {
        assertThatThrownBy(() -> read("{\"ids\": [\"ok\", \"../etc/passwd\"]}"))
                .isInstanceOf(UnreadableMessageException.class)
                .hasMessageContaining("../etc/passwd");
    }

    @Test
    void textThatIsNotJsonIsUnreadable() {
        assertThatThrownBy(() -> read("archive abc123 please"))
                .isInstanceOf(UnreadableMessageException.class)
                .hasMessageStartingWith("the body is not JSON");
    }

    private static QueueMessage read(String body) {
        return QueueMessage.read(body, MAPPER);
    }
}
