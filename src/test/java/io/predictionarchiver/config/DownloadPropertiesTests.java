package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.springframework.util.unit.DataSize;

/** {@code archiver.download.*}: host rules and limits checked at start-up. */
class DownloadPropertiesTests {

    private static final List<String> REPLICATE_HOSTS = List.of("replicate.delivery", "*.replicate.delivery");

    @Test
    void acceptsHostNamesWildcardsAndAddresses() {
        DownloadProperties download = withHosts(List.of("replicate.delivery", "*.replicate.delivery", "127.0.0.1",
                "localhost", "my-cdn.example.com", "*.s3.us-east-1.amazonaws.com", "Upper.Example"));

        assertThat(download.allowedHosts()).hasSize(7).startsWith("replicate.delivery", "*.replicate.delivery");
    }

    @ParameterizedTest
    @ValueSource(strings = {"a/b", "*", "x:443", "", " ", "*.", "**.x", "a.*.b", "x*", "https://replicate.delivery",
            "replicate.delivery/", "user@replicate.delivery", "a b", " replicate.delivery", "a..b", ".x", "x?y",
            "[::1]", "caf\u00e9.example"})
    void rejectsEntriesThatAreNotAHostOrAWildcardOverOne(String entry) {
        assertThatThrownBy(() -> withHosts(List.of("replicate.delivery", entry)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.download.allowed-hosts entry '" + entry
                        + "' is not a host name or a '*.' wildcard over one");
    }

    @Test
    void missingHostsMeansNothingIsAllowed() {
        assertThat(withHosts(null).allowedHosts()).isEmpty();
    }

    @Test
    void hostListIsACopy() {
        List<String> hosts = new ArrayList<>(REPLICATE_HOSTS);
        DownloadProperties download = withHosts(hosts);

        hosts.add("evil.example");

        assertThat(download.allowedHosts()).containsExactlyElementsOf(REPLICATE_HOSTS);
        assertThatThrownBy(() -> download.allowedHosts().add("evil.example"))
                .isInstanceOf(UnsupportedOperationException.class);
    }

    @ParameterizedTest
    @ValueSource(ints = {0, -3})
    void nonPositiveConcurrencyIsRejected(int concurrency) {
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, concurrency,
                DataSize.ofGigabytes(50), 3, 5, Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.download.concurrency must be greater than 0, but was " + concurrency);
    }

    @Test
    void nonPositiveMaxFileSizeIsRejected() {
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofBytes(0), 3, 5,
                Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .hasMessage("archiver.download.max-file-size must be a positive size, but was 0B");
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, null, 3, 5,
                Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .hasMessage("archiver.download.max-file-size must be a positive size, but was null");
    }

    @Test
    void zeroMaxAttemptsIsRejected() {
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofGigabytes(50), 0,
                5, Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .hasMessage("archiver.download.max-attempts must be greater than 0, but was 0");
    }

    @Test
    void zeroMaxRedirectsMeansRedirectsAreNotFollowed() {
        DownloadProperties download = new DownloadProperties(REPLICATE_HOSTS, false, false, 8,
                DataSize.ofGigabytes(50), 3, 0, Duration.ofSeconds(10), Duration.ofSeconds(60));

        assertThat(download.maxRedirects()).isZero();
    }

    @Test
    void negativeMaxRedirectsIsRejected() {
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofGigabytes(50), 3,
                -1, Duration.ofSeconds(10), Duration.ofSeconds(60)))
                .hasMessage("archiver.download.max-redirects must be 0 or more, but was -1");
    }

    @Test
    void nonPositiveTimeoutsAreRejected() {
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofGigabytes(50), 3,
                5, Duration.ZERO, Duration.ofSeconds(60)))
                .hasMessage("archiver.download.connect-timeout must be a positive duration, but was PT0S");
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofGigabytes(50), 3,
                5, Duration.ofSeconds(10), Duration.ofMillis(-1)))
                .hasMessage("archiver.download.idle-timeout must be a positive duration, but was PT-0.001S");
    }

    @Test
    void oneStreamRateDefaultsTo40MegabytesASecondAndZeroRangesEveryFile() {
        assertThat(withHosts(REPLICATE_HOSTS).oneStreamRate()).isEqualTo(DataSize.ofMegabytes(40));
        assertThat(new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofGigabytes(50), 3, 5,
                Duration.ofSeconds(10), Duration.ofSeconds(60), null, null, 8, DataSize.ofBytes(0)).oneStreamRate())
                .isEqualTo(DataSize.ofBytes(0));
    }

    @Test
    void aNegativeOneStreamRateIsRejected() {
        assertThatThrownBy(() -> new DownloadProperties(REPLICATE_HOSTS, false, false, 8, DataSize.ofGigabytes(50), 3,
                5, Duration.ofSeconds(10), Duration.ofSeconds(60), null, null, 8, DataSize.ofBytes(-1)))
                .hasMessage("archiver.download.one-stream-rate must be 0 or more, but was -1B");
    }

    private static DownloadProperties withHosts(List<String> hosts) {
        return new DownloadProperties(hosts, false, false, 8, DataSize.ofGigabytes(50), 3, 5, Duration.ofSeconds(10),
                Duration.ofSeconds(60));
    }
}
