package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.atomic.AtomicReference;

import com.sun.net.httpserver.HttpServer;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import software.amazon.awssdk.auth.credentials.AwsCredentials;
import software.amazon.awssdk.auth.credentials.DefaultCredentialsProvider;
import software.amazon.awssdk.auth.credentials.ProfileCredentialsProvider;
import software.amazon.awssdk.profiles.ProfileFile;

/**
 * The credentials AWS users configure resolve with the modules the jar ships: SSO profiles (legacy and
 * {@code sso-session}, as {@code aws configure sso} writes them) need {@code sso} and {@code ssooidc}, web
 * identity (EKS IRSA, the pod role of {@code infra/k8s}) needs {@code sts}. Without a module the SDK fails
 * with "the '...' service module must be on the class path" before it reads anything.
 */
class AwsCredentialsTests {

    private static final String MISSING_MODULE = "must be on the class path";

    @TempDir
    Path directory;

    @Test
    void aLegacySsoProfileIsHandledByTheSsoModuleAndAsksForALogin() throws IOException {
        Throwable failure = resolveProfile("""
                [profile dev]
                sso_start_url = https://example.awsapps.com/start
                sso_region = us-east-1
                sso_account_id = 123456789012
                sso_role_name = Archiver
                region = eu-west-1
                """);

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).doesNotContain(MISSING_MODULE);
        // the sso module went looking for the token `aws sso login` caches
        assertThat(failure).hasStackTraceContaining("software.amazon.awssdk.services.sso");
    }

    @Test
    void anSsoSessionProfileIsHandledByTheSsoAndSsoOidcModules() throws IOException {
        Throwable failure = resolveProfile("""
                [profile dev]
                sso_session = corp
                sso_account_id = 123456789012
                sso_role_name = Archiver

                [sso-session corp]
                sso_start_url = https://example.awsapps.com/start
                sso_region = us-east-1
                sso_registration_scopes = sso:account:access
                """);

        assertThat(failure).isNotNull();
        assertThat(failure.getMessage()).doesNotContain(MISSING_MODULE);
        assertThat(failure).hasStackTraceContaining("software.amazon.awssdk.services.ssooidc");
    }

    @Test
    void theDefaultChainAssumesTheRoleOfAWebIdentityTokenThroughSts() throws IOException {
        assumeTrue(System.getenv("AWS_ACCESS_KEY_ID") == null,
                "environment credentials come before web identity in the default chain");
        Path token = Files.writeString(directory.resolve("token"), "eyJ.irsa-token.sig");
        AtomicReference<String> request = new AtomicReference<>();
        HttpServer sts = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        sts.createContext("/", exchange -> {
            request.set(URLDecoder.decode(new String(exchange.getRequestBody().readAllBytes(),
                    StandardCharsets.UTF_8), StandardCharsets.UTF_8));
            byte[] body = ASSUMED_ROLE.getBytes(StandardCharsets.UTF_8);
            exchange.getResponseHeaders().add("Content-Type", "text/xml");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        sts.start();
        Map<String, String> properties = Map.of(
                "aws.roleArn", "arn:aws:iam::123456789012:role/prediction-archiver",
                "aws.webIdentityTokenFile", token.toString(),
                "aws.roleSessionName", "archiver-test",
                "aws.region", "us-east-1",
                "aws.endpointUrlSts", "http://127.0.0.1:" + sts.getAddress().getPort());
        properties.forEach(System::setProperty);
        try (DefaultCredentialsProvider chain = DefaultCredentialsProvider.builder().build()) {
            AwsCredentials credentials = chain.resolveCredentials();

            assertThat(credentials.accessKeyId()).isEqualTo("ASIAIRSAEXAMPLE");
            assertThat(request.get()).contains("Action=AssumeRoleWithWebIdentity", "WebIdentityToken=eyJ.irsa-token.sig",
                    "RoleArn=arn:aws:iam::123456789012:role/prediction-archiver");
        } finally {
            properties.keySet().forEach(System::clearProperty);
            sts.stop(0);
        }
    }

    private Throwable resolveProfile(String config) throws IOException {
        Path file = Files.writeString(directory.resolve("config"), config);
        ProfileFile profiles = ProfileFile.builder().content(file).type(ProfileFile.Type.CONFIGURATION).build();
        try (ProfileCredentialsProvider provider = ProfileCredentialsProvider.builder()
                .profileFile(profiles).profileName("dev").build()) {
            return catchThrowable(provider::resolveCredentials);
        }
    }

    private static final String ASSUMED_ROLE = """
            <AssumeRoleWithWebIdentityResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/">
              <AssumeRoleWithWebIdentityResult>
                <Credentials>
                  <AccessKeyId>ASIAIRSAEXAMPLE</AccessKeyId>
                  <SecretAccessKey>irsa-secret</SecretAccessKey>
                  <SessionToken>irsa-session</SessionToken>
                  <Expiration>2099-01-01T00:00:00Z</Expiration>
                </Credentials>
                <AssumedRoleUser>
                  <AssumedRoleId>AROAEXAMPLE:archiver-test</AssumedRoleId>
                  <Arn>arn:aws:sts::123456789012:assumed-role/prediction-archiver/archiver-test</Arn>
                </AssumedRoleUser>
              </AssumeRoleWithWebIdentityResult>
              <ResponseMetadata><RequestId>1</RequestId></ResponseMetadata>
            </AssumeRoleWithWebIdentityResponse>
            """;
}
