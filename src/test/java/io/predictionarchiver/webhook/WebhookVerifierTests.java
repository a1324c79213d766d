package io.predictionarchiver.webhook;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Map;

import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.NullAndEmptySource;
import org.junit.jupiter.params.provider.ValueSource;

import io.predictionarchiver.config.WebhookProperties;
import io.predictionarchiver.webhook.WebhookVerifier.Verification;
import tools.jackson.core.type.TypeReference;
import tools.jackson.databind.json.JsonMapper;

/** Standard Webhooks verification against the signed fixture delivery and deliveries derived from it. */
class WebhookVerifierTests {

    private static final byte[] BODY = resource("/fixtures/webhook-completed.body");
    private static final Map<String, String> HEADERS = JsonMapper.builder().build()
            .readValue(resource("/fixtures/webhook-completed.headers.json"), new TypeReference<Map<String, String>>() {
            });
    private static final String SECRET = HEADERS.get("secret");
    private static final String ID = HEADERS.get("webhook-id");
    private static final String TIMESTAMP = HEADERS.get("webhook-timestamp");
    private static final String SIGNATURES = HEADERS.get("webhook-signature");
    private static final Instant SIGNED_AT = Instant.ofEpochSecond(Long.parseLong(TIMESTAMP));

    private final WebhookVerifier atSigningTime = verifierAt(SIGNED_AT);

    @Test
    void fixtureDeliveryVerifiesWithAClockAtItsTimestamp() {
        Verification verification = atSigningTime.verify(BODY, ID, TIMESTAMP, SIGNATURES);

        assertThat(verification.valid()).isTrue();
        assertThat(verification.reason()).isEqualTo("verified");
    }

    @Test
    void fixtureVerifiesOnlyThroughItsSecondSignature() {
        String[] entries = SIGNATURES.split(" ");
        assertThat(entries).hasSize(2);

        // The fixture's decoy is not even base64 (27 characters), so it is skipped rather than compared.
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, entries[0]))
                .isEqualTo(new Verification(false, "no v1 signature in webhook-signature header"));
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, entries[1]).valid()).isTrue();
    }

    @Test
    void anyMatchingSignatureVerifiesWhereverItStands() {
        String valid = SIGNATURES.split(" ")[1];
        String wellFormedButWrong = "v1," + Base64.getEncoder().encodeToString(new byte[32]);

        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, wellFormedButWrong))
                .isEqualTo(new Verification(false, "no signature matches"));
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, wellFormedButWrong + " " + valid).valid()).isTrue();
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, valid + " " + wellFormedButWrong).valid()).isTrue();
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP,
                wellFormedButWrong + " " + wellFormedButWrong + " " + valid).valid()).isTrue();
    }

    @Test
    void fixtureDeliveryIsRejectedWithTheRealClockBecauseItsTimestampIsOld() {
        Verification verification = new WebhookVerifier(SECRET, Clock.systemUTC())
                .verify(BODY, ID, TIMESTAMP, SIGNATURES);

        assertThat(verification).isEqualTo(new Verification(false, "webhook-timestamp outside the 5-minute tolerance"));
    }

    @Test
    void bodyWithOneByteChangedIsRejected() {
        byte[] tampered = BODY.clone();
        tampered[tampered.length / 2] ^= 1;

        assertThat(atSigningTime.verify(tampered, ID, TIMESTAMP, SIGNATURES))
                .isEqualTo(new Verification(false, "no signature matches"));
    }

    @Test
    void bodyWithAByteAppendedOrRemovedIsRejected() {
        byte[] longer = Arrays.copyOf(BODY, BODY.length + 1);
        longer[BODY.length] = '\n';
        byte[] shorter = Arrays.copyOf(BODY, BODY.length - 1);

        assertThat(atSigningTime.verify(longer, ID, TIMESTAMP, SIGNATURES).valid()).isFalse();
        assertThat(atSigningTime.verify(shorter, ID, TIMESTAMP, SIGNATURES).valid()).isFalse();
    }

    @Test
    void signedIdAndTimestampCannotBeSwapped() {
        String otherId = ID.substring(0, ID.length() - 1) + "X";

        assertThat(atSigningTime.verify(BODY, otherId, TIMESTAMP, SIGNATURES).reason())
                .isEqualTo("no signature matches");
        String nextSecond = String.valueOf(SIGNED_AT.getEpochSecond() + 1);
        assertThat(atSigningTime.verify(BODY, ID, nextSecond, SIGNATURES).reason())
                .isEqualTo("no signature matches");
    }

    @Test
    void wrongSecretIsRejected() {
        String otherSecret = "whsec_" + Base64.getEncoder().encodeToString(
                "another-account-secret-key-32-bytes".getBytes(StandardCharsets.US_ASCII));

        assertThat(new WebhookVerifier(otherSecret, clockAt(SIGNED_AT)).verify(BODY, ID, TIMESTAMP, SIGNATURES))
                .isEqualTo(new Verification(false, "no signature matches"));
    }

    @ParameterizedTest
    @ValueSource(longs = {-300, -299, 0, 299, 300})
    void timestampUpToFiveMinutesFromNowEitherWayIsAccepted(long clockOffsetSeconds) {
        assertThat(verifierAt(SIGNED_AT.plusSeconds(clockOffsetSeconds)).verify(BODY, ID, TIMESTAMP, SIGNATURES)
                .valid()).isTrue();
    }

    @ParameterizedTest
    @ValueSource(longs = {-301, 301, -86_400, 86_400})
    void timestampMoreThanFiveMinutesInThePastOrFutureIsRejected(long clockOffsetSeconds) {
        assertThat(verifierAt(SIGNED_AT.plusSeconds(clockOffsetSeconds)).verify(BODY, ID, TIMESTAMP, SIGNATURES))
                .isEqualTo(new Verification(false, "webhook-timestamp outside the 5-minute tolerance"));
    }

    @Test
    void theEdgeIsExactNotRoundedToTheSecond() {
        Instant justPastTheEdge = SIGNED_AT.plus(Duration.ofMinutes(5)).plusMillis(1);

        assertThat(verifierAt(justPastTheEdge).verify(BODY, ID, TIMESTAMP, SIGNATURES).valid()).isFalse();
    }

    @Test
    void timestampInMillisecondsByMistakeIsOutsideTheToleranceNotAFailure() {
        String millis = String.valueOf(SIGNED_AT.toEpochMilli());
        String farFuture = "999999999999999999";

        assertThat(atSigningTime.verify(BODY, ID, millis, SIGNATURES).reason())
                .isEqualTo("webhook-timestamp outside the 5-minute tolerance");
        assertThat(atSigningTime.verify(BODY, ID, farFuture, SIGNATURES).reason())
                .isEqualTo("webhook-timestamp outside the 5-minute tolerance");
    }

    @Test
    void toleranceComesFromTheProperties() {
        WebhookProperties oneMinute = new WebhookProperties(SECRET, Duration.ofMinutes(1));

        assertThat(new WebhookVerifier(oneMinute, clockAt(SIGNED_AT.plusSeconds(60)))
                .verify(BODY, ID, TIMESTAMP, SIGNATURES).valid()).isTrue();
        assertThat(new WebhookVerifier(oneMinute, clockAt(SIGNED_AT.plusSeconds(61)))
                .verify(BODY, ID, TIMESTAMP, SIGNATURES).reason())
                .isEqualTo("webhook-timestamp outside the 1-minute tolerance");
        assertThat(new WebhookVerifier(new WebhookProperties(SECRET, Duration.ofSeconds(90)),
                clockAt(SIGNED_AT.minusSeconds(91))).verify(BODY, ID, TIMESTAMP, SIGNATURES).reason())
                .isEqualTo("webhook-timestamp outside the 90-second tolerance");
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void missingHeadersAreNamed(String absent) {
        assertThat(atSigningTime.verify(BODY, absent, TIMESTAMP, SIGNATURES))
                .isEqualTo(new Verification(false, "missing webhook-id header"));
        assertThat(atSigningTime.verify(BODY, ID, absent, SIGNATURES))
                .isEqualTo(new Verification(false, "missing webhook-timestamp header"));
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, absent))
                .isEqualTo(new Verification(false, "missing webhook-signature header"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"1730913119.5", "+1730913119", "-1730913119", " 1730913119", "1730913119 ", "17309l3119",
            "2024-11-06T17:11:59Z", "1234567890123456789"})
    void timestampThatIsNotPlainUnixSecondsIsRejected(String timestamp) {
        assertThat(atSigningTime.verify(BODY, ID, timestamp, SIGNATURES))
                .isEqualTo(new Verification(false, "webhook-timestamp is not Unix seconds"));
    }

    @ParameterizedTest
    @ValueSource(strings = {"v112lQyILePJrBa1Y+3JcFoB2BKQIyzn7ojazh+pPVs8M=", "v1,12lQyILe*PJrBa1Y+3JcFoB2BKQIyzn7o",
            "v2,12lQyILePJrBa1Y+3JcFoB2BKQIyzn7ojazh+pPVs8M=", "V1,12lQyILePJrBa1Y+3JcFoB2BKQIyzn7ojazh+pPVs8M=",
            ",12lQyILePJrBa1Y+3JcFoB2BKQIyzn7ojazh+pPVs8M=", "12lQyILePJrBa1Y+3JcFoB2BKQIyzn7ojazh+pPVs8M="})
    void headerWithoutAUsableV1EntryIsRejected(String signatureHeader) {
        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, signatureHeader))
                .isEqualTo(new Verification(false, "no v1 signature in webhook-signature header"));
    }

    @Test
    void validMacUnderAnotherVersionIsIgnored() {
        String v2Only = "v2," + SIGNATURES.split(" ")[1].substring("v1,".length());

        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, v2Only).valid()).isFalse();
    }

    @Test
    void malformedEntriesBesideAValidOneAreSkipped() {
        String valid = SIGNATURES.split(" ")[1];
        String header = "v1 v1,not*base64 v2,AAAA v1a,AAAA ,AAAA v1,   " + valid + "  ";

        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, header).valid()).isTrue();
    }

    @Test
    void signatureMustMatchInFullLengthAndEveryByte() {
        byte[] mac = Base64.getDecoder().decode(SIGNATURES.split(" ")[1].substring("v1,".length()));
        byte[] lastByteFlipped = mac.clone();
        lastByteFlipped[mac.length - 1] ^= 1;
        byte[] truncated = Arrays.copyOf(mac, mac.length - 1);
        byte[] extended = Arrays.copyOf(mac, mac.length + 1);

        for (byte[] wrong : List.of(lastByteFlipped, truncated, extended, new byte[0])) {
            assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, "v1," + Base64.getEncoder().encodeToString(wrong)))
                    .isEqualTo(new Verification(false, "no signature matches"));
        }
    }

    @Test
    void unpaddedBase64SignatureVerifies() {
        String unpadded = SIGNATURES.split(" ")[1].replace("=", "");

        assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, unpadded).valid()).isTrue();
    }

    @Test
    void freshlySignedDeliveryWithAnEmptyBodyVerifies() {
        String timestamp = String.valueOf(SIGNED_AT.getEpochSecond());
        String signature = "v1," + sign(SECRET, "msg_empty." + timestamp + ".");

        assertThat(atSigningTime.verify(new byte[0], "msg_empty", timestamp, signature).valid()).isTrue();
    }

    @Test
    void secretWithoutPrefixIsTakenAsTheBase64KeyItself() {
        String rawBase64 = SECRET.substring("whsec_".length());

        assertThat(new WebhookVerifier(rawBase64, clockAt(SIGNED_AT)).verify(BODY, ID, TIMESTAMP, SIGNATURES).valid())
                .isTrue();
    }

    @Test
    void secretWithSurroundingWhitespaceVerifies() {
        assertThat(new WebhookVerifier(" " + SECRET + "\n", clockAt(SIGNED_AT)).verify(BODY, ID, TIMESTAMP, SIGNATURES)
                .valid()).isTrue();
    }

    @ParameterizedTest
    @NullAndEmptySource
    @ValueSource(strings = {"  "})
    void absentSecretFailsNamingThePropertyAndTheEnvironmentVariable(String absent) {
        assertThatThrownBy(() -> new WebhookVerifier(absent, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.webhook.secret is required to verify webhooks (env REPLICATE_WEBHOOK_SECRET)");
    }

    @Test
    void propertiesWithoutASecretCannotBuildAVerifier() {
        WebhookProperties none = new WebhookProperties(null, Duration.ofMinutes(5));

        assertThatThrownBy(() -> new WebhookVerifier(none, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("archiver.webhook.secret is required");
    }

    @ParameterizedTest
    @ValueSource(strings = {"whsec_c2VjcmV0*c2VjcmV0", "whsec_secret-with-dash", "not base64 at all", "whsec_c2VjcmV0=x"})
    void secretThatIsNotBase64FailsNamingThePropertyWithoutEchoingIt(String secret) {
        assertThatThrownBy(() -> new WebhookVerifier(secret, Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.webhook.secret must be 'whsec_' followed by base64, but its key part is not "
                        + "base64")
                .hasNoCause();
    }

    @Test
    void secretWithAnEmptyKeyFailsNamingTheProperty() {
        assertThatThrownBy(() -> new WebhookVerifier("whsec_", Clock.systemUTC()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("archiver.webhook.secret must be 'whsec_' followed by base64, but its key part is empty");
    }

    @Test
    void noReasonCarriesTheSecretOrTheExpectedSignature() {
        String expected = SIGNATURES.split(" ")[1].substring("v1,".length());
        String key = SECRET.substring("whsec_".length());
        byte[] tampered = BODY.clone();
        tampered[0] ^= 1;
        List<Verification> rejections = List.of(
                atSigningTime.verify(tampered, ID, TIMESTAMP, SIGNATURES),
                atSigningTime.verify(BODY, ID, TIMESTAMP, "v1,AAAA"),
                atSigningTime.verify(BODY, ID, TIMESTAMP, "v2," + expected),
                atSigningTime.verify(BODY, ID, "x", SIGNATURES),
                verifierAt(Instant.now()).verify(BODY, ID, TIMESTAMP, SIGNATURES));

        assertThat(rejections).allSatisfy(rejection -> {
            assertThat(rejection.valid()).isFalse();
            assertThat(rejection.toString()).doesNotContain(expected, key, SECRET);
        });
        assertThat(atSigningTime.toString()).doesNotContain(key);
    }

    @Test
    void oneVerifierServesManyDeliveries() {
        for (int i = 0; i < 3; i++) {
            assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, SIGNATURES).valid()).isTrue();
            assertThat(atSigningTime.verify(BODY, ID, TIMESTAMP, "v1,AAAA").valid()).isFalse();
        }
    }

    private static WebhookVerifier verifierAt(Instant now) {
        return new WebhookVerifier(SECRET, clockAt(now));
    }

    private static Clock clockAt(Instant now) {
        return Clock.fixed(now, ZoneOffset.UTC);
    }

    /** An independent signer for deliveries the fixture does not cover. */
    private static String sign(String secret, String content) {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(new SecretKeySpec(Base64.getDecoder().decode(secret.substring("whsec_".length())), "HmacSHA256"));
            return Base64.getEncoder().encodeToString(mac.doFinal(content.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException(e);
        }
    }

    private static byte[] resource(String name) {
        try (InputStream in = WebhookVerifierTests.class.getResourceAsStream(name)) {
            if (in == null) {
                throw new IllegalStateException("missing classpath resource " + name);
            }
            return in.readAllBytes();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
