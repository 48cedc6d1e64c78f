package io.github.tokenintrospection.internal.cache;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.resilience.CircuitOpenException;
import io.github.tokenintrospection.internal.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.testsupport.MutableClock;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import org.junit.jupiter.api.Test;

import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class StaleIfErrorIntrospectionClientTests {

	private static final Duration WINDOW = Duration.ofMinutes(5);

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final AtomicBoolean serverDown = new AtomicBoolean();

	private final AtomicReference<Instant> exp = new AtomicReference<>(this.clock.instant().plusSeconds(3600));

	private final Set<String> revoked = ConcurrentHashMap.newKeySet();

	private final AtomicInteger serverCalls = new AtomicInteger();

	private final IntrospectionClient server = (token) -> {
		this.serverCalls.incrementAndGet();
		if (this.serverDown.get()) {
			throw new AuthorizationServerUnavailableException("Introspection request failed: Connection refused", null,
					true, null);
		}
		return this.revoked.contains(token) ? IntrospectedToken.inactive()
				: IntrospectedToken.active(Map.of("sub", "alice", "exp", this.exp.get()));
	};

	private final LastValidatedTokens lastValidated = new LastValidatedTokens(WINDOW, 100, this.clock);

	private final List<Duration> staleAges = new ArrayList<>();

	private final StaleIfErrorIntrospectionClient client = new StaleIfErrorIntrospectionClient(
			TokenLookup.uncached(this.lastValidated.recording(this.server)), this.lastValidated,
			(token, age, failure) -> this.staleAges.add(age), this.clock);

	@Test
	void introspectWhenServerDownAndTokenValidatedWithinWindowThenLastResultReturnedAndReported() {
		IntrospectedToken fresh = this.client.introspect("token-1");
		this.serverDown.set(true);
		this.clock.advance(Duration.ofMinutes(2));

		IntrospectedToken stale = this.client.introspect("token-1");

		assertThat(stale).isSameAs(fresh);
		assertThat(this.staleAges).containsExactly(Duration.ofMinutes(2));
	}

	@Test
	void introspectWhenServerDownAndWindowPassedThenFailurePropagates() {
		this.client.introspect("token-1");
		this.serverDown.set(true);
		this.clock.advance(WINDOW.plusSeconds(1));

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> this.client.introspect("token-1"));
		assertThat(this.staleAges).isEmpty();
	}

	@Test
	void introspectWhenServerDownAndTokenExpiredThenFailurePropagatesEvenWithinWindow() {
		this.exp.set(this.clock.instant().plusSeconds(30));
		this.client.introspect("token-1");
		this.serverDown.set(true);
		this.clock.advance(Duration.ofSeconds(30));

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> this.client.introspect("token-1"));
	}

	@Test
	void introspectWhenServerDownAndTokenNeverValidatedThenFailurePropagates() {
		this.client.introspect("token-1");
		this.serverDown.set(true);

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> this.client.introspect("token-2"));
	}

	@Test
	void introspectWhenServerCalledTokenInactiveBeforeOutageThenNoStaleResult() {
		this.client.introspect("token-1");
		this.revoked.add("token-1");
		assertThat(this.client.introspect("token-1").isActive()).isFalse();
		this.serverDown.set(true);

		assertThatExceptionOfType(AuthorizationServerUnavailableException.class)
			.isThrownBy(() -> this.client.introspect("token-1"));
	}

	@Test
	void lookupWhenStaleResultUsedThenCacheStatusIsStale() {
		assertThat(this.client.lookup("token-1").cacheStatus()).isEqualTo(CacheStatus.NONE);
		this.serverDown.set(true);

		TokenLookup.Lookup stale = this.client.lookup("token-1");

		assertThat(stale.cacheStatus()).isEqualTo(CacheStatus.STALE);
		assertThat(stale.token().isActive()).isTrue();
		assertThat(stale.fingerprint()).isEqualTo(IntrospectionCacheControl.fingerprint("token-1"));
	}

	@Test
	void introspectWhenCircuitOpenThenLastResultReturned() {
		IntrospectionClient circuitOpen = (token) -> {
			throw new CircuitOpenException(Duration.ofSeconds(20));
		};
		this.lastValidated.recording(this.server).introspect("token-1");
		StaleIfErrorIntrospectionClient client = new StaleIfErrorIntrospectionClient(TokenLookup.uncached(circuitOpen),
				this.lastValidated, (token, age, failure) -> this.staleAges.add(age), this.clock);

		assertThat(client.introspect("token-1").isActive()).isTrue();
		assertThat(this.staleAges).hasSize(1);
	}

	@Test
	void introspectWhenBadOpaqueTokenThenRethrownWithoutStaleResult() {
		this.lastValidated.recording(this.server).introspect("token-1");
		BadOpaqueTokenException malformed = new BadOpaqueTokenException("malformed");
		StaleIfErrorIntrospectionClient client = new StaleIfErrorIntrospectionClient(TokenLookup.uncached((token) -> {
			throw malformed;
		}), this.lastValidated, (token, age, failure) -> this.staleAges.add(age), this.clock);

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> client.introspect("token-1"))
			.isSameAs(malformed);
		assertThat(this.staleAges).isEmpty();
	}

	@Test
	void introspectWhenStaleResultUsedWithCacheThenItIsNotCachedAndServerAskedAfterRecovery() {
		ConcurrentMapCache activeTokens = new ConcurrentMapCache("active");
		CachingIntrospectionClient caching = new CachingIntrospectionClient(this.lastValidated.recording(this.server),
				IntrospectionCaches.applicationCache(activeTokens),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), this.clock);
		IntrospectionClient client = new StaleIfErrorIntrospectionClient(caching, this.lastValidated,
				(token, age, failure) -> this.staleAges.add(age), this.clock);
		client.introspect("token-1");
		activeTokens.clear(); // the cache TTL has passed
		this.serverDown.set(true);

		assertThat(client.introspect("token-1").isActive()).isTrue();
		assertThat(activeTokens.getNativeCache()).isEmpty();

		this.serverDown.set(false);
		int callsBefore = this.serverCalls.get();
		assertThat(client.introspect("token-1").isActive()).isTrue();
		assertThat(this.serverCalls).hasValue(callsBefore + 1);
		assertThat(this.staleAges).hasSize(1);
	}

	@Test
	void introspectWhenStaleResultFailsClaimValidationThenRejected() {
		Set<String> blockedSubjects = ConcurrentHashMap.newKeySet();
		IntrospectionClaimsValidator blocklist = (token) -> blockedSubjects.contains(token.stringClaim("sub"))
				? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "subject is blocked", null))
				: OAuth2TokenValidatorResult.success();
		ValidatingOpaqueTokenIntrospector introspector = new ValidatingOpaqueTokenIntrospector(this.client,
				new DelegatingClaimsValidator(List.of(new TimestampValidator(Duration.ZERO, this.clock), blocklist)),
				new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_", List.of(), "ROLE_"), "sub",
				new IntrospectionListener() {
				});
		introspector.introspect("token-1");
		this.serverDown.set(true);
		assertThat(introspector.introspect("token-1").getName()).isEqualTo("alice");

		blockedSubjects.add("alice");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("token-1"))
			.withMessageContaining("subject is blocked");
	}

	@Test
	void lastValidatedWhenMoreTokensThanMaximumSizeThenBounded() {
		LastValidatedTokens small = new LastValidatedTokens(WINDOW, 10, this.clock);
		IntrospectionClient recording = small.recording(this.server);

		for (int i = 0; i < 1_000; i++) {
			recording.introspect("token-" + i);
		}

		assertThat(small.size()).isLessThanOrEqualTo(10);
	}

	@Test
	void lastValidatedWhenServerFailsThenNothingRecorded() {
		this.serverDown.set(true);

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> this.lastValidated.recording(this.server).introspect("token-1"));
		assertThat(this.lastValidated.get("token-1")).isNull();
	}

}
