package io.predictionarchiver.simulator;

/**
 * One file the simulator serves on its delivery route: {@link GeneratedContent} bytes for {@code seed} and
 * {@code size}, so that {@code GeneratedContent.sha256Hex(seed(), size())} is the digest an archived copy must
 * have.
 *
 * @param path        path on the simulator, {@code /delivery/<original-host>/<original-path>}
 * @param seed        content seed
 * @param size        bytes
 * @param contentType the {@code Content-Type} sent
 * @param chunked     sent without {@code Content-Length}
 */
public record SimulatedFile(String path, long seed, long size, String contentType, boolean chunked) {

    /** The last path segment, the file name the archiver derives its key from. */
    public String name() {
        return path.substring(path.lastIndexOf('/') + 1);
    }

    /** {@code GeneratedContent.sha256Hex(seed, size)}. */
    public String sha256Hex() {
        return GeneratedContent.sha256Hex(seed, size);
    }
}
