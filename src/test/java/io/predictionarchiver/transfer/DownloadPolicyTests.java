package io.predictionarchiver.transfer;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.predictionarchiver.config.DownloadProperties;

import org.junit.jupiter.api.Test;
import org.springframework.util.unit.DataSize;

import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

class DownloadPolicyTests {

    static DownloadProperties properties(List<String> hosts, boolean allowHttp, boolean allowPrivateNetworks) {
        return new DownloadProperties(hosts, allowHttp, allowPrivateNetworks, 8, DataSize.ofGigabytes(50), 3, 5,
                Duration.ofSeconds(10), Duration.ofSeconds(60));
    }

    static final DownloadProperties DEFAULTS =
            properties(List.of("replicate.delivery", "*.replicate.delivery"), false, false);

    private final DownloadPolicy policy = new DownloadPolicy(DEFAULTS);

    @Test
    void rejectsEveryHostileFixtureUrlWithAReason() throws IOException {
        List<String> urls = hostileFixtureUrls();
        assertThat(urls).hasSize(8);
        for (String url : urls) {
            assertThat(policy.rejection(url)).as(url).hasValueSatisfying(reason -> assertThat(reason).isNotBlank());
        }
    }

    @Test
    void namesTheRuleEachHostileUrlBreaks() {
        assertThat(policy.rejection("http://replicate.delivery/plain-http/out-0.png")).get().asString()
                .contains("plain http");
        assertThat(policy.rejection("https://169.254.169.254/latest/meta-data/iam")).get().asString()
                .isEqualTo("host '169.254.169.254' is a link-local address;"
                        + " set archiver.download.allow-private-networks to accept it");
        assertThat(policy.rejection("https://replicate.delivery.evil.example/out-1.png")).get().asString()
                .isEqualTo("host 'replicate.delivery.evil.example' is not in archiver.download.allowed-hosts");
        assertThat(policy.rejection("https://evilreplicate.delivery/out-2.png")).get().asString()
                .isEqualTo("host 'evilreplicate.delivery' is not in archiver.download.allowed-hosts");
        assertThat(policy.rejection("https://user:pw@replicate.delivery/xezq/a/out-3.png")).get().asString()
                .contains("credentials").doesNotContain("pw");
        assertThat(policy.rejection("file:///etc/passwd")).get().asString().contains("scheme 'file'");
        assertThat(policy.rejection("https://replicate.delivery/xezq/a/../../out-4.png")).get().asString()
                .isEqualTo("the path contains a '..' segment");
        assertThat(policy.rejection("not a url at all")).get().asString().startsWith("not a valid URL");
    }

    @Test
    void acceptsDeliveryUrls() {
        assertThat(policy.rejection("https://replicate.delivery/yhqm/abc123/out-0.webp")).isEmpty();
        assertThat(policy.rejection("https://pbxt.replicate.delivery/xyz/output.mp4")).isEmpty();
        assertThat(policy.rejection("https://a.b.replicate.delivery/xyz/audio.wav?x=1")).isEmpty();
        assertThat(policy.rejection("HTTPS://Replicate.Delivery/yhqm/abc123/out-0.webp")).isEmpty();
    }

    @Test
    void wildcardMatchesSubdomainsOnly() {
        DownloadPolicy wildcardOnly = new DownloadPolicy(properties(List.of("*.example.com"), false, false));
        assertThat(wildcardOnly.rejection("https://cdn.example.com/f")).isEmpty();
        assertThat(wildcardOnly.rejection("https://a.cdn.example.com/f")).isEmpty();
        assertThat(wildcardOnly.rejection("https://example.com/f")).isPresent();
        assertThat(wildcardOnly.rejection("https://evilexample.com/f")).isPresent();
        assertThat(wildcardOnly.rejection("https://cdn.example.com.evil.example/f")).isPresent();
    }

    @Test
    void refusesOtherSchemesEvenWithHttpAllowed() {
        DownloadPolicy lenient = new DownloadPolicy(properties(List.of("replicate.delivery"), true, true));
        assertThat(lenient.rejection("ftp://replicate.delivery/f")).get().asString().contains("scheme 'ftp'");
        assertThat(lenient.rejection("gopher://replicate.delivery/f")).get().asString().contains("scheme 'gopher'");
        assertThat(lenient.rejection("data:image/png;base64,AAAA")).get().asString().contains("scheme 'data'");
        assertThat(lenient.rejection("//replicate.delivery/f")).get().asString().contains("no scheme");
        assertThat(lenient.rejection("")).isPresent();
        assertThat(lenient.rejection(null)).isPresent();
    }

    @Test
    void allowHttpAcceptsPlainHttp() {
        DownloadPolicy withHttp = new DownloadPolicy(properties(DEFAULTS.allowedHosts(), true, false));
        assertThat(withHttp.rejection("http://replicate.delivery/plain-http/out-0.png")).isEmpty();
    }

    @Test
    void refusesNonPublicIpLiteralsEvenWhenListedAsHosts() {
        // IPv6 literals cannot be listed; they are refused by the same rule, before the host list is consulted
        DownloadPolicy listed = new DownloadPolicy(properties(
                List.of("169.254.169.254", "127.0.0.1", "10.1.2.3", "100.64.0.1", "0.0.0.0"),
                false, false));
        assertThat(listed.rejection("https://169.254.169.254/latest")).get().asString().contains("link-local");
        assertThat(listed.rejection("https://127.0.0.1/f")).get().asString().contains("loopback");
        assertThat(listed.rejection("https://10.1.2.3/f")).get().asString().contains("private");
        assertThat(listed.rejection("https://[::1]/f")).get().asString().contains("loopback");
        assertThat(listed.rejection("https://[fd00::1]/f")).get().asString().contains("unique-local");
        assertThat(listed.rejection("https://[::ffff:127.0.0.1]/f")).get().asString().contains("loopback");
        assertThat(listed.rejection("https://100.64.0.1/f")).get().asString().contains("carrier-grade NAT");
        assertThat(listed.rejection("https://0.0.0.0/f")).get().asString().contains("unspecified");
    }

    @Test
    void allowPrivateNetworksAcceptsListedPrivateLiterals() {
        DownloadPolicy lenient = new DownloadPolicy(properties(List.of("127.0.0.1"), true, true));
        assertThat(lenient.rejection("http://127.0.0.1:8080/f")).isEmpty();
        assertThat(lenient.rejection("http://10.0.0.1:8080/f")).get().asString().contains("not in");
    }

    @Test
    void refusesDotSegmentsBeforeNormalisation() {
        assertThat(policy.rejection("https://replicate.delivery/a/./b.png")).get().asString().contains("'.'");
        assertThat(policy.rejection("https://replicate.delivery/a/%2E%2e/b.png")).get().asString().contains("'..'");
        assertThat(policy.rejection("https://replicate.delivery/a/..")).isPresent();
        assertThat(policy.rejection("https://replicate.delivery/a/..b/c.png")).isEmpty();
    }

    static List<String> hostileFixtureUrls() throws IOException {
        try (InputStream json = DownloadPolicyTests.class.getResourceAsStream("/fixtures/succeeded-hostile-output.json")) {
            JsonNode output = JsonMapper.builder().build().readTree(json).get("output");
            List<String> urls = new ArrayList<>();
            output.forEach(node -> urls.add(node.asString()));
            return urls;
        }
    }
}
