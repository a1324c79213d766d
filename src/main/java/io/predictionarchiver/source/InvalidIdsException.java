package io.predictionarchiver.source;

import java.util.List;

/**
 * One or more ids given to a run are not valid prediction ids, or the ids file is missing or unreadable;
 * nothing was started.
 */
public final class InvalidIdsException extends IllegalArgumentException {

    private static final int SHOWN = 20;

    private final List<String> problems;

    InvalidIdsException(List<String> problems) {
        super(summary(problems));
        this.problems = List.copyOf(problems);
    }

    /** One line per rejected id: where it was found and why it was rejected. */
    public List<String> problems() {
        return problems;
    }

    private static String summary(List<String> problems) {
        StringBuilder text = new StringBuilder();
        problems.stream().limit(SHOWN).forEach(p -> text.append(text.isEmpty() ? "" : "\n").append(p));
        if (problems.size() > SHOWN) {
            text.append("\n… and ").append(problems.size() - SHOWN).append(" more invalid ids");
        }
        return text.toString();
    }
}
