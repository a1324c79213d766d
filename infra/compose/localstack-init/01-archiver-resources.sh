#!/bin/bash
# Runs inside LocalStack once it is ready (ready.d hook): the resources infra/terraform creates on AWS, under
# the names docker-compose.yml gives the daemon.
set -euo pipefail

BUCKET=archive
REQUESTS=prediction-archiver-requests
ARCHIVED=prediction-archiver-archived
MAX_RECEIVE_COUNT=5

awslocal s3api create-bucket --bucket "$BUCKET"

dlq_url=$(awslocal sqs create-queue --queue-name "$REQUESTS-dlq" --query QueueUrl --output text)
dlq_arn=$(awslocal sqs get-queue-attributes --queue-url "$dlq_url" --attribute-names QueueArn \
    --query Attributes.QueueArn --output text)
awslocal sqs create-queue --queue-name "$REQUESTS" --attributes "{
    \"VisibilityTimeout\": \"300\",
    \"ReceiveMessageWaitTimeSeconds\": \"20\",
    \"RedrivePolicy\": \"{\\\"deadLetterTargetArn\\\":\\\"$dlq_arn\\\",\\\"maxReceiveCount\\\":\\\"$MAX_RECEIVE_COUNT\\\"}\"
}"
awslocal sqs create-queue --queue-name "$ARCHIVED"

awslocal s3api put-bucket-notification-configuration --bucket "$BUCKET" \
    --notification-configuration file:///opt/archiver/bucket-notifications.json

echo "archiver resources ready: s3://$BUCKET, queues $REQUESTS (dead letters: $REQUESTS-dlq) and $ARCHIVED"
