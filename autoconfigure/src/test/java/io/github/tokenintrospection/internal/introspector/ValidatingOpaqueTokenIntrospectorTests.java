package io.github.tokenintrospection.internal.introspector;

import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.internal.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.testsupport.MutableClock;
import io.github.tokenintrospection.validation.ClaimValidationError;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.Test;

import org.springframework.cache.concurrent.ConcurrentMapCache;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ValidatingOpaqueTokenIntrospectorTests {

	private final List<IntrospectionDecision> decisions = new java.util.concurrent.CopyOnWriteArrayList<>();

	private static final IntrospectionClaimsValidator ACCEPT_ALL = (token) -> OAuth2TokenValidatorResult.success();

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final IntrospectionAuthoritiesConverter authorities = new IntrospectionAuthoritiesConverter(
			List.of("scope", "scp"), "SCOPE_", List.of("realm_access.roles"), "ROLE_");

	@Test
	void introspectWhenSameResultAgainThenAuthoritiesMappedOnceAndReused() {
		IntrospectedToken cached = IntrospectedToken.active(
				Map.of("sub", "alice", "scope", List.of("read"), "realm_access", Map.of("roles", List.of("admin"))));
		ValidatingOpaqueTokenIntrospector introspector = introspector((token) -> cached, ACCEPT_ALL, "sub");

		OAuth2AuthenticatedPrincipal first = introspector.introspect("t");
		OAuth2AuthenticatedPrincipal second = introspector.introspect("t");

		assertThat(first.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("SCOPE_read", "ROLE_admin");
		assertThat(second.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactly("SCOPE_read", "ROLE_admin");
	}

	@Test
	void introspectWhenSameCachedResultAgainThenOnePrincipalSharedAndClaimsStillValidated() {
		IntrospectedToken cached = IntrospectedToken
			.active(Map.of("sub", "alice", "scope", List.of("read"), "exp", Instant.parse("2030-01-01T00:10:00Z")));
		AtomicInteger validations = new AtomicInteger();
		ValidatingOpaqueTokenIntrospector introspector = introspector((token) -> cached, (token) -> {
			validations.incrementAndGet();
			return OAuth2TokenValidatorResult.success();
		}, "sub");

		OAuth2AuthenticatedPrincipal first = introspector.introspect("t");
		OAuth2AuthenticatedPrincipal second = introspector.introspect("t");

		// Immutable, so shared: no principal, map or authority list built per request.
		assertThat(second).isSameAs(first);
		assertThat(first.getName()).isEqualTo("alice");
		assertThat(validations).hasValue(2);
	}

	@Test
	void authoritiesWhenSameFunctionAgainThenComputedOnce() {
		AtomicInteger conversions = new AtomicInteger();
		java.util.function.Function<IntrospectedToken, java.util.Collection<GrantedAuthority>> converter = (token) -> {
			conversions.incrementAndGet();
			return this.authorities.convert(token);
		};
		IntrospectedToken token = IntrospectedToken.active(Map.of("sub", "alice", "scope", List.of("read")));

		java.util.Collection<GrantedAuthority> first = token.authorities(converter);

		assertThat(token.authorities(converter)).isSameAs(first);
		assertThat(conversions).hasValue(1);
		token.authorities(this.authorities::convert);
		assertThat(conversions).hasValue(1);
	}

	@Test
	void introspectWhenConverterIsNotTheBuiltInOneThenCalledOnEveryRequest() {
		AtomicInteger conversions = new AtomicInteger();
		IntrospectedToken cached = IntrospectedToken.active(Map.of("sub", "alice"));
		ValidatingOpaqueTokenIntrospector introspector = new ValidatingOpaqueTokenIntrospector(
				TokenLookup.uncached((token) -> cached), ACCEPT_ALL, (token) -> {
					conversions.incrementAndGet();
					return List.of();
				}, "sub", new IntrospectionListener() {
				});

		introspector.introspect("t");
		introspector.introspect("t");

		assertThat(conversions).hasValue(2);
	}

	@Test
	void introspectWhenInactiveThenBadOpaqueToken() {
		ValidatingOpaqueTokenIntrospector introspector = introspector((token) -> IntrospectedToken.inactive(),
				ACCEPT_ALL, "sub");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("t"))
			.withMessageContaining("not active");
	}

	@Test
	void introspectWhenValidationFailsThenBadOpaqueTokenWithAllDescriptions() {
		IntrospectionClaimsValidator validator = new DelegatingClaimsValidator(
				List.of(failing("audience is wrong"), ACCEPT_ALL, failing("issuer is wrong")));
		ValidatingOpaqueTokenIntrospector introspector = introspector(
				(token) -> IntrospectedToken.active(Map.of("sub", "alice")), validator, "sub");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("t"))
			.withMessageContaining("audience is wrong")
			.withMessageContaining("issuer is wrong");
	}

	@Test
	void introspectWhenCachedTokenExpiresBeyondSkewThenCacheHitIsRejected() {
		AtomicInteger delegateCalls = new AtomicInteger();
		Instant exp = this.clock.instant().plusSeconds(30);
		IntrospectionClient server = (token) -> {
			delegateCalls.incrementAndGet();
			return IntrospectedToken.active(Map.of("sub", "alice", "exp", exp));
		};
		// The cache's own exp guard runs on a clock that stays behind, so that the second
		// call is certainly served from the cache: only the validator can reject it.
		Clock cacheClock = Clock.fixed(this.clock.instant(), this.clock.getZone());
		CachingIntrospectionClient cachingClient = new CachingIntrospectionClient(server,
				IntrospectionCaches.applicationCache(new ConcurrentMapCache("active")),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), cacheClock);
		ValidatingOpaqueTokenIntrospector introspector = introspector(cachingClient,
				new TimestampValidator(Duration.ofSeconds(60), this.clock), "sub");
		assertThat(introspector.introspect("t").getName()).isEqualTo("alice");

		this.clock.advance(Duration.ofSeconds(30 + 60 + 1));

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("t"))
			.withMessageContaining("expired");
		assertThat(delegateCalls).hasValue(1);
	}

	@Test
	void introspectWhenUserValidatorVerdictChangesThenCacheHitIsRejected() {
		AtomicInteger delegateCalls = new AtomicInteger();
		IntrospectionClient server = (token) -> {
			delegateCalls.incrementAndGet();
			return IntrospectedToken.active(Map.of("sub", "alice", "exp", this.clock.instant().plusSeconds(300)));
		};
		CachingIntrospectionClient cachingClient = new CachingIntrospectionClient(server,
				IntrospectionCaches.activeTokens(Duration.ofMinutes(5), 100, this.clock),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), this.clock);
		Set<String> blockedSubjects = ConcurrentHashMap.newKeySet();
		IntrospectionClaimsValidator blocklist = (token) -> blockedSubjects.contains(token.stringClaim("sub"))
				? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "subject is blocked", null))
				: OAuth2TokenValidatorResult.success();
		ValidatingOpaqueTokenIntrospector introspector = introspector(cachingClient, blocklist, "sub");
		introspector.introspect("t");

		blockedSubjects.add("alice");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("t"))
			.withMessageContaining("subject is blocked");
		assertThat(delegateCalls).hasValue(1);
	}

	@Test
	void introspectWhenPrincipalClaimPresentThenNamesPrincipal() {
		ValidatingOpaqueTokenIntrospector introspector = introspector(
				(token) -> IntrospectedToken.active(Map.of("sub", "f81d4fae", "preferred_username", "alice")),
				ACCEPT_ALL, "preferred_username");

		assertThat(introspector.introspect("t").getName()).isEqualTo("alice");
	}

	@Test
	void introspectWhenPrincipalClaimAbsentThenFallsBackToSub() {
		ValidatingOpaqueTokenIntrospector introspector = introspector(
				(token) -> IntrospectedToken.active(Map.of("sub", "f81d4fae")), ACCEPT_ALL, "preferred_username");

		assertThat(introspector.introspect("t").getName()).isEqualTo("f81d4fae");
	}

	@Test
	void introspectWhenActiveThenPrincipalCarriesAuthorities() {
		ValidatingOpaqueTokenIntrospector introspector = introspector((token) -> IntrospectedToken.active(Map.of("sub",
				"alice", "scope", List.of("read", "write"), "realm_access", Map.of("roles", List.of("admin")))),
				ACCEPT_ALL, "sub");

		OAuth2AuthenticatedPrincipal principal = introspector.introspect("t");

		assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority)
			.containsExactlyInAnyOrder("SCOPE_read", "SCOPE_write", "ROLE_admin");
	}

	@Test
	void introspectWhenAnsweredByServerThenAttributesHoldExpAsInstant() throws Exception {
		try (MockWebServer server = new MockWebServer()) {
			server.start();
			server.enqueue(new MockResponse.Builder().code(200)
				.addHeader("Content-Type", "application/json")
				.body("{\"active\":true,\"sub\":\"alice\",\"exp\":1900000000,\"iat\":1899999000}")
				.build());
			JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(HttpClient.newHttpClient());
			RestClientIntrospectionClient client = new RestClientIntrospectionClient(
					RestClient.builder().requestFactory(requestFactory).build(), () -> server.url("/introspect").uri(),
					ClientAuthentications.clientSecretBasic("id", "secret"), "access_token");

			OAuth2AuthenticatedPrincipal principal = introspector(client, ACCEPT_ALL, "sub").introspect("t");

			assertThat(principal.getAttributes()).containsEntry("exp", Instant.ofEpochSecond(1900000000))
				.containsEntry("iat", Instant.ofEpochSecond(1899999000))
				.containsEntry("sub", "alice");
		}
	}

	private ValidatingOpaqueTokenIntrospector introspector(IntrospectionClient client,
			IntrospectionClaimsValidator validator, String principalClaimName) {
		TokenLookup lookup = (client instanceof TokenLookup cached) ? cached : TokenLookup.uncached(client);
		return new ValidatingOpaqueTokenIntrospector(lookup, validator, this.authorities, principalClaimName,
				new IntrospectionListener() {

					@Override
					public void decisionMade(IntrospectionDecision decision) {
						ValidatingOpaqueTokenIntrospectorTests.this.decisions.add(decision);
					}

				});
	}

	@Test
	void introspectWhenAcceptedThenDecisionWithCacheStatusAndFingerprintButNoToken() {
		Map<String, Object> claims = Map.of("sub", "alice", "scope", List.of("read"));
		CachingIntrospectionClient cachingClient = new CachingIntrospectionClient(
				(token) -> IntrospectedToken.active(claims),
				IntrospectionCaches.applicationCache(new ConcurrentMapCache("active")),
				IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), 100), Clock.systemUTC());
		ValidatingOpaqueTokenIntrospector introspector = introspector(cachingClient, ACCEPT_ALL, "sub");

		introspector.introspect("secret-token-value");
		introspector.introspect("secret-token-value");

		assertThat(this.decisions).extracting(IntrospectionDecision::outcome)
			.containsExactly(IntrospectionDecision.Outcome.ACCEPTED, IntrospectionDecision.Outcome.ACCEPTED);
		assertThat(this.decisions).extracting(IntrospectionDecision::cacheStatus)
			.containsExactly(CacheStatus.MISS, CacheStatus.HIT);
		assertThat(this.decisions.get(0).tokenFingerprint()).hasSize(12)
			.isEqualTo(IntrospectionCacheControl.fingerprint("secret-token-value"))
			.isNotEqualTo("secret-token-value");
		assertThat(this.decisions.get(0).toString()).doesNotContain("secret-token-value");
	}

	@Test
	void introspectWhenClaimsFailThenDecisionListsEachReasonOnce() {
		IntrospectionClaimsValidator audienceAndCustom = (token) -> OAuth2TokenValidatorResult.failure(
				new ClaimValidationError("audience", "wrong audience"),
				new ClaimValidationError("audience", "still wrong audience"),
				new OAuth2Error("invalid_token", "mine", null));
		ValidatingOpaqueTokenIntrospector introspector = introspector(
				(token) -> IntrospectedToken.active(Map.of("sub", "alice")), audienceAndCustom, "sub");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("t"));

		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(IntrospectionDecision.Outcome.REJECTED);
			assertThat(decision.reasons()).containsExactly("audience", "custom");
			assertThat(decision.cacheStatus()).isEqualTo(CacheStatus.NONE);
		});
	}

	@Test
	void introspectWhenTokenMalformedThenRejectedDecisionWithoutFingerprint() {
		ValidatingOpaqueTokenIntrospector introspector = new ValidatingOpaqueTokenIntrospector(
				TokenSyntaxGuard.guarding(TokenLookup.uncached((token) -> IntrospectedToken.inactive()), 16),
				ACCEPT_ALL, this.authorities, "sub", new IntrospectionListener() {

					@Override
					public void decisionMade(IntrospectionDecision decision) {
						ValidatingOpaqueTokenIntrospectorTests.this.decisions.add(decision);
					}

				});

		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> introspector.introspect("not a token, with spaces"));

		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(IntrospectionDecision.Outcome.REJECTED);
			assertThat(decision.reasons()).containsExactly("malformed");
			assertThat(decision.tokenFingerprint()).isEqualTo("none");
		});
	}

	@Test
	void introspectWhenInactiveThenDecisionReasonInactive() {
		ValidatingOpaqueTokenIntrospector introspector = introspector((token) -> IntrospectedToken.inactive(),
				ACCEPT_ALL, "sub");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("t"));

		assertThat(this.decisions).singleElement()
			.satisfies((decision) -> assertThat(decision.reasons()).containsExactly("inactive"));
	}

	@Test
	void introspectWhenServerFailsThenErrorDecisionAndExceptionPropagates() {
		ValidatingOpaqueTokenIntrospector introspector = introspector((token) -> {
			throw new OAuth2IntrospectionException("down");
		}, ACCEPT_ALL, "sub");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> introspector.introspect("t"))
			.isNotInstanceOf(BadOpaqueTokenException.class);

		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(IntrospectionDecision.Outcome.ERROR);
			assertThat(decision.reasons()).containsExactly("unavailable");
		});
	}

	private static IntrospectionClaimsValidator failing(String description) {
		return (token) -> OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
	}

}
