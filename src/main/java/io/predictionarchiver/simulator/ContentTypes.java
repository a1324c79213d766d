package io.predictionarchiver.simulator;

import java.util.Locale;
import java.util.Map;

/** The media types model outputs come in, keyed by the file extension a model gives them. */
final class ContentTypes {

    private static final String FALLBACK = "application/octet-stream";

    private static final Map<String, String> BY_EXTENSION = Map.ofEntries(
            Map.entry("webp", "image/webp"),
            Map.entry("png", "image/png"),
            Map.entry("jpg", "image/jpeg"),
            Map.entry("jpeg", "image/jpeg"),
            Map.entry("gif", "image/gif"),
            Map.entry("mp4", "video/mp4"),
            Map.entry("webm", "video/webm"),
            Map.entry("wav", "audio/wav"),
            Map.entry("mp3", "audio/mpeg"),
            Map.entry("flac", "audio/flac"),
            Map.entry("glb", "model/gltf-binary"),
            Map.entry("txt", "text/plain"),
            Map.entry("json", "application/json"),
            Map.entry("tar", "application/x-tar"),
            Map.entry("bin", FALLBACK));

    private static final Map<String, String> EXTENSION_BY_TYPE = Map.of(
            "image/webp", "webp",
            "image/png", "png",
            "image/jpeg", "jpg",
            "video/mp4", "mp4",
            "audio/wav", "wav",
            "audio/mpeg", "mp3",
            "model/gltf-binary", "glb",
            "text/plain", "txt");

    private ContentTypes() {
    }

    static String ofFileName(String fileName) {
        int dot = fileName.lastIndexOf('.');
        if (dot < 0) {
            return FALLBACK;
        }
        return BY_EXTENSION.getOrDefault(fileName.substring(dot + 1).toLowerCase(Locale.ROOT), FALLBACK);
    }

    static String extensionOf(String contentType) {
        return EXTENSION_BY_TYPE.getOrDefault(contentType.toLowerCase(Locale.ROOT), "bin");
    }
}
