package io.github.tokenintrospection.internal.actuate;

import java.util.function.Supplier;

import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;

/**
 * Health of the introspection endpoint, judged from the latest real calls (no fake tokens
 * are sent): DOWN while the most recent call failed, UP otherwise. When an issuer is
 * configured, the discovery document must also be obtainable. Not part of the readiness
 * group unless the application adds it there: one slow authorization server should not take
 * every replica out of the load balancer.
 */
public class IntrospectionHealthIndicator extends AbstractHealthIndicator {

	private final RecentCallOutcomes outcomes;

	private final @Nullable Supplier<AuthorizationServerMetadata> metadata;

	/**
	 * Creates the indicator.
	 * @param outcomes the latest call outcomes
	 * @param metadata the discovery document, or {@code null} without an issuer
	 */
	public IntrospectionHealthIndicator(RecentCallOutcomes outcomes, @Nullable Supplier<AuthorizationServerMetadata> metadata) {
		super("Token introspection health check failed");
		this.outcomes = outcomes;
		this.metadata = metadata;
	}

	@Override
	protected void doHealthCheck(Health.Builder builder) {
		builder.withDetails(this.outcomes.details());
		if (this.metadata != null) {
			AuthorizationServerMetadata document = this.metadata.get();
			builder.withDetail("introspectionEndpoint", document.introspectionEndpoint().toString());
		}
		if (this.outcomes.isFailing()) {
			builder.down();
		}
		else {
			builder.up();
		}
	}

}
