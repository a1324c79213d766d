package io.predictionarchiver.transfer;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * Makes user metadata storable: S3 sends it as HTTP headers ({@code x-amz-meta-*}), so values must be
 * printable ASCII, and all names and values together may not exceed 2 KB. Characters outside printable ASCII
 * are percent-encoded as UTF-8 (a {@code source-url} stays a valid URL); a value longer than
 * {@value #MAX_VALUE_LENGTH} characters is cut and ends with {@code ...} (a complete URL stays in the manifest).
 */
final class UserMetadata {

    static final int MAX_VALUE_LENGTH = 1024;
    private static final int MAX_TOTAL_LENGTH = 2048;
    private static final String ELLIPSIS = "...";
    private static final Pattern NAME = Pattern.compile("[a-z0-9][a-z0-9-]*");
    private static final char[] HEX = "0123456789ABCDEF".toCharArray();

    private UserMetadata() {
    }

    /** {@code given} made storable; fails fast when the names alone cannot fit. */
    static Map<String, String> of(Map<String, String> given) {
        Map<String, String> storable = new LinkedHashMap<>();
        given.forEach((name, value) -> {
            String lowerName = name.toLowerCase(Locale.ROOT);
            if (!NAME.matcher(lowerName).matches()) {
                throw new IllegalArgumentException("user metadata name '" + name + "' is not [a-z0-9-]");
            }
            storable.put(lowerName, truncated(ascii(value == null ? "" : value)));
        });
        int total = storable.entrySet().stream().mapToInt(e -> e.getKey().length() + e.getValue().length()).sum();
        if (total > MAX_TOTAL_LENGTH) {
            throw new IllegalArgumentException("user metadata " + storable.keySet() + " totals " + total
                    + " characters, above the S3 limit of " + MAX_TOTAL_LENGTH);
        }
        return storable;
    }

    static String ascii(String value) {
        StringBuilder out = new StringBuilder(value.length());
        for (int i = 0; i < value.length(); ) {
            int codePoint = value.codePointAt(i);
            if (codePoint >= 0x20 && codePoint < 0x7f) {
                out.append((char) codePoint);
            } else {
                for (byte b : new String(Character.toChars(codePoint)).getBytes(StandardCharsets.UTF_8)) {
                    out.append('%').append(HEX[(b >> 4) & 0xf]).append(HEX[b & 0xf]);
                }
            }
            i += Character.charCount(codePoint);
        }
        return out.toString();
    }

    private static String truncated(String value) {
        if (value.length() <= MAX_VALUE_LENGTH) {
            return value;
        }
        int cut = MAX_VALUE_LENGTH - ELLIPSIS.length();
        // never split a %XX escape
        int escape = value.lastIndexOf('%', cut - 1);
        if (escape >= 0 && escape > cut - 3) {
            cut = escape;
        }
        return value.substring(0, cut) + ELLIPSIS;
    }
}
