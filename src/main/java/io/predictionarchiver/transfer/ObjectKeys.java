package io.predictionarchiver.transfer;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import io.predictionarchiver.prediction.PredictionId;

/**
 * The S3 key of every distinct output URL of one prediction: {@code {prefix}{id}/{name}}.
 *
 * <p>The name is the last path segment of the URL, percent-decoded, with every character outside
 * {@code [A-Za-z0-9._-]} replaced by {@code _}, leading dots removed ({@code .png} becomes {@code file.png},
 * {@code ..} and empty names become {@code file}) and at most {@value #MAX_NAME} characters, keeping the
 * extension. A {@code data:} URI is named {@code output-<index>.<ext>} after its position among the URLs and
 * its media type. {@value #MANIFEST_NAME} is reserved for the manifest. Names that would collide (compared
 * ignoring case, so that a copy to a case-insensitive file system keeps them apart) get {@code -1}, {@code -2},
 * ... before the extension, in document order, so the assignment is deterministic. A URL that occurs more than
 * once gets one key, that of its first occurrence.
 *
 * <p>Input files ({@link FileRole#INPUT}, listed after the outputs) are named the same way, apart from the
 * outputs, under {@code {prefix}{id}/input/}; an output may then not be named {@code input}.
 *
 * <p>Because a name has no {@code /}, is never {@code .} or {@code ..} and never the manifest's name, a key
 * never leaves {@code {prefix}{id}/} nor replaces the manifest.
 */
final class ObjectKeys {

    static final int MAX_NAME = 200;
    static final String MANIFEST_NAME = "prediction.json";
    static final String INPUT_FOLDER = "input";

    private static final int MAX_EXTENSION = 16;
    private static final String FALLBACK_NAME = "file";
    private static final Map<String, String> EXTENSIONS = Map.ofEntries(
            Map.entry("image/png", "png"), Map.entry("image/jpeg", "jpg"), Map.entry("image/webp", "webp"),
            Map.entry("image/gif", "gif"), Map.entry("video/mp4", "mp4"), Map.entry("audio/wav", "wav"),
            Map.entry("audio/x-wav", "wav"), Map.entry("audio/wave", "wav"), Map.entry("audio/mpeg", "mp3"),
            Map.entry("application/json", "json"), Map.entry("text/plain", "txt"));

    private final String directory;
    private final Map<String, String> keyByUrl;

    private ObjectKeys(String directory, Map<String, String> keyByUrl) {
        this.directory = directory;
        this.keyByUrl = Collections.unmodifiableMap(keyByUrl);
    }

    /**
     * Assigns keys to {@code urls} (as {@link OutputUrls#find} lists them) under {@code prefix}, which is empty
     * or ends with {@code /} as {@code archiver.s3.prefix} guarantees.
     */
    static ObjectKeys assign(String prefix, PredictionId id, List<OutputUrl> urls) {
        if (prefix == null || (!prefix.isEmpty() && !prefix.endsWith("/"))) {
            throw new IllegalArgumentException("prefix must be empty or end with '/', but was '" + prefix + "'");
        }
        String directory = prefix + id.value() + "/";
        boolean withInputs = urls.stream().anyMatch(url -> url.role() == FileRole.INPUT);
        // with input files, "input" names their folder, so no output file may take it
        Set<String> taken = new HashSet<>(withInputs ? Set.of(MANIFEST_NAME, INPUT_FOLDER) : Set.of(MANIFEST_NAME));
        Set<String> takenInInputs = new HashSet<>();
        Map<String, String> keyByUrl = new LinkedHashMap<>();
        for (int index = 0; index < urls.size(); index++) {
            OutputUrl url = urls.get(index);
            if (!keyByUrl.containsKey(url.url())) {
                String name = nameFor(url.url(), index);
                keyByUrl.put(url.url(), url.role() == FileRole.INPUT
                        ? directory + INPUT_FOLDER + "/" + unique(name, takenInInputs)
                        : directory + unique(name, taken));
            }
        }
        return new ObjectKeys(directory, keyByUrl);
    }

    /** {@code {prefix}{id}/}, the folder every key lies in. */
    String directory() {
        return directory;
    }

    /**
     * The key of {@code url}.
     *
     * @throws IllegalArgumentException when {@code url} was not among the URLs keys were assigned to
     */
    String keyFor(String url) {
        String key = keyByUrl.get(url);
        if (key == null) {
            throw new IllegalArgumentException("no key was assigned to " + DataUri.abbreviate(url)
                    + " under " + directory);
        }
        return key;
    }

    /** Distinct URL → key, in the order the URLs first occur in the output. */
    Map<String, String> byUrl() {
        return keyByUrl;
    }

    private static String nameFor(String url, int index) {
        if (DataUri.isDataUri(url)) {
            return "output-" + index + "." + EXTENSIONS.getOrDefault(DataUri.baseMediaTypeOf(url), "bin");
        }
        return sanitize(percentDecode(lastSegment(url)));
    }

    private static String lastSegment(String url) {
        String path = url;
        int cut = firstIndexOf(path, '?', '#');
        if (cut >= 0) {
            path = path.substring(0, cut);
        }
        int authority = path.indexOf("://");
        if (authority >= 0) {
            int pathStart = path.indexOf('/', authority + 3);
            path = pathStart < 0 ? "" : path.substring(pathStart);
        }
        return path.substring(path.lastIndexOf('/') + 1);
    }

    private static int firstIndexOf(String text, char first, char second) {
        int a = text.indexOf(first);
        int b = text.indexOf(second);
        return a < 0 ? b : b < 0 ? a : Math.min(a, b);
    }

    /** Lenient: an escape that is not {@code %XX} stays as typed (and is then sanitised). */
    private static String percentDecode(String segment) {
        byte[] raw = segment.getBytes(StandardCharsets.UTF_8);
        ByteArrayOutputStream out = new ByteArrayOutputStream(raw.length);
        for (int i = 0; i < raw.length; i++) {
            int high = raw[i] == '%' && i + 2 < raw.length ? Character.digit(raw[i + 1], 16) : -1;
            int low = high >= 0 ? Character.digit(raw[i + 2], 16) : -1;
            if (low >= 0) {
                out.write(high << 4 | low);
                i += 2;
            } else {
                out.write(raw[i]);
            }
        }
        return out.toString(StandardCharsets.UTF_8);
    }

    static String sanitize(String name) {
        StringBuilder safe = new StringBuilder(Math.min(name.length(), MAX_NAME * 2));
        name.codePoints().forEach(c -> safe.append(isSafe(c) ? (char) c : '_'));
        String cleaned = safe.toString();
        String withoutLeadingDots = cleaned.replaceFirst("^\\.+", "");
        if (withoutLeadingDots.isEmpty()) {
            return FALLBACK_NAME;
        }
        if (withoutLeadingDots.length() < cleaned.length()) {
            // ".png" names only an extension; keep it on a neutral stem
            withoutLeadingDots = FALLBACK_NAME + "." + withoutLeadingDots;
        }
        return Name.split(withoutLeadingDots).withSuffix("");
    }

    private static boolean isSafe(int c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '.' || c == '_' || c == '-';
    }

    private static String unique(String name, Set<String> taken) {
        Name parts = Name.split(name);
        String candidate = name;
        for (int n = 1; !taken.add(candidate.toLowerCase(Locale.ROOT)); n++) {
            candidate = parts.withSuffix("-" + n);
        }
        return candidate;
    }

    /** A safe name split at its extension, so that truncation and numbering keep the extension. */
    private record Name(String stem, String extension) {

        static Name split(String name) {
            int dot = name.lastIndexOf('.');
            if (dot <= 0 || dot == name.length() - 1 || name.length() - dot - 1 > MAX_EXTENSION) {
                return new Name(name, "");
            }
            return new Name(name.substring(0, dot), name.substring(dot));
        }

        String withSuffix(String suffix) {
            int room = MAX_NAME - extension.length() - suffix.length();
            String shortStem = stem.length() > room ? stem.substring(0, room) : stem;
            return shortStem + suffix + extension;
        }
    }
}
