package io.predictionarchiver.queue;

import org.junit.jupiter.api.extension.RegisterExtension;
import org.testcontainers.junit.jupiter.EnabledIfDockerAvailable;

@EnabledIfDockerAvailable
class QueueVisibilityOnLocalStackTests extends QueueVisibilityContract {

    @RegisterExtension
    static final QueueServers SERVERS = QueueServers.localStack();

    @Override
    QueueServers servers() {
        return SERVERS;
    }
}
