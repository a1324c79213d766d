package io.predictionarchiver.testsupport;

import java.net.URI;
import java.util.List;
import java.util.Map;
import java.util.UUID;

import io.predictionarchiver.config.S3ClientConfiguration;
import io.predictionarchiver.config.S3Properties;

import org.springframework.util.unit.DataSize;

import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.ResponseBytes;
import software.amazon.awssdk.core.checksums.RequestChecksumCalculation;
import software.amazon.awssdk.core.checksums.ResponseChecksumValidation;
import software.amazon.awssdk.core.interceptor.ExecutionInterceptor;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3AsyncClient;
import software.amazon.awssdk.services.s3.S3Client;
import software.amazon.awssdk.services.s3.model.GetObjectResponse;
import software.amazon.awssdk.services.s3.model.HeadObjectResponse;
import software.amazon.awssdk.services.s3.model.MultipartUpload;
import software.amazon.awssdk.services.s3.model.NoSuchKeyException;
import software.amazon.awssdk.services.s3.model.S3Object;

/**
 * One S3 protocol server seen by a test: S3Proxy in-process, or LocalStack when Docker is present. Each
 * {@link #newBucket()} gives a test its own empty bucket. The assertion client is a plain (non-multipart)
 * synchronous client, so reads do not depend on the code under test.
 */
public final class TestS3 implements AutoCloseable {

    private final URI endpoint;
    private final String accessKey;
    private final String secretKey;
    private final S3Client client;
    private final AutoCloseable server;

    public TestS3(URI endpoint, String accessKey, String secretKey, AutoCloseable server) {
        this.endpoint = endpoint;
        this.accessKey = accessKey;
        this.secretKey = secretKey;
        this.server = server;
        this.client = S3Client.builder()
                .endpointOverride(endpoint)
                .region(Region.US_EAST_1)
                .forcePathStyle(true)
                .credentialsProvider(credentials())
                .requestChecksumCalculation(RequestChecksumCalculation.WHEN_REQUIRED)
                .responseChecksumValidation(ResponseChecksumValidation.WHEN_REQUIRED)
                .build();
    }

    public URI endpoint() {
        return endpoint;
    }

    public String accessKey() {
        return accessKey;
    }

    public String secretKey() {
        return secretKey;
    }

    public StaticCredentialsProvider credentials() {
        return StaticCredentialsProvider.create(AwsBasicCredentials.create(accessKey, secretKey));
    }

    /** Creates an empty bucket with a unique name. */
    public String newBucket() {
        String bucket = "test-" + UUID.randomUUID().toString().substring(0, 18);
        client.createBucket(b -> b.bucket(bucket));
        return bucket;
    }

    /** Archiver settings pointing at this server, with a small part size so that multipart is exercised. */
    public S3Properties properties(String bucket) {
        return new S3Properties(bucket, "predictions/", endpoint, "us-east-1", true, DataSize.ofMegabytes(5), 2);
    }

    /** An async client for the code under test, configured as the application configures its own. */
    public S3AsyncClient asyncClient(S3Properties properties) {
        return asyncClient(properties, List.of());
    }

    /** {@link #asyncClient(S3Properties)}, with {@code interceptors} seeing every request it sends. */
    public S3AsyncClient asyncClient(S3Properties properties, List<ExecutionInterceptor> interceptors) {
        return S3ClientConfiguration.configure(S3AsyncClient.builder(), properties, 4)
                .credentialsProvider(credentials())
                .overrideConfiguration(override -> interceptors.forEach(override::addExecutionInterceptor))
                .build();
    }

    /** Every key in the bucket (paginated), sorted. */
    public List<String> keys(String bucket) {
        return client.listObjectsV2Paginator(b -> b.bucket(bucket)).contents().stream()
                .map(S3Object::key).sorted().toList();
    }

    public byte[] bytes(String bucket, String key) {
        ResponseBytes<GetObjectResponse> response = client.getObjectAsBytes(b -> b.bucket(bucket).key(key));
        return response.asByteArray();
    }

    public String text(String bucket, String key) {
        return new String(bytes(bucket, key), java.nio.charset.StandardCharsets.UTF_8);
    }

    public HeadObjectResponse head(String bucket, String key) {
        return client.headObject(b -> b.bucket(bucket).key(key));
    }

    public Map<String, String> metadata(String bucket, String key) {
        return head(bucket, key).metadata();
    }

    public boolean exists(String bucket, String key) {
        try {
            head(bucket, key);
            return true;
        } catch (NoSuchKeyException e) {
            return false;
        } catch (software.amazon.awssdk.services.s3.model.S3Exception e) {
            if (e.statusCode() == 404) {
                return false;
            }
            throw e;
        }
    }

    public void put(String bucket, String key, byte[] body) {
        client.putObject(b -> b.bucket(bucket).key(key),
                software.amazon.awssdk.core.sync.RequestBody.fromBytes(body));
    }

    /** Multipart uploads begun and neither completed nor aborted. */
    public List<MultipartUpload> incompleteUploads(String bucket) {
        return client.listMultipartUploads(b -> b.bucket(bucket)).uploads();
    }

    /** Aborts every incomplete upload, as the bucket's lifecycle rule does a day after a crash; says how many. */
    public int abortIncompleteUploads(String bucket) {
        List<MultipartUpload> uploads = incompleteUploads(bucket);
        uploads.forEach(upload -> client.abortMultipartUpload(b -> b.bucket(bucket).key(upload.key())
                .uploadId(upload.uploadId())));
        return uploads.size();
    }

    public S3Client client() {
        return client;
    }

    @Override
    public void close() throws Exception {
        client.close();
        if (server != null) {
            server.close();
        }
    }
}
