package io.predictionarchiver.config;

import software.amazon.awssdk.services.s3.model.CreateMultipartUploadRequest;
import software.amazon.awssdk.services.s3.model.PutObjectRequest;
import software.amazon.awssdk.services.s3.model.ServerSideEncryption;
import software.amazon.awssdk.services.s3.model.StorageClass;

/**
 * How archive objects (files and manifests) are stored, as {@code archiver.s3.storage-class}, {@code sse} and
 * {@code kms-key-id} set it; each {@code null} leaves the bucket's default. Applied to every request that creates
 * an object, so that a file written with one PutObject and one written by a multipart upload end the same.
 *
 * @param storageClass e.g. {@code STANDARD_IA}, {@code INTELLIGENT_TIERING}
 * @param sse          {@code AES256}, {@code aws:kms} or {@code aws:kms:dsse}
 * @param kmsKeyId     the KMS key of {@code aws:kms}; the account's S3 key when absent
 */
public record StorageOptions(StorageClass storageClass, ServerSideEncryption sse, String kmsKeyId) {

    /** The bucket's defaults. */
    public static final StorageOptions DEFAULT = new StorageOptions(null, null, null);

    public void applyTo(PutObjectRequest.Builder request) {
        request.storageClass(storageClass).serverSideEncryption(sse).ssekmsKeyId(kmsKeyId);
    }

    public void applyTo(CreateMultipartUploadRequest.Builder request) {
        request.storageClass(storageClass).serverSideEncryption(sse).ssekmsKeyId(kmsKeyId);
    }
}
