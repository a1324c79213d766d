package io.predictionarchiver.cli;

import java.util.List;

import org.springframework.boot.WebApplicationType;

/**
 * What the build's ahead-of-time processing runs (Spring Boot's {@code process-aot}): a command's context, as
 * {@link ArchiverContext#start} makes it, so that Spring turns its configuration into code at build time, the bean
 * definitions of the context that {@code archive}, {@code verify} and {@code demo} run. A bulk run started the
 * documented way ({@code -Dspring.aot.enabled=true} in the argument file) then skips parsing the configuration
 * classes and evaluating the auto-configurations' conditions (README "Faster start-up"). The processing stops the
 * context before it makes any bean, so no setting needs a value here.
 */
final class CommandContextAot {

    private CommandContextAot() {
    }

    public static void main(String[] args) {
        ArchiverContext.start(WebApplicationType.NONE, List.of(args)).close();
    }
}
