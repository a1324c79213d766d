package io.predictionarchiver.transfer;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.Locale;
import java.util.regex.Pattern;

/**
 * A decoded RFC 2397 {@code data:[<mediatype>][;base64],<data>} URI, as models emit for small files and
 * sync-mode predictions. The payload is already in memory (it came inline in the prediction JSON), so it is
 * decoded whole, but never beyond the size cap the caller passes.
 *
 * <p>Errors: {@link #parse} throws {@link IllegalArgumentException} whose message names what is wrong and
 * quotes the URI's header only (never the payload).
 */
final class DataUri {

    static final String DEFAULT_MEDIA_TYPE = "text/plain;charset=US-ASCII";

    private static final String SCHEME = "data:";
    private static final int HEADER_SHOWN = 100;
    private static final String ABBREVIATED = "...";
    private static final Pattern TOKEN = Pattern.compile("[A-Za-z0-9!#$&^_.+-]+");
    private static final Pattern WHITESPACE = Pattern.compile("\\s");

    private final String mediaType;
    private final byte[] bytes;

    private DataUri(String mediaType, byte[] bytes) {
        this.mediaType = mediaType;
        this.bytes = bytes;
    }

    /**
     * Whether {@code value} is meant as a data URI: it starts with {@code data:} (any case) and its header (up
     * to the first comma, or the whole string when there is none) has no whitespace. A value that passes may
     * still be malformed; {@link #parse} says why.
     */
    static boolean isDataUri(String value) {
        if (value == null || !value.regionMatches(true, 0, SCHEME, 0, SCHEME.length())) {
            return false;
        }
        int comma = value.indexOf(',');
        return !WHITESPACE.matcher(comma < 0 ? value : value.substring(0, comma)).find();
    }

    /**
     * Decodes {@code uri}.
     *
     * @param maxBytes the largest decoded size accepted; larger payloads are refused before they are decoded
     *                 where the encoded length already proves them too large
     * @throws IllegalArgumentException when {@code uri} is not a data URI, is malformed, or decodes to more
     *                                  than {@code maxBytes}
     */
    static DataUri parse(String uri, long maxBytes) {
        if (!isDataUri(uri)) {
            throw new IllegalArgumentException("not a data: URI: " + abbreviate(String.valueOf(uri)));
        }
        int comma = uri.indexOf(',');
        if (comma < 0) {
            throw malformed(uri, "no ',' separates the header from the data");
        }
        Header header = Header.parse(uri, uri.substring(SCHEME.length(), comma));
        String payload = uri.substring(comma + 1);
        byte[] bytes = header.base64() ? decodeBase64(uri, payload, maxBytes) : decodePercent(uri, payload, maxBytes);
        if (bytes.length > maxBytes) {
            throw tooLarge(uri, maxBytes);
        }
        return new DataUri(header.mediaType(), bytes);
    }

    /**
     * {@code uri} shortened for manifests, object metadata and messages: a data URI becomes its header (at most
     * {@value #HEADER_SHOWN} characters of it) followed by {@code ...} ({@code data:image/png;base64,...});
     * any other string is returned unchanged. The abbreviation is printable ASCII (other characters
     * percent-encoded as UTF-8), so that the manifest's {@code source_url} and the object's {@code source-url}
     * metadata, which S3 sends as an HTTP header, are the same string.
     */
    static String abbreviate(String uri) {
        if (!isDataUri(uri)) {
            return uri;
        }
        int comma = uri.indexOf(',');
        String header = comma < 0 ? uri : uri.substring(0, comma + 1);
        if (header.codePointCount(0, header.length()) > HEADER_SHOWN) {
            header = header.substring(0, header.offsetByCodePoints(0, HEADER_SHOWN));
        }
        return UserMetadata.ascii(header) + ABBREVIATED;
    }

    /**
     * The media type a data URI declares, lower-cased and without parameters ({@code image/png}), reading
     * only its header; {@code text/plain} when it declares none or the header is malformed.
     */
    static String baseMediaTypeOf(String uri) {
        int comma = uri.indexOf(',');
        if (!isDataUri(uri) || comma < 0) {
            return "text/plain";
        }
        try {
            String mediaType = Header.parse(uri, uri.substring(SCHEME.length(), comma)).mediaType();
            int semicolon = mediaType.indexOf(';');
            return (semicolon < 0 ? mediaType : mediaType.substring(0, semicolon)).toLowerCase(Locale.ROOT);
        } catch (IllegalArgumentException malformed) {
            return "text/plain";
        }
    }

    /** The declared media type with its parameters, e.g. {@code image/png} or {@code text/plain;charset=UTF-8}. */
    String mediaType() {
        return mediaType;
    }

    /** The decoded size in bytes. */
    int length() {
        return bytes.length;
    }

    /** The decoded bytes as a read-only view (no copy). */
    ByteBuffer content() {
        return ByteBuffer.wrap(bytes).asReadOnlyBuffer();
    }

    private static byte[] decodeBase64(String uri, String payload, long maxBytes) {
        // 4 characters carry 3 bytes: refuse before allocating when the text alone proves the size
        if (payload.length() / 4 * 3 > maxBytes + 3) {
            throw tooLarge(uri, maxBytes);
        }
        String text = WHITESPACE.matcher(payload.indexOf('%') < 0 ? payload
                : new String(decodePercent(uri, payload, Long.MAX_VALUE), StandardCharsets.ISO_8859_1))
                .replaceAll("");
        boolean urlSafe = text.indexOf('-') >= 0 || text.indexOf('_') >= 0;
        try {
            return (urlSafe ? Base64.getUrlDecoder() : Base64.getDecoder()).decode(text);
        } catch (IllegalArgumentException e) {
            throw malformed(uri, "invalid base64 data (" + e.getMessage() + ")");
        }
    }

    private static byte[] decodePercent(String uri, String payload, long maxBytes) {
        byte[] raw = payload.getBytes(StandardCharsets.UTF_8);
        if (raw.length / 3 > maxBytes) {
            throw tooLarge(uri, maxBytes);
        }
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != '%') {
                out.write(raw[i]);
                continue;
            }
            int high = i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int low = i + 2 < raw.length ? Character.digit(raw[i + 2], 16) : -1;
            if (high < 0 || low < 0) {
                throw malformed(uri, "invalid percent escape at data offset " + i);
            }
            out.write(high << 4 | low);
            i += 2;
        }
        return out.toByteArray();
    }

    private static IllegalArgumentException malformed(String uri, String reason) {
        return new IllegalArgumentException("malformed data: URI " + abbreviate(uri) + ": " + reason);
    }

    private static IllegalArgumentException tooLarge(String uri, long maxBytes) {
        return new IllegalArgumentException("data: URI " + abbreviate(uri) + " decodes to more than " + maxBytes
                + " bytes");
    }

    /** The part between {@code data:} and the comma. */
    private record Header(String mediaType, boolean base64) {

        static Header parse(String uri, String text) {
            String[] parts = text.split(";", -1);
            int end = parts.length;
            boolean base64 = end > 1 && parts[end - 1].equalsIgnoreCase("base64");
            if (base64) {
                end--;
            }
            StringBuilder mediaType = new StringBuilder();
            String type = parts[0];
            if (type.isEmpty()) {
                mediaType.append(end == 1 ? DEFAULT_MEDIA_TYPE : "text/plain");
            } else {
                int slash = type.indexOf('/');
                if (slash < 0 || !TOKEN.matcher(type.substring(0, slash)).matches()
                        || !TOKEN.matcher(type.substring(slash + 1)).matches()) {
                    throw malformed(uri, "media type '" + shorten(type) + "' is not type/subtype");
                }
                mediaType.append(type);
            }
            for (int i = 1; i < end; i++) {
                int equals = parts[i].indexOf('=');
                if (equals <= 0 || !TOKEN.matcher(parts[i].substring(0, equals)).matches()) {
                    throw malformed(uri, "parameter '" + shorten(parts[i]) + "' is not name=value");
                }
                mediaType.append(';').append(parts[i]);
            }
            return new Header(mediaType.toString(), base64);
        }

        private static String shorten(String text) {
            return text.length() > 40 ? text.substring(0, 40) + "…" : text;
        }
    }
}
