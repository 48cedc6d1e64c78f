package io.github.tokenintrospection.internal.actuate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;

class IntrospectionHealthIndicatorTests {

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final RecentCallOutcomes outcomes = new RecentCallOutcomes(this.clock);

	@Test
	void healthWhenNoCallsYetThenUpWithoutError() {
		Health health = new IntrospectionHealthIndicator(this.outcomes, null).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 0)
			.containsEntry("lastSuccess", "none")
			.containsEntry("lastFailure", "none")
			.doesNotContainKeys("lastError", "introspectionEndpoint");
	}

	@Test
	void healthWhenLastCallFailedThenDownWithFailureDetails() {
		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes, null);
		this.outcomes.introspectionCalled(call(Outcome.ERROR, "OAuth2IntrospectionException"));
		this.clock.advance(Duration.ofSeconds(5));
		this.outcomes.introspectionCalled(call(Outcome.ERROR, "ResourceAccessException"));

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 2)
			.containsEntry("lastError", "ResourceAccessException")
			.containsEntry("lastFailure", "2030-01-01T00:00:05Z")
			.containsEntry("lastSuccess", "none");
	}

	@Test
	void healthWhenSuccessfulCallAfterFailuresThenUpAgain() {
		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes, null);
		this.outcomes.introspectionCalled(call(Outcome.ERROR, "OAuth2IntrospectionException"));
		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
		this.clock.advance(Duration.ofSeconds(10));

		this.outcomes.introspectionCalled(call(Outcome.ACTIVE, "none"));

		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 0)
			.containsEntry("lastSuccess", "2030-01-01T00:00:10Z")
			.containsEntry("lastFailure", "2030-01-01T00:00:00Z");
	}

	@Test
	void healthWhenInactiveAnswerAfterFailureThenUpBecauseTheServerAnswered() {
		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes, null);
		this.outcomes.introspectionCalled(call(Outcome.ERROR, "OAuth2IntrospectionException"));

		this.outcomes.introspectionCalled(call(Outcome.INACTIVE, "none"));

		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void healthWhenMetadataCannotBeObtainedThenDownWithError() {
		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes, () -> {
			throw new OAuth2IntrospectionException("No authorization server metadata for https://idp.example");
		});
		this.outcomes.introspectionCalled(call(Outcome.ACTIVE, "none"));

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).hasEntrySatisfying("error",
				(error) -> assertThat(error.toString()).contains("OAuth2IntrospectionException")
					.contains("No authorization server metadata"));
	}

	@Test
	void healthWhenMetadataAvailableThenIntrospectionEndpointDetailAndUp() {
		AtomicInteger fetches = new AtomicInteger();
		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes, () -> {
			fetches.incrementAndGet();
			return new AuthorizationServerMetadata("https://idp.example",
					URI.create("https://idp.example/oauth2/introspect"), URI.create("https://idp.example/oauth2/token"),
					List.of("client_secret_basic"));
		});

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("introspectionEndpoint", "https://idp.example/oauth2/introspect")
			.containsEntry("consecutiveFailures", 0);
		assertThat(fetches).hasValue(1);
	}

	@Test
	void healthWhenMetadataAvailableButLastCallFailedThenDown() {
		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes,
				() -> new AuthorizationServerMetadata("https://idp.example",
						URI.create("https://idp.example/oauth2/introspect"), null, List.of()));
		this.outcomes.introspectionCalled(call(Outcome.ERROR, "OAuth2IntrospectionException"));

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.DOWN);
		assertThat(health.getDetails()).containsEntry("introspectionEndpoint", "https://idp.example/oauth2/introspect")
			.containsEntry("lastError", "OAuth2IntrospectionException");
	}

	private static IntrospectionCall call(Outcome outcome, String error) {
		return new IntrospectionCall(outcome, Duration.ofMillis(10), error);
	}

}
