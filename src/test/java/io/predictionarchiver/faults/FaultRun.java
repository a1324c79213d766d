package io.predictionarchiver.faults;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.predictionarchiver.cli.Main;

/**
 * One {@code archive} command line run in-process, as a user would type it, with what it printed.
 *
 * @param exitCode the command's exit status
 * @param out      what it printed on stdout
 * @param err      what it printed on stderr
 */
record FaultRun(int exitCode, String out, String err) {

    /**
     * A property value passed empty ({@code --name=}), as a user clears a default; an empty value instead drops
     * the property, so that its default applies.
     */
    static final String EMPTY = "<empty>";

    /**
     * {@code archive ids... --progress=none} with {@code defaults} overridden by {@code overrides} as
     * {@code --name=value} arguments; an override with an empty value drops the property (its default applies).
     */
    static FaultRun archive(List<String> ids, Map<String, String> defaults, Map<String, String> overrides) {
        Map<String, String> properties = new LinkedHashMap<>(defaults);
        properties.putAll(overrides);
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int exit = Main.run(new PrintWriter(out, true), new PrintWriter(err, true),
                arguments(ids, properties).toArray(String[]::new));
        return new FaultRun(exit, out.toString(), err.toString());
    }

    /**
     * The command line of {@link #archive}, also for a forked JVM; properties with an empty value are left out,
     * those of value {@link #EMPTY} passed empty.
     */
    static List<String> arguments(List<String> ids, Map<String, String> properties) {
        List<String> args = new ArrayList<>(List.of("archive"));
        args.addAll(ids);
        args.add("--progress=none");
        properties.forEach((name, value) -> {
            if (!value.isEmpty()) {
                args.add("--" + name + "=" + (value.equals(EMPTY) ? "" : value));
            }
        });
        return args;
    }
}
