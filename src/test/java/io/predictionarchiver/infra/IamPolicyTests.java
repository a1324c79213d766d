package io.predictionarchiver.infra;

import static java.util.Map.entry;
import static io.predictionarchiver.infra.InfraFiles.map;
import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.function.Consumer;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;

import software.amazon.awssdk.core.SdkRequest;
import software.amazon.awssdk.services.s3.S3AsyncClient;

/**
 * The daemon's IAM policy in {@code infra/terraform/iam.tf} grants exactly the actions the code needs: the
 * AWS SDK operations are found in {@code src/main/java} (every call on a variable of a client type), mapped to
 * IAM actions by {@link #ACTIONS}, and compared with the policy both ways. A new SDK call without a policy
 * change, or a grant no call needs, fails here.
 */
class IamPolicyTests {

    private static final List<String> CLIENT_TYPES = List.of(
            S3AsyncClient.class.getName(), "software.amazon.awssdk.services.sqs.SqsAsyncClient");

    /** SDK operation (client method) to the IAM actions it needs (the Service Authorization Reference). */
    private static final Map<String, Set<String>> ACTIONS = Map.ofEntries(
            entry("putObject", Set.of("s3:PutObject")),
            entry("getObject", Set.of("s3:GetObject")),
            entry("headObject", Set.of("s3:GetObject")),
            entry("headBucket", Set.of("s3:ListBucket")),
            entry("listObjectsV2", Set.of("s3:ListBucket")),
            entry("listObjectsV2Paginator", Set.of("s3:ListBucket")),
            entry("listMultipartUploads", Set.of("s3:ListBucketMultipartUploads")),
            entry("listMultipartUploadsPaginator", Set.of("s3:ListBucketMultipartUploads")),
            entry("createMultipartUpload", Set.of("s3:PutObject")),
            entry("uploadPart", Set.of("s3:PutObject")),
            entry("completeMultipartUpload", Set.of("s3:PutObject")),
            entry("abortMultipartUpload", Set.of("s3:AbortMultipartUpload")),
            // reads the source, writes the target; the multipart-enabled client turns a copy over 5 GB into
            // part copies, which it aborts on failure
            entry("copyObject", Set.of("s3:GetObject", "s3:PutObject", "s3:AbortMultipartUpload")),
            entry("deleteObject", Set.of("s3:DeleteObject")),
            entry("receiveMessage", Set.of("sqs:ReceiveMessage")),
            entry("deleteMessage", Set.of("sqs:DeleteMessage")),
            entry("deleteMessageBatch", Set.of("sqs:DeleteMessage")),
            entry("changeMessageVisibility", Set.of("sqs:ChangeMessageVisibility")),
            entry("changeMessageVisibilityBatch", Set.of("sqs:ChangeMessageVisibility")),
            entry("getQueueAttributes", Set.of("sqs:GetQueueAttributes")),
            entry("getQueueUrl", Set.of("sqs:GetQueueUrl")),
            entry("sendMessage", Set.of("sqs:SendMessage")));

    private final Map<String, Object> terraform = InfraFiles.terraform();

    @Test
    void theDaemonPolicyGrantsExactlyTheActionsOfTheSdkCallsInTheCode() throws IOException {
        Map<String, Set<String>> operations = sdkOperationsCalled();
        assertThat(operations).as("SDK calls found in src/main/java").containsKeys("putObject", "getObject",
                "receiveMessage", "deleteMessage", "changeMessageVisibility");
        assertThat(ACTIONS).as("IAM actions of every SDK operation the code calls (where: %s)", operations)
                .containsKeys(operations.keySet().toArray(String[]::new));
        Set<String> needed = operations.keySet().stream().flatMap(operation -> ACTIONS.get(operation).stream())
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(grantedActions()).isEqualTo(needed);
    }

    @Test
    void listingIsLimitedToTheArchiversOwnPrefixes() {
        Map<String, Object> listing = statement("BucketListing");
        Map<String, Object> condition = InfraFiles.blocks(listing, "condition").get(0);
        Set<String> prefixVariables = map(terraform, "variable").keySet().stream()
                .filter(name -> name.endsWith("prefix")).map(name -> "var." + name + "*")
                .collect(Collectors.toCollection(TreeSet::new));

        assertThat(strings(listing.get("actions"))).containsExactly("s3:ListBucket");
        assertThat(condition).containsEntry("variable", "s3:prefix")
                // HeadBucket and the 404 of a missing key carry no s3:prefix
                .containsEntry("test", "StringLikeIfExists");
        assertThat(new TreeSet<>(strings(condition.get("values")))).isEqualTo(prefixVariables)
                .contains("var.prefix*", "var.tracking_prefix*", "var.ingest_prefix*");
        assertThat(statements()).filteredOn(statement -> strings(statement.get("actions")).contains("s3:ListBucket"))
                .as("only one statement grants s3:ListBucket").hasSize(1);
    }

    @Test
    void theDaemonMayNeverDeleteAnArchivedObject() {
        Map<String, Object> archives = statement("Archives");

        assertThat(strings(archives.get("resources"))).containsExactly("aws_s3_bucket.archive.arn/var.prefix*");
        assertThat(strings(archives.get("actions"))).doesNotContain("s3:DeleteObject", "s3:*");
    }

    @Test
    void everyGrantNamesTheArchiveBucketTheRequestQueueOrItsDeadLetterQueueAndNoWildcardAction() {
        for (Map<String, Object> statement : statements()) {
            assertThat(statement.get("effect")).as("effect of %s", statement.get("sid")).isIn(null, "Allow");
            assertThat(strings(statement.get("actions"))).as("actions of %s", statement.get("sid"))
                    .allMatch(action -> !action.contains("*"));
            assertThat(strings(statement.get("resources"))).as("resources of %s", statement.get("sid"))
                    .isNotEmpty()
                    .allMatch(resource -> resource.startsWith("aws_s3_bucket.archive.arn")
                            || resource.equals("aws_sqs_queue.requests.arn")
                            || resource.equals("aws_sqs_queue.requests_dlq.arn"));
        }
    }

    private Set<String> grantedActions() {
        return statements().stream().flatMap(statement -> strings(statement.get("actions")).stream())
                .collect(Collectors.toCollection(TreeSet::new));
    }

    private List<Map<String, Object>> statements() {
        return InfraFiles.blocks(InfraFiles.data(terraform, "aws_iam_policy_document", "daemon"), "statement");
    }

    private Map<String, Object> statement(String sid) {
        return statements().stream().filter(statement -> sid.equals(statement.get("sid"))).findFirst()
                .orElseThrow(() -> new AssertionError("no statement " + sid + " in the daemon policy"));
    }

    private static List<String> strings(Object values) {
        return ((Collection<?>) values).stream().map(String::valueOf).toList();
    }

    /** Client operation name to the source files calling it. */
    private static Map<String, Set<String>> sdkOperationsCalled() throws IOException {
        Map<String, Set<String>> called = new TreeMap<>();
        for (String clientType : CLIENT_TYPES) {
            Set<String> operations = operationsOf(clientType);
            if (operations.isEmpty()) {
                continue;
            }
            String simpleName = clientType.substring(clientType.lastIndexOf('.') + 1);
            Pattern declaration = Pattern.compile("\\b" + simpleName + "\\s+(\\w+)\\b");
            try (Stream<Path> sources = Files.walk(Path.of("src", "main", "java"))) {
                for (Path source : sources.filter(path -> path.toString().endsWith(".java")).toList()) {
                    String code = Files.readString(source);
                    Matcher variables = declaration.matcher(code);
                    while (variables.find()) {
                        Matcher calls = Pattern.compile("\\b" + variables.group(1) + "\\s*\\.\\s*(\\w+)\\s*\\(")
                                .matcher(code);
                        while (calls.find()) {
                            // a method the client does not have is a call on another variable of that name
                            if (operations.contains(calls.group(1))) {
                                called.computeIfAbsent(calls.group(1), operation -> new TreeSet<>())
                                        .add(source.getFileName().toString());
                            }
                        }
                    }
                }
            }
        }
        return called;
    }

    /** The methods of a client that send a request; none when the client is not on the classpath. */
    private static Set<String> operationsOf(String clientType) {
        Class<?> client;
        try {
            client = Class.forName(clientType);
        } catch (ClassNotFoundException notADependency) {
            return Set.of();
        }
        return Arrays.stream(client.getMethods())
                .filter(method -> method.getParameterCount() > 0 && sendsRequest(method))
                .map(Method::getName)
                .collect(Collectors.toSet());
    }

    private static boolean sendsRequest(Method method) {
        Class<?> first = method.getParameterTypes()[0];
        return SdkRequest.class.isAssignableFrom(first) || first == Consumer.class;
    }
}
