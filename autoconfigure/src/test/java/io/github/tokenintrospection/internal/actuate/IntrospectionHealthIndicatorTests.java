package io.github.tokenintrospection.internal.actuate;

import java.net.URI;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.github.tokenintrospection.observation.IntrospectionCall.Outcome;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.jspecify.annotations.Nullable;
import org.junit.jupiter.api.Test;

import org.springframework.boot.health.actuate.endpoint.StatusAggregator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;

class IntrospectionHealthIndicatorTests {

	private static final Duration PROBE_INTERVAL = Duration.ofSeconds(5);

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final RecentCallOutcomes outcomes = new RecentCallOutcomes(this.clock);

	@Test
	void healthWhenNoCallsYetThenUpWithoutError() {
		Health health = indicator(null, null, null).health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 0)
			.containsEntry("lastSuccess", "none")
			.containsEntry("lastFailure", "none")
			.doesNotContainKeys("lastError", "introspectionEndpoint", "failingSince", "lastProbe");
	}

	@Test
	void healthWhenLastCallFailedThenDegradedWithReasonAndSinceWhen() {
		IntrospectionHealthIndicator indicator = indicator(null, null, null);
		this.outcomes.introspectionCalled(failed("Connection refused"));
		this.clock.advance(Duration.ofSeconds(5));
		this.outcomes.introspectionCalled(failed("The authorization server answered 503"));

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(IntrospectionHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 2)
			.containsEntry("lastError", "The authorization server answered 503")
			.containsEntry("failingSince", "2030-01-01T00:00:00Z")
			.containsEntry("lastFailure", "2030-01-01T00:00:05Z")
			.containsEntry("lastSuccess", "none");
	}

	@Test
	void healthWhenDegradedThenOverallStatusOfDefaultAggregationStaysUp() {
		this.outcomes.introspectionCalled(failed("Connection refused"));
		Status component = indicator(null, null, null).health().getStatus();

		assertThat(StatusAggregator.getDefault().getAggregateStatus(Status.UP, component)).isEqualTo(Status.UP);
		assertThat(StatusAggregator.getDefault().getAggregateStatus(Status.UP, Status.DOWN)).isEqualTo(Status.DOWN);
	}

	@Test
	void healthWhenDownWhenUnavailableSetThenDown() {
		this.outcomes.introspectionCalled(failed("Connection refused"));

		IntrospectionHealthIndicator indicator = new IntrospectionHealthIndicator(this.outcomes,
				new IntrospectionHealthIndicator.Settings(null, null, PROBE_INTERVAL, null, true));

		assertThat(indicator.health().getStatus()).isEqualTo(Status.DOWN);
	}

	@Test
	void healthWhenServerRecoveredWithoutTrafficThenProbeAnswersAndUpAgain() {
		AtomicReference<@Nullable RuntimeException> serverFault = new AtomicReference<>(
				new OAuth2IntrospectionException("Connection refused"));
		AtomicInteger probes = new AtomicInteger();
		IntrospectionHealthIndicator indicator = indicator(null, () -> {
			probes.incrementAndGet();
			RuntimeException fault = serverFault.get();
			if (fault != null) {
				throw fault;
			}
		}, null);
		this.outcomes.introspectionCalled(failed("Connection refused"));

		assertThat(indicator.health().getStatus()).isEqualTo(IntrospectionHealthIndicator.DEGRADED);
		assertThat(probes).hasValue(1);
		serverFault.set(null);
		assertThat(indicator.health().getStatus()).as("within the probe interval: no new probe")
			.isEqualTo(IntrospectionHealthIndicator.DEGRADED);
		assertThat(probes).hasValue(1);
		this.clock.advance(PROBE_INTERVAL);

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(probes).hasValue(2);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 0)
			.containsEntry("lastProbe", "2030-01-01T00:00:05Z")
			.doesNotContainKey("failingSince");
	}

	@Test
	void healthWhenProbeFailsThenReasonSaysSo() {
		IntrospectionHealthIndicator indicator = indicator(null, () -> {
			throw new OAuth2IntrospectionException("Read timed out");
		}, null);
		this.outcomes.introspectionCalled(failed("Connection refused"));

		assertThat(indicator.health().getDetails()).containsEntry("lastError", "health probe: Read timed out");
	}

	@Test
	void healthWhenServerAnswersThenNoProbeSent() {
		AtomicInteger probes = new AtomicInteger();
		this.outcomes.introspectionCalled(call(Outcome.INACTIVE));

		assertThat(indicator(null, probes::incrementAndGet, null).health().getStatus()).isEqualTo(Status.UP);
		assertThat(probes).hasValue(0);
	}

	@Test
	void healthWhenSuccessfulCallAfterFailuresThenUpAgain() {
		IntrospectionHealthIndicator indicator = indicator(null, null, null);
		this.outcomes.introspectionCalled(failed("Connection refused"));
		this.clock.advance(Duration.ofSeconds(10));

		this.outcomes.introspectionCalled(call(Outcome.ACTIVE));

		Health health = indicator.health();
		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("consecutiveFailures", 0)
			.containsEntry("lastSuccess", "2030-01-01T00:00:10Z")
			.containsEntry("lastFailure", "2030-01-01T00:00:00Z");
	}

	@Test
	void healthWhenCircuitBreakerOpenThenDegradedAndStateInDetails() {
		AtomicReference<String> state = new AtomicReference<>("OPEN");
		IntrospectionHealthIndicator indicator = indicator(null, null, state::get);

		assertThat(indicator.health().getStatus()).isEqualTo(IntrospectionHealthIndicator.DEGRADED);
		assertThat(indicator.health().getDetails()).containsEntry("circuitBreaker", "OPEN");
		state.set("HALF_OPEN");
		assertThat(indicator.health().getStatus()).isEqualTo(Status.UP);
	}

	@Test
	void healthWhenMetadataCannotBeObtainedThenDegradedWithReason() {
		IntrospectionHealthIndicator indicator = indicator(() -> {
			throw new OAuth2IntrospectionException("No authorization server metadata for https://idp.example");
		}, null, null);
		this.outcomes.introspectionCalled(call(Outcome.ACTIVE));

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(IntrospectionHealthIndicator.DEGRADED);
		assertThat(health.getDetails()).hasEntrySatisfying("discovery",
				(error) -> assertThat(error.toString()).contains("No authorization server metadata"));
	}

	@Test
	void healthWhenMetadataAvailableThenIntrospectionEndpointDetailAndUp() {
		AtomicInteger fetches = new AtomicInteger();
		IntrospectionHealthIndicator indicator = indicator(() -> {
			fetches.incrementAndGet();
			return new AuthorizationServerMetadata("https://idp.example",
					URI.create("https://idp.example/oauth2/introspect"), URI.create("https://idp.example/oauth2/token"),
					List.of("client_secret_basic"));
		}, null, null);

		Health health = indicator.health();

		assertThat(health.getStatus()).isEqualTo(Status.UP);
		assertThat(health.getDetails()).containsEntry("introspectionEndpoint", "https://idp.example/oauth2/introspect")
			.containsEntry("consecutiveFailures", 0);
		assertThat(fetches).hasValue(1);
	}

	@Test
	void probeTokenWhenDrawnThenRandomAndOfOpaqueTokenSyntax() {
		String first = IntrospectionHealthIndicator.probeToken();

		assertThat(first).matches("[A-Za-z0-9_-]{43}").isNotEqualTo(IntrospectionHealthIndicator.probeToken());
	}

	private IntrospectionHealthIndicator indicator(@Nullable Supplier<AuthorizationServerMetadata> metadata,
			@Nullable Runnable probe, @Nullable Supplier<String> circuitBreakerState) {
		return new IntrospectionHealthIndicator(this.outcomes,
				new IntrospectionHealthIndicator.Settings(metadata, probe, PROBE_INTERVAL, circuitBreakerState, false));
	}

	private static IntrospectionCall failed(String reason) {
		return IntrospectionCall.failed(Duration.ofMillis(10), new OAuth2IntrospectionException(reason));
	}

	private static IntrospectionCall call(Outcome outcome) {
		return new IntrospectionCall(outcome, Duration.ofMillis(10), "none");
	}

}
