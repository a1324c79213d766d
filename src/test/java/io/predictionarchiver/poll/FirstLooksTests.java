package io.predictionarchiver.poll;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.URI;

import org.junit.jupiter.api.Test;

import io.predictionarchiver.prediction.PredictionId;

/** When a new id is read at once, and when a first look that failed leaves the id to the list. */
class FirstLooksTests {

    private static final FirstLooks APPLICATION = new FirstLooks(FirstLooks.IN_AN_APPLICATION);

    @Test
    void aNewIdIsLookedAtWhileFewerThanTheLimitAreAwaitedAndTheBudgetHasAPermitNow() {
        assertThat(APPLICATION.lookNow(FirstLooks.IN_AN_APPLICATION - 1, 1)).isTrue();
        assertThat(APPLICATION.lookNow(FirstLooks.IN_AN_APPLICATION, 100)).as("a backlog waits for the pages")
                .isFalse();
        assertThat(APPLICATION.lookNow(0, 0)).as("no permit to spare now").isFalse();
        assertThat(APPLICATION.lookNow(0, -5)).as("the budget on credit").isFalse();
        assertThat(new FirstLooks(0).lookNow(0, 100)).as("first looks off").isFalse();
    }

    @Test
    void onlyAFirstLookThatFailedForWantOfTheApiGivesWayToTheList() {
        PredictionId id = PredictionId.of("p-1");

        assertThat(FirstLooks.givesWayToTheList(new ApiUnavailableException(id, "503 after 8 retries", null)))
                .isTrue();
        assertThat(FirstLooks.givesWayToTheList(new PredictionNotFoundException(id, URI.create("https://api/p-1"))))
                .isFalse();
        assertThat(FirstLooks.givesWayToTheList(new ApiAuthenticationException(id, URI.create("https://api"), 401,
                true))).isFalse();
    }

    @Test
    void aNegativeLimitIsRefused() {
        assertThatThrownBy(() -> new FirstLooks(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("first looks >= 0 required but it was -1");
    }
}
