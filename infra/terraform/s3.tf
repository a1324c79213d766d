resource "aws_s3_bucket" "archive" {
  bucket = var.bucket_name
}

# Off on purpose: tracking markers are rewritten on every state change and claim tokens come and go, so
# versioning would keep every one of those versions forever; the archiver's own guarantees (conditional
# creates, manifest last) do not need it. Disabled is only valid on a bucket that never had versioning.
resource "aws_s3_bucket_versioning" "archive" {
  bucket = aws_s3_bucket.archive.id

  versioning_configuration {
    status = "Disabled"
  }
}

resource "aws_s3_bucket_public_access_block" "archive" {
  bucket = aws_s3_bucket.archive.id

  block_public_acls       = true
  block_public_policy     = true
  ignore_public_acls      = true
  restrict_public_buckets = true
}

resource "aws_s3_bucket_ownership_controls" "archive" {
  bucket = aws_s3_bucket.archive.id

  rule {
    object_ownership = "BucketOwnerEnforced"
  }
}

# SSE-S3: every object encrypted at rest with no KMS permission to grant the daemon. Switching to SSE-KMS
# means adding kms:GenerateDataKey and kms:Decrypt on the key to the daemon policy.
resource "aws_s3_bucket_server_side_encryption_configuration" "archive" {
  bucket = aws_s3_bucket.archive.id

  rule {
    apply_server_side_encryption_by_default {
      sse_algorithm = "AES256"
    }
  }
}

# What may expire, and why only that (see infra/README.md): archives, tracking markers (active/, done/,
# by-state/) and the discovery watermark are durable state and are never expired here.
resource "aws_s3_bucket_lifecycle_configuration" "archive" {
  bucket = aws_s3_bucket.archive.id

  # An upload interrupted by a crash leaves parts that are billed but invisible; the archiver aborts its own
  # uploads on error and cancel, so one older than a day belongs to a process that died.
  rule {
    id     = "abort-incomplete-multipart-uploads"
    status = "Enabled"

    filter {}

    abort_incomplete_multipart_upload {
      days_after_initiation = 1
    }
  }

  # A store-probe object lives for the few requests of the check at start; one a day old was left by a process
  # killed during the check.
  rule {
    id     = "expire-store-probe-leftovers"
    status = "Enabled"

    filter {
      prefix = ".archiver-probe/"
    }

    expiration {
      days = 1
    }
  }

  # Claim tokens are deleted right after the claim they guard; one left by a crash blocks claims of one
  # marker version for at most one lease duration (5m by default), then is a stray empty object.
  rule {
    id     = "expire-stray-claim-tokens"
    status = "Enabled"

    filter {
      prefix = "${var.tracking_prefix}claims/"
    }

    expiration {
      days = 1
    }
  }
}

data "aws_iam_policy_document" "archive_bucket" {
  statement {
    sid       = "DenyPlainHttp"
    effect    = "Deny"
    actions   = ["s3:*"]
    resources = [aws_s3_bucket.archive.arn, "${aws_s3_bucket.archive.arn}/*"]

    principals {
      type        = "*"
      identifiers = ["*"]
    }

    condition {
      test     = "Bool"
      variable = "aws:SecureTransport"
      values   = ["false"]
    }
  }
}

resource "aws_s3_bucket_policy" "archive" {
  bucket = aws_s3_bucket.archive.id
  policy = data.aws_iam_policy_document.archive_bucket.json

  depends_on = [aws_s3_bucket_public_access_block.archive]
}

# This resource is the bucket's whole notification configuration (S3 keeps one per bucket): applying it
# replaces whatever notifications were set on the bucket by other means (the console, another module), and a
# second aws_s3_bucket_notification for this bucket would overwrite this one. Add other consumers as more
# queue, topic or lambda_function blocks here, or subscribe them through EventBridge (set
# eventbridge = true below, which adds to these queues rather than replacing them).
resource "aws_s3_bucket_notification" "archive" {
  bucket = aws_s3_bucket.archive.id

  # The downstream contract: one ObjectCreated per archived prediction, for its manifest, after all its
  # files. The suffix carries the '/' so that an output file whose name merely ends in prediction.json
  # (my-prediction.json) never matches; the archiver never names an output file prediction.json.
  queue {
    id            = "archived-predictions"
    queue_arn     = aws_sqs_queue.archived_events.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.prefix
    filter_suffix = "/prediction.json"
  }

  # The drop folder: a list of ids uploaded here reaches the daemon through its request queue.
  queue {
    id            = "ingest-id-lists"
    queue_arn     = aws_sqs_queue.requests.arn
    events        = ["s3:ObjectCreated:*"]
    filter_prefix = var.ingest_prefix
  }

  depends_on = [aws_sqs_queue_policy.bucket_notifications]
}
