package io.github.tokenintrospection.reactive;

import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.internal.introspector.TokenSyntaxGuard;
import io.github.tokenintrospection.internal.reactive.ReactiveTokenLookup;
import io.github.tokenintrospection.observation.CacheStatus;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The syntax guard as a reactive lookup stage, the twin of
 * {@code TokenSyntaxGuard.guarding(TokenLookup, int)}.
 */
class ReactiveSyntaxGuardTests {

	private final AtomicInteger lookups = new AtomicInteger();

	private final ReactiveTokenLookup guarded = ReactiveTokenLookup.guarded((token) -> {
		this.lookups.incrementAndGet();
		return Mono.just(new Lookup(IntrospectedToken.active(Map.of("sub", "alice")), CacheStatus.MISS, "f"));
	}, 8);

	@Test
	void guardedWhenTokenTooLongThenRejectedWithoutLookup() {
		StepVerifier.create(this.guarded.lookup("longer-than-8"))
			.verifyErrorSatisfies((ex) -> assertThat(ex).isInstanceOf(BadOpaqueTokenException.class)
				.hasMessageContaining("longer than 8"));
		assertThat(this.lookups).hasValue(0);
	}

	@Test
	void guardedWhenTokenNotB64TokenThenRejectedWithoutLookup() {
		StepVerifier.create(this.guarded.lookup("a b")).verifyError(BadOpaqueTokenException.class);
		assertThat(this.lookups).hasValue(0);
	}

	@Test
	void guardedWhenWellFormedThenLookedUpOnSubscriptionOnly() {
		Mono<Lookup> lookup = this.guarded.lookup("abc");
		assertThat(this.lookups).hasValue(0);
		StepVerifier.create(lookup).expectNextCount(1).verifyComplete();
		assertThat(this.lookups).hasValue(1);
	}

}
