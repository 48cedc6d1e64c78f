package io.github.tokenintrospection.internal.actuate;

import java.security.SecureRandom;
import java.time.Duration;
import java.util.Base64;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;

/**
 * Health of the authorization server as this instance sees it now.
 * <p>
 * Judged from the latest real calls; while the latest one failed, the indicator probes
 * the server itself (at most once per probe interval, with a random token that the server
 * answers {@code active: false}), so that it recovers without traffic. An open circuit
 * breaker counts as unavailable: uncached tokens get 503 until it closes.
 * <p>
 * An unavailable server is reported as {@link #DEGRADED} unless told to report
 * {@code DOWN}: Spring Boot's health aggregation ignores that status, so the
 * application's overall health (what a load balancer polls) stays UP while cached tokens
 * are still served; the component itself says what is wrong.
 */
public class IntrospectionHealthIndicator extends AbstractHealthIndicator {

	/** Status of a component that works, without the authorization server. */
	public static final Status DEGRADED = new Status("DEGRADED",
			"The authorization server is unavailable: cached tokens are accepted, uncached ones get 503");

	private static final SecureRandom RANDOM = new SecureRandom();

	private final RecentCallOutcomes outcomes;

	private final Settings settings;

	/**
	 * Creates the indicator.
	 * @param outcomes the latest call outcomes
	 * @param settings what else to consult and how to report
	 */
	public IntrospectionHealthIndicator(RecentCallOutcomes outcomes, Settings settings) {
		super("Token introspection health check failed");
		this.outcomes = outcomes;
		this.settings = settings;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		boolean unavailable = this.outcomes.isFailing();
		if (unavailable && this.settings.probe() != null && this.outcomes.claimProbe(this.settings.probeInterval())) {
			unavailable = !probe(this.settings.probe());
		}
		builder.withDetails(this.outcomes.details());
		unavailable |= !describeEndpoint(builder);
		Supplier<String> breaker = this.settings.circuitBreakerState();
		if (breaker != null) {
			String state = breaker.get();
			builder.withDetail("circuitBreaker", state);
			unavailable |= state.equals("OPEN") || state.equals("FORCED_OPEN");
		}
		builder.status(unavailable ? (this.settings.downWhenUnavailable() ? Status.DOWN : DEGRADED) : Status.UP);
	}

	private boolean probe(Runnable probe) {
		try {
			probe.run();
			this.outcomes.answered();
			return true;
		}
		catch (RuntimeException ex) {
			String message = ex.getMessage();
			this.outcomes.failed("health probe: "
					+ ((message != null && !message.isBlank()) ? message : ex.getClass().getSimpleName()));
			return false;
		}
	}

	private boolean describeEndpoint(Health.Builder builder) {
		if (this.settings.metadata() == null) {
			return true;
		}
		try {
			builder.withDetail("introspectionEndpoint",
					this.settings.metadata().get().introspectionEndpoint().toString());
			return true;
		}
		catch (RuntimeException ex) {
			builder.withDetail("discovery", "failed: " + ex.getMessage());
			return false;
		}
	}

	/**
	 * A token no server has issued: 32 random bytes, as long as a typical opaque token.
	 * @return the token
	 */
	public static String probeToken() {
		byte[] bytes = new byte[32];
		RANDOM.nextBytes(bytes);
		return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

	/**
	 * What the indicator consults and how it reports.
	 *
	 * @param metadata the discovery document, or {@code null} without an issuer
	 * @param probe calls the introspection endpoint with a {@link #probeToken() probe
	 * token} and returns when the server answered, or {@code null} to never probe
	 * @param probeInterval the least time between two probes
	 * @param circuitBreakerState the circuit breaker's state name, or {@code null}
	 * without one
	 * @param downWhenUnavailable whether an unavailable server is reported as
	 * {@code DOWN} rather than {@link #DEGRADED}
	 */
	public record Settings(@Nullable Supplier<AuthorizationServerMetadata> metadata, @Nullable Runnable probe,
			Duration probeInterval, @Nullable Supplier<String> circuitBreakerState, boolean downWhenUnavailable) {
	}

}
