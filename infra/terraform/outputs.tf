output "bucket_name" {
  value = aws_s3_bucket.archive.id
}

output "request_queue_url" {
  value = aws_sqs_queue.requests.id
}

output "dead_letter_queue_url" {
  value = aws_sqs_queue.requests_dlq.id
}

output "archived_events_queue_url" {
  value = aws_sqs_queue.archived_events.id
}

output "daemon_policy_arn" {
  value = aws_iam_policy.daemon.arn
}

output "queue_depth_reader_policy_arn" {
  value = aws_iam_policy.queue_depth_reader.arn
}

# The daemon's settings for this infrastructure, named as environment variables (infra/k8s/configmap.yaml).
output "daemon_environment" {
  value = {
    ARCHIVER_S3_BUCKET         = aws_s3_bucket.archive.id
    ARCHIVER_S3_PREFIX         = var.prefix
    ARCHIVER_S3_REGION         = var.region
    ARCHIVER_TRACKING_PREFIX   = var.tracking_prefix
    ARCHIVER_QUEUE_URL         = aws_sqs_queue.requests.id
  }
}
