package io.predictionarchiver.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;
import java.time.Duration;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.params.provider.ValueSource;

/** {@code archiver.api.*}: presets, overrides, validation, and a token that never shows. */
class ApiPropertiesTests {

    private static final String TOKEN = "r8_SECRETsecretSECRET0123456789";

    @ParameterizedTest
    @CsvSource({
            "REPLICATE, https://api.replicate.com, /v1/predictions/{id}",
            "COMETAPI,  https://api.cometapi.com,  /replicate/v1/predictions/{id}",
            "DEERAPI,   https://api.deerapi.com,   /replicate/v1/predictions/{id}"})
    void presetsGiveTheContractsBaseUrlAndPath(ApiProvider provider, String baseUrl, String predictionPath) {
        ApiProperties api = properties(provider, null, null);

        assertThat(api.baseUrl()).isEqualTo(URI.create(baseUrl));
        assertThat(api.predictionPath()).isEqualTo(predictionPath);
        assertThat(provider.baseUrl()).isEqualTo(URI.create(baseUrl));
        assertThat(provider.predictionPath()).isEqualTo(predictionPath);
    }

    @Test
    void onlyReplicateIsKnownToServeTheListEndpoint() {
        assertThat(ApiProvider.REPLICATE.hasListEndpoint()).isTrue();
        assertThat(ApiProvider.COMETAPI.hasListEndpoint()).isFalse();
        assertThat(ApiProvider.DEERAPI.hasListEndpoint()).isFalse();
    }

    @Test
    void replicateListsAtItsPresetListPath() {
        assertThat(withListPath(ApiProvider.REPLICATE, null).listPath()).isEqualTo("/v1/predictions");
        assertThat(withListPath(ApiProvider.REPLICATE, "  ").listPath()).isEqualTo("/v1/predictions");
    }

    @ParameterizedTest
    @EnumSource(value = ApiProvider.class, names = {"COMETAPI", "DEERAPI"})
    void aggregatorsHaveNoListPathUnlessOneIsSet(ApiProvider provider) {
        assertThat(provider.listPath()).isEqualTo("/replicate/v1/predictions");
        assertThat(withListPath(provider, null).listPath()).isNull();
        assertThat(withListPath(provider, null).toString()).contains("listPath=none");
        assertThat(withListPath(provider, "/replicate/v1/predictions").listPath())
                .isEqualTo("/replicate/v1/predictions");
    }

    @Test
    void listPathWithAnIdIsRejectedNamingIt() {
        assertThatThrownBy(() -> withListPath(ApiProvider.REPLICATE, "/v1/predictions/{id}"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.api.list-path is the list endpoint and must not contain {id}, but was "
                        + "'/v1/predictions/{id}'");
    }

    @Test
    void noProviderMeansReplicate() {
        ApiProperties api = properties(null, null, null);

        assertThat(api.provider()).isEqualTo(ApiProvider.REPLICATE);
        assertThat(api.baseUrl()).isEqualTo(URI.create("https://api.replicate.com"));
        assertThat(api.predictionPath()).isEqualTo("/v1/predictions/{id}");
    }

    @Test
    void baseUrlOverrideWinsOverThePreset() {
        ApiProperties api = properties(ApiProvider.COMETAPI, URI.create("http://127.0.0.1:8089"), null);

        assertThat(api.baseUrl()).isEqualTo(URI.create("http://127.0.0.1:8089"));
        assertThat(api.predictionPath()).isEqualTo("/replicate/v1/predictions/{id}");
    }

    @Test
    void predictionPathOverrideWinsOverThePreset() {
        ApiProperties api = properties(ApiProvider.DEERAPI, null, "/proxy/predictions/{id}?full=1");

        assertThat(api.baseUrl()).isEqualTo(URI.create("https://api.deerapi.com"));
        assertThat(api.predictionPath()).isEqualTo("/proxy/predictions/{id}?full=1");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "   "})
    void blankPredictionPathFallsBackToThePreset(String blank) {
        assertThat(properties(ApiProvider.COMETAPI, null, blank).predictionPath())
                .isEqualTo("/replicate/v1/predictions/{id}");
    }

    @Test
    void predictionPathWithoutIdIsRejectedNamingIt() {
        assertThatThrownBy(() -> properties(null, null, "/v1/predictions/"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.api.prediction-path must contain {id}, but was '/v1/predictions/'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"ftp://api.replicate.com", "file:///etc/passwd", "api.replicate.com",
            "//api.replicate.com"})
    void nonHttpBaseUrlIsRejectedNamingIt(String baseUrl) {
        assertThatThrownBy(() -> properties(null, URI.create(baseUrl), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.api.base-url must be an http or https URL with a host, but was '" + baseUrl
                        + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"https:/api.replicate.com", "https:api.replicate.com", "http:///v1"})
    void baseUrlWithoutHostIsRejectedNamingIt(String baseUrl) {
        assertThatThrownBy(() -> properties(null, URI.create(baseUrl), null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.api.base-url must be an http or https URL with a host, but was '" + baseUrl
                        + "'");
    }

    @ParameterizedTest
    @ValueSource(strings = {"HTTPS://api.replicate.com", "Http://127.0.0.1:8089", "https://api.replicate.com/"})
    void baseUrlSchemeIsCaseInsensitive(String baseUrl) {
        assertThat(properties(null, URI.create(baseUrl), null).baseUrl()).isEqualTo(URI.create(baseUrl));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
            "0  | 20 | 30s | archiver.api.requests-per-minute must be greater than 0, but was 0",
            "-1 | 20 | 30s | archiver.api.requests-per-minute must be greater than 0, but was -1",
            "60 | 0  | 30s | archiver.api.burst must be greater than 0, but was 0",
            "60 | 20 | 0s  | archiver.api.request-timeout must be a positive duration, but was PT0S",
            "60 | 20 | -1s | archiver.api.request-timeout must be a positive duration, but was PT-1S"})
    void nonPositiveLimitsAreRejectedNamingThePropertyAndValue(int requestsPerMinute, int burst, String timeout,
            String message) {
        Duration requestTimeout = Duration.parse("PT" + timeout.toUpperCase());

        assertThatThrownBy(() -> new ApiProperties(ApiProvider.REPLICATE, null, null, null, TOKEN, requestsPerMinute,
                burst, requestTimeout))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage(message);
    }

    @Test
    void missingRequestTimeoutIsRejectedNamingIt() {
        assertThatThrownBy(() -> new ApiProperties(null, null, null, null, null, 60, 20, null))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.api.request-timeout must be a positive duration, but was null");
    }

    @ParameterizedTest
    @ValueSource(strings = {"", "  "})
    void blankTokenCountsAsNone(String blank) {
        ApiProperties api = new ApiProperties(null, null, null, null, blank, 60, 20, Duration.ofSeconds(30));

        assertThat(api.token()).isNull();
        assertThat(api.toString()).contains("token=none");
    }

    @Test
    void toStringNeverContainsTheToken() {
        ApiProperties api = properties(ApiProvider.REPLICATE, null, null);

        assertThat(api.token()).isEqualTo(TOKEN);
        assertThat(api.toString())
                .doesNotContain(TOKEN)
                .doesNotContain("SECRET")
                .contains("token=***")
                .contains("baseUrl=https://api.replicate.com")
                .contains("requestsPerMinute=2400");
    }

    private static ApiProperties withListPath(ApiProvider provider, String listPath) {
        return new ApiProperties(provider, null, null, listPath, TOKEN, 2400, 20, Duration.ofSeconds(30));
    }

    private static ApiProperties properties(ApiProvider provider, URI baseUrl, String predictionPath) {
        return new ApiProperties(provider, baseUrl, predictionPath, null, TOKEN, 2400, 20, Duration.ofSeconds(30));
    }
}
