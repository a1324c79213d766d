package io.predictionarchiver.queue;

import org.junit.jupiter.api.extension.RegisterExtension;

class QueueConsumerOnElasticMqTests extends QueueConsumerContract {

    @RegisterExtension
    static final QueueServers SERVERS = QueueServers.inProcess();

    @Override
    QueueServers servers() {
        return SERVERS;
    }
}
