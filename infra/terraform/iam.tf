# Least privilege for the daemon: exactly the S3 and SQS actions its code calls (InfraFilesTests derives them
# from src/main/java and fails when a call and this policy disagree), each on the keys it is used for.
data "aws_iam_policy_document" "daemon" {
  # Archives: files and manifests are read and created, never deleted (a stored file is never removed). A file
  # over one part is a multipart upload straight to its key, aborted on error and cancel.
  statement {
    sid       = "Archives"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.archive.arn}/${var.prefix}*"]
  }

  # The store check at start: two tiny objects (one a multipart upload) written, read and deleted.
  statement {
    sid       = "StoreProbe"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject", "s3:AbortMultipartUpload"]
    resources = ["${aws_s3_bucket.archive.arn}/.archiver-probe/*"]
  }

  # Tracking markers, index entries and claim tokens: created, rewritten conditionally, deleted.
  statement {
    sid       = "Tracking"
    actions   = ["s3:GetObject", "s3:PutObject", "s3:DeleteObject"]
    resources = ["${aws_s3_bucket.archive.arn}/${var.tracking_prefix}*"]
  }

  # The drop folder's id lists are only read.
  statement {
    sid       = "Ingest"
    actions   = ["s3:GetObject"]
    resources = ["${aws_s3_bucket.archive.arn}/${var.ingest_prefix}*"]
  }

  # ListObjectsV2 (listings, verify --all), only under the archiver's own prefixes. IfExists: HeadBucket (the
  # start-up check) and the implicit check that makes a HEAD of a missing key answer 404 rather than 403 (how
  # "no manifest yet" is told apart from "not allowed") carry no s3:prefix, and need this grant; a listing
  # with no prefix has none either, so what this bounds is a listing under any other prefix.
  statement {
    sid       = "BucketListing"
    actions   = ["s3:ListBucket"]
    resources = [aws_s3_bucket.archive.arn]

    condition {
      test     = "StringLikeIfExists"
      variable = "s3:prefix"
      values   = ["${var.prefix}*", "${var.tracking_prefix}*", "${var.ingest_prefix}*"]
    }
  }

  # With archiver.s3.sse=aws:kms and archiver.s3.kms-key-id: new objects are encrypted under the key, and the
  # daemon reads its manifests and markers back.
  dynamic "statement" {
    for_each = var.kms_key_arn == "" ? [] : [var.kms_key_arn]
    content {
      sid       = "ArchiveKey"
      actions   = ["kms:GenerateDataKey", "kms:Decrypt"]
      resources = [statement.value]
    }
  }

  statement {
    sid       = "RequestQueue"
    actions   = ["sqs:ReceiveMessage", "sqs:DeleteMessage", "sqs:ChangeMessageVisibility"]
    resources = [aws_sqs_queue.requests.arn]
  }

  # archiver_queue_dead_letters: the request queue's redrive policy names the dead-letter queue, whose URL and
  # depth are read once a minute. Reading attributes only; the daemon never receives from the dead-letter queue.
  statement {
    sid       = "DeadLetterDepth"
    actions   = ["sqs:GetQueueAttributes", "sqs:GetQueueUrl"]
    resources = [aws_sqs_queue.requests.arn, aws_sqs_queue.requests_dlq.arn]
  }
}

resource "aws_iam_policy" "daemon" {
  name        = "${var.queue_name}-daemon"
  description = "prediction-archiver daemon: its bucket and its request queue, nothing else."
  policy      = data.aws_iam_policy_document.daemon.json
}

resource "aws_iam_role_policy_attachment" "daemon" {
  count      = var.daemon_role_name == "" ? 0 : 1
  role       = var.daemon_role_name
  policy_arn = aws_iam_policy.daemon.arn
}

# For the autoscaler, not the daemon: KEDA's aws-sqs-queue scaler reads the queue depth.
data "aws_iam_policy_document" "queue_depth_reader" {
  statement {
    sid       = "QueueDepth"
    actions   = ["sqs:GetQueueAttributes"]
    resources = [aws_sqs_queue.requests.arn]
  }
}

resource "aws_iam_policy" "queue_depth_reader" {
  name        = "${var.queue_name}-depth-reader"
  description = "Reads the request queue's depth, for KEDA's aws-sqs-queue scaler."
  policy      = data.aws_iam_policy_document.queue_depth_reader.json
}
