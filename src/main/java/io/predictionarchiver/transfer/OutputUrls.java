package io.predictionarchiver.transfer;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;

import tools.jackson.databind.JsonNode;

/**
 * Finds the file URLs in a prediction's {@code output} (and, for input files, in its {@code input}), whatever
 * its shape: one string, arrays, objects, and any nesting of them.
 *
 * <p>A string counts as a URL when it has no whitespace and is either {@code scheme://...} (any scheme), a
 * {@code data:} URI, or {@code scheme:/...} such as {@code file:/etc/passwd}. Non-http schemes are kept on
 * purpose so that the download policy rejects them visibly in the manifest instead of the archiver
 * ignoring them. Everything else (language-model tokens, sentences, numbers, booleans, null) is not a file.
 */
final class OutputUrls {

    private static final Pattern HIERARCHICAL = Pattern.compile("[A-Za-z][A-Za-z0-9+.-]*:/\\S+");

    private OutputUrls() {
    }

    /**
     * Every URL in {@code output} with its JSON Pointer, in document order (array index order, object fields
     * in the order the API sent them). A URL that occurs twice is listed twice. A missing or null output gives
     * an empty list.
     */
    static List<OutputUrl> find(JsonNode output) {
        List<OutputUrl> found = new ArrayList<>();
        collect(output, "", FileRole.OUTPUT, found);
        return List.copyOf(found);
    }

    /**
     * Every URL in {@code input} (a prediction's {@code input} field) as {@link #find} lists them, but with the
     * role {@link FileRole#INPUT} and pointers prefixed {@code /input}. {@code data:} URIs are left out: an
     * uploaded file sent inline is already whole in the archived record.
     */
    static List<OutputUrl> inputs(JsonNode input) {
        List<OutputUrl> found = new ArrayList<>();
        collect(input, "/input", FileRole.INPUT, found);
        return found.stream().filter(url -> !url.isDataUri()).toList();
    }

    /** Whether {@code value}, a string of the output, names a file (see the class comment). */
    static boolean isUrl(String value) {
        return DataUri.isDataUri(value) || HIERARCHICAL.matcher(value).matches();
    }

    private static void collect(JsonNode node, String pointer, FileRole role, List<OutputUrl> found) {
        if (node == null) {
            return;
        }
        if (node.isString()) {
            String value = node.asString();
            if (isUrl(value)) {
                found.add(new OutputUrl(pointer, value, role));
            }
        } else if (node.isArray()) {
            int index = 0;
            for (JsonNode element : node.values()) {
                collect(element, pointer + "/" + index++, role, found);
            }
        } else if (node.isObject()) {
            for (Map.Entry<String, JsonNode> property : node.properties()) {
                collect(property.getValue(), pointer + "/" + escape(property.getKey()), role, found);
            }
        }
    }

    /** RFC 6901 section 3: '~' first, so that the '~' introduced for '/' is not escaped again. */
    private static String escape(String key) {
        return key.replace("~", "~0").replace("/", "~1");
    }
}
