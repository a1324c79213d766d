resource "aws_sqs_queue" "requests_dlq" {
  name                      = "${var.queue_name}-dlq"
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# What the daemon consumes (archiver.queue.url): {"id"}, {"ids"}, prediction objects, and S3 events of the
# drop folder. A message the daemon could not finish is received again after archiver.queue.retry-delay and
# lands in the dead-letter queue after max_receive_count receives.
resource "aws_sqs_queue" "requests" {
  name                       = var.queue_name
  visibility_timeout_seconds = var.visibility_timeout_seconds
  receive_wait_time_seconds  = 20
  message_retention_seconds  = 345600
  sqs_managed_sse_enabled    = true

  redrive_policy = jsonencode({
    deadLetterTargetArn = aws_sqs_queue.requests_dlq.arn
    maxReceiveCount     = var.max_receive_count
  })
}

# A message in the dead-letter queue is a request the daemon gave up on after max_receive_count receives: an
# id list it could not read, or ids it could not even record. Any message there needs a person, so the alarm
# fires on the first one (Maximum over 5 minutes > 0) and is not breaching while the queue reports nothing.
resource "aws_cloudwatch_metric_alarm" "dead_letters" {
  alarm_name          = "${var.queue_name}-dlq-not-empty"
  alarm_description   = "Requests the prediction-archiver daemon gave up on are in ${aws_sqs_queue.requests_dlq.name}; see infra/README.md."
  namespace           = "AWS/SQS"
  metric_name         = "ApproximateNumberOfMessagesVisible"
  dimensions          = { QueueName = aws_sqs_queue.requests_dlq.name }
  statistic           = "Maximum"
  period              = 300
  evaluation_periods  = 1
  comparison_operator = "GreaterThanThreshold"
  threshold           = 0
  treat_missing_data  = "notBreaching"
  alarm_actions       = var.alarm_actions
  ok_actions          = var.alarm_actions
}

resource "aws_sqs_queue_redrive_allow_policy" "requests_dlq" {
  queue_url = aws_sqs_queue.requests_dlq.id

  redrive_allow_policy = jsonencode({
    redrivePermission = "byQueue"
    sourceQueueArns   = [aws_sqs_queue.requests.arn]
  })
}

# The example downstream consumer of archived predictions.
resource "aws_sqs_queue" "archived_events" {
  name                      = var.archived_events_queue_name
  message_retention_seconds = 1209600
  sqs_managed_sse_enabled   = true
}

# S3 may send bucket notifications to these queues, from the archive bucket only.
locals {
  notified_queues = {
    requests        = aws_sqs_queue.requests
    archived_events = aws_sqs_queue.archived_events
  }
}

data "aws_iam_policy_document" "bucket_notifications" {
  for_each = local.notified_queues

  statement {
    sid       = "BucketNotifications"
    actions   = ["sqs:SendMessage"]
    resources = [each.value.arn]

    principals {
      type        = "Service"
      identifiers = ["s3.amazonaws.com"]
    }

    condition {
      test     = "ArnEquals"
      variable = "aws:SourceArn"
      values   = [aws_s3_bucket.archive.arn]
    }
  }
}

resource "aws_sqs_queue_policy" "bucket_notifications" {
  for_each = local.notified_queues

  queue_url = each.value.id
  policy    = data.aws_iam_policy_document.bucket_notifications[each.key].json
}
