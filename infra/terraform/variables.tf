variable "region" {
  description = "AWS region of the bucket and the queues."
  type        = string
  default     = "us-east-1"
}

variable "bucket_name" {
  description = "The archive bucket (archiver.s3.bucket). Created here, with versioning off."
  type        = string
}

variable "prefix" {
  description = "Where archives go (archiver.s3.prefix): empty or ending with '/'."
  type        = string
  default     = "predictions/"

  validation {
    condition     = var.prefix == "" || endswith(var.prefix, "/")
    error_message = "prefix must be empty or end with '/', as archiver.s3.prefix."
  }
}

variable "tracking_prefix" {
  description = "Where the daemon keeps its durable tracking markers (archiver.tracking.prefix)."
  type        = string
  default     = "_tracking/"

  validation {
    condition     = endswith(var.tracking_prefix, "/")
    error_message = "tracking_prefix must end with '/', as archiver.tracking.prefix."
  }
}

variable "ingest_prefix" {
  description = "Drop folder: an object uploaded here holds prediction ids, one a line; its S3 event goes to the request queue and the daemon archives every id in it."
  type        = string
  default     = "_ingest/"

  validation {
    condition     = endswith(var.ingest_prefix, "/")
    error_message = "ingest_prefix must end with '/'."
  }
}

variable "queue_name" {
  description = "The request queue the daemon consumes (archiver.queue.url); its dead-letter queue is named after it."
  type        = string
  default     = "prediction-archiver-requests"
}

variable "max_receive_count" {
  description = "Receives of one message before SQS moves it to the dead-letter queue (the consumer never deletes a message it could not finish)."
  type        = number
  default     = 5
}

variable "visibility_timeout_seconds" {
  description = "The request queue's default visibility timeout; keep it equal to archiver.queue.visibility-timeout (5m)."
  type        = number
  default     = 300
}

variable "archived_events_queue_name" {
  description = "Example downstream consumer: receives one ObjectCreated event per archived prediction (its prediction.json)."
  type        = string
  default     = "prediction-archiver-archived"
}

variable "daemon_role_name" {
  description = "IAM role the daemon runs as (an EKS IRSA or ECS task role); the daemon policy is attached to it when set."
  type        = string
  default     = ""
}

variable "alarm_actions" {
  description = "Where the dead-letter queue alarm notifies (SNS topic ARNs); empty: the alarm only shows in CloudWatch."
  type        = list(string)
  default     = []
}

variable "kms_key_arn" {
  description = "The KMS key of archiver.s3.kms-key-id (with archiver.s3.sse=aws:kms); empty for SSE-S3 or the bucket's default."
  type        = string
  default     = ""
}
