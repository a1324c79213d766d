package io.predictionarchiver;

import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/** Spring configuration root; {@code main} lives in {@link io.predictionarchiver.cli.Main}. */
@SpringBootApplication
@ConfigurationPropertiesScan
public class PredictionArchiverApplication {
}
