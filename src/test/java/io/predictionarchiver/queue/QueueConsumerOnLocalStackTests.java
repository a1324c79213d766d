package io.predictionarchiver.queue;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.EnabledIfDockerAvailable;

@EnabledIfDockerAvailable
class QueueConsumerOnLocalStackTests extends QueueConsumerContract {

    @RegisterExtension
    static final QueueServers SERVERS = QueueServers.localStack();

    @Override
    QueueServers servers() {
        return SERVERS;
    }
}
