package io.predictionarchiver.demo;

import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;

import org.gaul.s3proxy.BlobStores;
import org.gaul.s3proxy.S3Proxy;
import org.gaul.s3proxy.auth.AuthenticationType;
import org.gaul.s3proxy.blobstore.BlobStore;
import org.gaul.s3proxy.blobstore.Constants;

/**
 * An S3 protocol server on loopback (S3Proxy over a directory), for {@code demo} and the tests. Requests
 * are signed with the fixed credentials {@link #ACCESS_KEY}/{@link #SECRET_KEY}.
 */
public final class EmbeddedS3Server implements AutoCloseable {

    public static final String ACCESS_KEY = "archiver-local";
    public static final String SECRET_KEY = "archiver-local-secret";

    private final Path directory;
    private final BlobStore blobStore;
    private final S3Proxy proxy;

    private EmbeddedS3Server(Path directory, BlobStore blobStore, S3Proxy proxy) {
        this.directory = directory;
        this.blobStore = blobStore;
        this.proxy = proxy;
    }

    /** Starts a server storing objects under {@code directory} (created if absent) on a free loopback port. */
    public static EmbeddedS3Server start(Path directory) throws Exception {
        Files.createDirectories(directory);
        Properties properties = new Properties();
        properties.setProperty("jclouds.filesystem.basedir", directory.toRealPath().toString());
        properties.setProperty(Constants.PROPERTY_IDENTITY, ACCESS_KEY);
        properties.setProperty(Constants.PROPERTY_CREDENTIAL, SECRET_KEY);
        BlobStore blobStore = BlobStores.create("filesystem", properties);
        S3Proxy proxy = S3Proxy.builder()
                .blobStore(blobStore)
                .awsAuthentication(AuthenticationType.AWS_V2_OR_V4, ACCESS_KEY, SECRET_KEY)
                // the SDK's multipart and conditional-write headers are not all known to S3Proxy
                .ignoreUnknownHeaders(true)
                .endpoint(URI.create("http://127.0.0.1:0"))
                .stopTimeout(0)
                .build();
        proxy.start();
        if (!"STARTED".equals(proxy.getState())) {
            throw new IllegalStateException("embedded S3 server did not start: " + proxy.getState());
        }
        return new EmbeddedS3Server(directory, blobStore, proxy);
    }

    public URI endpoint() {
        return URI.create("http://127.0.0.1:" + proxy.getPort());
    }

    public Path directory() {
        return directory;
    }

    /** Creates {@code bucket} if absent: with the filesystem store a bucket is a directory. */
    public void createBucket(String bucket) throws java.io.IOException {
        Files.createDirectories(directory.resolve(bucket));
    }

    @Override
    public void close() throws Exception {
        proxy.stop();
        blobStore.close();
    }
}
