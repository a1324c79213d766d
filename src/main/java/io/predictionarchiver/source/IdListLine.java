package io.predictionarchiver.source;

import java.util.Optional;

/**
 * One line of a list of ids (an ids file, standard input, a drop-folder object): one id a line, blank lines and
 * {@code #} comments ignored. Every reader of such a list reads its lines here, so that all accept the same.
 */
final class IdListLine {

    private IdListLine() {
    }

    /**
     * The id text on {@code line}, not yet validated; empty for a blank line or a comment. Strips what
     * {@link String#strip()} leaves behind in files saved by editors and copied from web pages: a byte order mark
     * and no-break spaces, which would otherwise make a valid id look invalid.
     */
    static Optional<String> idText(String line) {
        int start = 0;
        int end = line.length();
        while (start < end && isBlank(line.charAt(start))) {
            start++;
        }
        while (end > start && isBlank(line.charAt(end - 1))) {
            end--;
        }
        String text = line.substring(start, end);
        return text.isEmpty() || text.startsWith("#") ? Optional.empty() : Optional.of(text);
    }

    private static boolean isBlank(char c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c) || c == '\ufeff';
    }
}
