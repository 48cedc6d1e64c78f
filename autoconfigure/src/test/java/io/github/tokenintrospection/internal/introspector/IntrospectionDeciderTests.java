package io.github.tokenintrospection.internal.introspector;

import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision.Outcome;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.validation.ClaimValidationError;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import org.junit.jupiter.api.Test;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.AuthorityUtils;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * What both introspectors decide once a token is looked up, on its own: claims checked,
 * principal built, listeners told.
 */
class IntrospectionDeciderTests {

	private static final String FINGERPRINT = "f1ng3rpr1nt";

	private static final IntrospectedToken ACTIVE = IntrospectedToken.active(Map.of("sub", "alice", "username", "Alice",
			"scope", List.of("read"), "exp", Instant.parse("2030-01-01T01:00:00Z")));

	private final List<IntrospectionDecision> decisions = new ArrayList<>();

	private final IntrospectionListener listener = new IntrospectionListener() {

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			IntrospectionDeciderTests.this.decisions.add(decision);
		}

	};

	private final IntrospectionAuthoritiesConverter scopes = new IntrospectionAuthoritiesConverter(List.of("scope"),
			"SCOPE_", List.of(), "ROLE_");

	@Test
	void decideWhenActiveAndValidThenPrincipalWithAuthoritiesAndAccepted() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "sub");

		OAuth2AuthenticatedPrincipal principal = decider.decide(new Lookup(ACTIVE, CacheStatus.HIT, FINGERPRINT));

		assertThat(principal.getName()).isEqualTo("alice");
		assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("SCOPE_read");
		assertThat(principal.<String>getAttribute("username")).isEqualTo("Alice");
		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.ACCEPTED);
			assertThat(decision.reasons()).isEmpty();
			assertThat(decision.cacheStatus()).isEqualTo(CacheStatus.HIT);
			assertThat(decision.tokenFingerprint()).isEqualTo(FINGERPRINT);
			assertThat(decision.token()).isSameAs(ACTIVE);
		});
	}

	@Test
	void decideWhenNeitherPrincipalClaimNorSubThenClientIdElseEmptyNeverNull() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "username");
		IntrospectedToken clientOnly = IntrospectedToken.active(Map.of("client_id", "billing-job", "scope", "read"));
		IntrospectedToken anonymous = IntrospectedToken.active(Map.of("scope", "read"));

		assertThat(decider.decide(new Lookup(clientOnly, CacheStatus.MISS, FINGERPRINT)).getName())
			.isEqualTo("billing-job");
		assertThat(decider.decide(new Lookup(anonymous, CacheStatus.MISS, FINGERPRINT)).getName()).isEmpty();
	}

	@Test
	void decideWhenPrincipalClaimPresentThenNamesThePrincipal() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "username");

		assertThat(decider.decide(new Lookup(ACTIVE, CacheStatus.MISS, FINGERPRINT)).getName()).isEqualTo("Alice");
	}

	@Test
	void decideWhenPrincipalClaimMissingThenSubNamesThePrincipal() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "preferred_username");

		assertThat(decider.decide(new Lookup(ACTIVE, CacheStatus.MISS, FINGERPRINT)).getName()).isEqualTo("alice");
	}

	@Test
	void decideWhenInactiveThenBadTokenAndRejectedAsInactiveWithoutValidating() {
		AtomicInteger validated = new AtomicInteger();
		IntrospectionDecider decider = decider((token) -> {
			validated.incrementAndGet();
			return OAuth2TokenValidatorResult.success();
		}, "sub");

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(
				() -> decider.decide(new Lookup(IntrospectedToken.inactive(), CacheStatus.NEGATIVE_HIT, FINGERPRINT)))
			.withMessage("Token is not active");
		assertThat(validated).hasValue(0);
		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(decision.reasons()).containsExactly("inactive");
			assertThat(decision.cacheStatus()).isEqualTo(CacheStatus.NEGATIVE_HIT);
			assertThat(decision.tokenFingerprint()).isEqualTo(FINGERPRINT);
		});
	}

	@Test
	void decideWhenClaimsInvalidThenBadTokenWithAllDescriptionsAndDistinctReasons() {
		IntrospectionDecider decider = decider(
				(token) -> OAuth2TokenValidatorResult.failure(new ClaimValidationError("audience", "wrong audience"),
						new ClaimValidationError("audience", "no audience either"),
						new OAuth2Error("invalid_token", "mine", null)),
				"sub");

		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> decider.decide(new Lookup(ACTIVE, CacheStatus.HIT, FINGERPRINT)))
			.withMessage("wrong audience; no audience either; mine");
		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(decision.reasons()).containsExactly("audience", "custom");
			assertThat(decision.token()).isSameAs(ACTIVE);
		});
	}

	@Test
	void decideWhenCustomAuthoritiesConverterThenCalledOnEveryDecision() {
		AtomicInteger conversions = new AtomicInteger();
		Converter<IntrospectedToken, Collection<GrantedAuthority>> custom = (token) -> {
			conversions.incrementAndGet();
			return List.of(new SimpleGrantedAuthority("CUSTOM"));
		};
		IntrospectionDecider decider = new IntrospectionDecider((token) -> OAuth2TokenValidatorResult.success(), custom,
				"sub", this.listener);
		Lookup cached = new Lookup(ACTIVE, CacheStatus.HIT, FINGERPRINT);

		decider.decide(cached);
		OAuth2AuthenticatedPrincipal principal = decider.decide(cached);

		assertThat(conversions).hasValue(2);
		assertThat(AuthorityUtils.authorityListToSet(principal.getAuthorities())).containsExactly("CUSTOM");
	}

	@Test
	void lookupFailedWhenTokenRefusedBeforeLookupThenRejectedAsMalformedWithoutFingerprint() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "sub");
		BadOpaqueTokenException refused = new BadOpaqueTokenException("too long");

		assertThat(decider.lookupFailed(refused, "x".repeat(10_000))).isSameAs(refused);
		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.REJECTED);
			assertThat(decision.reasons()).containsExactly("malformed");
			assertThat(decision.cacheStatus()).isEqualTo(CacheStatus.NONE);
			assertThat(decision.tokenFingerprint()).isEqualTo("none");
			assertThat(decision.token().isActive()).isFalse();
		});
	}

	@Test
	void lookupFailedWhenServerUnavailableThenErrorWithTheTokensFingerprint() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "sub");
		AuthorizationServerUnavailableException unavailable = new AuthorizationServerUnavailableException("refused",
				null, true, null);

		assertThat(decider.lookupFailed(unavailable, "some-token")).isSameAs(unavailable);
		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(Outcome.ERROR);
			assertThat(decision.reasons()).containsExactly("unavailable");
			assertThat(decision.cacheStatus()).isEqualTo(CacheStatus.NONE);
			assertThat(decision.tokenFingerprint()).isEqualTo(IntrospectionCacheControl.fingerprint("some-token"));
		});
	}

	@Test
	void lookupFailedWhenOtherFailureThenReturnedAndNoDecision() {
		IntrospectionDecider decider = decider((token) -> OAuth2TokenValidatorResult.success(), "sub");
		IllegalStateException bug = new IllegalStateException("bug");

		assertThat(decider.lookupFailed(bug, "some-token")).isSameAs(bug);
		assertThat(this.decisions).isEmpty();
	}

	private IntrospectionDecider decider(IntrospectionClaimsValidator validator, String principalClaimName) {
		return new IntrospectionDecider(validator, this.scopes, principalClaimName, this.listener);
	}

}
