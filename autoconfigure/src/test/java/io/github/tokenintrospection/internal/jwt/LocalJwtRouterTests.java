package io.github.tokenintrospection.internal.jwt;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.tokenintrospection.observation.CacheStatus;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Which tokens {@link LocalJwtRouter} verifies locally, which it refuses and which it
 * leaves to introspection, against an issuer that publishes its JWKS on loopback.
 */
class LocalJwtRouterTests {

	private final TestIssuer issuer = new TestIssuer();

	private final LocalJwtRouter router = router(List.of(), List.of());

	@AfterEach
	void stop() {
		this.issuer.close();
	}

	@Test
	void decideWhenIssuersAccessTokenThenAcceptedWithItsClaims() {
		JwtRoute route = this.router.decide(this.issuer.accessToken(), "/notes");

		assertThat(route).isInstanceOfSatisfying(JwtRoute.Accepted.class, (accepted) -> {
			assertThat(accepted.token().isActive()).isTrue();
			assertThat(accepted.token().getClaims()).containsEntry("sub", "alice")
				.containsEntry("iss", TestIssuer.ISSUER)
				.containsEntry("scope", "read")
				.containsEntry("aud", List.of("notes-api"));
			assertThat(accepted.token().expiresAt()).isAfter(Instant.now());
		});
		assertThat(this.issuer.jwksFetches()).isEqualTo(1);
	}

	@Test
	void decideWhenKeysCachedThenNotFetchedAgain() {
		this.router.decide(this.issuer.accessToken(), "/notes");
		JwtRoute.Verify verify = (JwtRoute.Verify) this.router.route(this.issuer.accessToken(), "/notes");

		assertThat(this.router.canVerifyWithoutBlocking(verify)).isTrue();
		assertThat(this.router.verify(verify)).isInstanceOf(JwtRoute.Accepted.class);
		assertThat(this.issuer.jwksFetches()).isEqualTo(1);
	}

	@Test
	void routeWhenKeysNeverFetchedThenVerificationMayBlock() {
		JwtRoute route = this.router.route(this.issuer.accessToken(), "/notes");

		assertThat(route).isInstanceOfSatisfying(JwtRoute.Verify.class,
				(verify) -> assertThat(this.router.canVerifyWithoutBlocking(verify)).isFalse());
		assertThat(this.issuer.jwksFetches()).isZero();
	}

	@Test
	void decideWhenOpaqueTokenThenIntrospectedWithoutFetchingKeys() {
		assertThat(this.router.decide("2YotnFZFEjr1zCsicMWpAA", "/notes")).isEqualTo(JwtRoute.INTROSPECT);
		assertThat(this.issuer.jwksFetches()).isZero();
	}

	@Test
	void decideWhenAnotherIssuerThenIntrospectedWithoutFetchingKeys() {
		Map<String, Object> claims = TestIssuer.accessTokenClaims();
		claims.put("iss", "https://other.example");

		assertThat(this.router.decide(this.issuer.sign(claims), "/notes")).isEqualTo(JwtRoute.INTROSPECT);
		assertThat(this.issuer.jwksFetches()).isZero();
	}

	@Test
	void decideWhenAlgNoneThenRejectedWithoutFetchingKeys() {
		JwtRoute route = this.router.decide(this.issuer.unsecured(), "/notes");

		assertThat(route).isInstanceOfSatisfying(JwtRoute.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo("algorithm"));
		assertThat(this.issuer.jwksFetches()).isZero();
	}

	@Test
	void decideWhenHs256WithThePublicKeyAsSecretThenRejected() {
		JwtRoute route = this.router.decide(this.issuer.hs256WithPublicKeyAsSecret(), "/notes");

		assertThat(route).isInstanceOfSatisfying(JwtRoute.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo("algorithm"));
	}

	@Test
	void decideWhenSignedByAnotherIssuersKeyWithItsKidThenIntrospected() {
		RSAKey otherIssuersKey = TestIssuer.newKey("other-issuer-key");
		String token = TestIssuer.sign(jwtHeader(otherIssuersKey.getKeyID()), TestIssuer.accessTokenClaims(),
				TestIssuer.signer(otherIssuersKey));

		assertThat(this.router.decide(token, "/notes")).isEqualTo(JwtRoute.INTROSPECT);
		// Fetched, then fetched again for the unknown id.
		assertThat(this.issuer.jwksFetches()).isEqualTo(2);
	}

	@Test
	void decideWhenKidOfTheIssuerButSignedByAnotherKeyThenRejected() {
		RSAKey forger = TestIssuer.newKey(this.issuer.key().getKeyID());
		String token = TestIssuer.sign(jwtHeader(forger.getKeyID()), TestIssuer.accessTokenClaims(),
				TestIssuer.signer(forger));

		JwtRoute route = this.router.decide(token, "/notes");

		assertThat(route).isInstanceOfSatisfying(JwtRoute.Rejected.class,
				(rejected) -> assertThat(rejected.reason()).isEqualTo("verification"));
	}

	@Test
	void decideWhenUnknownKidsFollowEachOtherThenRefreshRateLimited() {
		this.router.decide(this.issuer.accessToken(), "/notes");
		for (String kid : List.of("unknown-1", "unknown-2", "unknown-3")) {
			RSAKey key = TestIssuer.newKey(kid);
			String token = TestIssuer.sign(jwtHeader(kid), TestIssuer.accessTokenClaims(), TestIssuer.signer(key));
			assertThat(this.router.decide(token, "/notes")).isEqualTo(JwtRoute.INTROSPECT);
		}

		// The first fetch, one refresh; the next unknown ids wait for the interval.
		assertThat(this.issuer.jwksFetches()).isEqualTo(2);
	}

	@Test
	void decideWhenKeyRotatedThenNewTokensAcceptedAfterOneRefetch() {
		this.router.decide(this.issuer.accessToken(), "/notes");
		this.issuer.rotate("key-2");

		assertThat(this.router.decide(this.issuer.accessToken(), "/notes")).isInstanceOf(JwtRoute.Accepted.class);
		assertThat(this.issuer.jwksFetches()).isEqualTo(2);
	}

	@Test
	void decideWhenJwksServerDownAfterKeysCachedThenStillAccepted() {
		this.router.decide(this.issuer.accessToken(), "/notes");
		this.issuer.down(true);

		assertThat(this.router.decide(this.issuer.accessToken(), "/notes")).isInstanceOf(JwtRoute.Accepted.class);
		assertThat(this.issuer.jwksFetches()).isEqualTo(1);
	}

	@Test
	void decideWhenJwksServerDownAndNothingCachedThenIntrospected() {
		this.issuer.down(true);

		assertThat(this.router.decide(this.issuer.accessToken(), "/notes")).isEqualTo(JwtRoute.INTROSPECT);
	}

	@Test
	void decideWhenHeaderOversizedThenIntrospectedWithoutFetchingKeys() {
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.issuer.key().getKeyID())
			.type(JOSEObjectType.JWT)
			.customParam("padding", "x".repeat(LocalJwtRouter.MAX_HEADER_LENGTH))
			.build();
		String token = TestIssuer.sign(header, TestIssuer.accessTokenClaims(), TestIssuer.signer(this.issuer.key()));

		assertThat(this.router.decide(token, "/notes")).isEqualTo(JwtRoute.INTROSPECT);
		assertThat(this.issuer.jwksFetches()).isZero();
	}

	@Test
	void decideWhenTypNotAcceptedThenIntrospected() {
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.issuer.key().getKeyID())
			.type(new JOSEObjectType("logout+jwt"))
			.build();
		String token = TestIssuer.sign(header, TestIssuer.accessTokenClaims(), TestIssuer.signer(this.issuer.key()));

		assertThat(this.router.decide(token, "/notes")).isEqualTo(JwtRoute.INTROSPECT);
	}

	@Test
	void decideWhenTypAtJwtWithMediaTypePrefixThenAccepted() {
		JWSHeader header = new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.issuer.key().getKeyID())
			.type(new JOSEObjectType("application/AT+JWT"))
			.build();
		String token = TestIssuer.sign(header, TestIssuer.accessTokenClaims(), TestIssuer.signer(this.issuer.key()));

		assertThat(this.router.decide(token, "/notes")).isInstanceOf(JwtRoute.Accepted.class);
	}

	@Test
	void decideWhenExpiredThenAcceptedHereForTheSharedValidatorsToRefuse() {
		Map<String, Object> claims = TestIssuer.accessTokenClaims();
		claims.put("iat", Instant.now().minusSeconds(4200).getEpochSecond());
		claims.put("exp", Instant.now().minusSeconds(600).getEpochSecond());

		JwtRoute route = this.router.decide(this.issuer.sign(claims), "/notes");

		// Time claims are judged by the decision both paths share (TimestampValidator).
		assertThat(route).isInstanceOfSatisfying(JwtRoute.Accepted.class,
				(accepted) -> assertThat(accepted.token().isExpiredAt(Instant.now())).isTrue());
	}

	@Test
	void decideWhenRequiredClaimMissingThenIntrospected() {
		LocalJwtRouter requiring = router(List.of("realm_access", "preferred_username"), List.of());

		assertThat(requiring.decide(this.issuer.accessToken(), "/notes")).isEqualTo(JwtRoute.INTROSPECT);
	}

	@Test
	void decideWhenRequiredClaimsPresentThenAccepted() {
		LocalJwtRouter requiring = router(List.of("realm_access", "sub"), List.of());

		assertThat(requiring.decide(this.issuer.accessToken(), "/notes")).isInstanceOf(JwtRoute.Accepted.class);
	}

	@Test
	void decideWhenPathMustIntrospectThenIntrospected() {
		LocalJwtRouter withPaths = router(List.of(), List.of("/admin/**", "/accounts/{id}/close"));

		assertThat(withPaths.decide(this.issuer.accessToken(), "/admin/users")).isEqualTo(JwtRoute.INTROSPECT);
		assertThat(withPaths.decide(this.issuer.accessToken(), "/accounts/7/close")).isEqualTo(JwtRoute.INTROSPECT);
		assertThat(withPaths.decide(this.issuer.accessToken(), "/accounts/7")).isInstanceOf(JwtRoute.Accepted.class);
	}

	@Test
	void decideWhenPathsConfiguredButRequestPathUnknownThenIntrospected() {
		LocalJwtRouter withPaths = router(List.of(), List.of("/admin/**"));

		assertThat(withPaths.decide(this.issuer.accessToken(), null)).isEqualTo(JwtRoute.INTROSPECT);
		assertThat(this.router.decide(this.issuer.accessToken(), null)).isInstanceOf(JwtRoute.Accepted.class);
	}

	@Test
	void decideWhenVerifiedShortlyBeforeThenAcceptedFromTheCache() {
		LocalJwtRouter caching = cachingRouter(List.of());
		String token = this.issuer.accessToken();

		JwtRoute first = caching.decide(token, "/notes");
		JwtRoute second = caching.decide(token, "/notes");

		assertThat(first).isInstanceOfSatisfying(JwtRoute.Accepted.class,
				(accepted) -> assertThat(accepted.cacheStatus()).isEqualTo(CacheStatus.MISS));
		assertThat(second).isInstanceOfSatisfying(JwtRoute.Accepted.class, (accepted) -> {
			assertThat(accepted.cacheStatus()).isEqualTo(CacheStatus.HIT);
			assertThat(accepted.token()).isSameAs(((JwtRoute.Accepted) first).token());
		});
		// A cache hit needs no key either: found even before the cheap step ends.
		assertThat(caching.route(token, "/notes")).isInstanceOf(JwtRoute.Accepted.class);
	}

	@Test
	void decideWhenCachedButPathMustIntrospectThenIntrospected() {
		LocalJwtRouter caching = cachingRouter(List.of("/admin/**"));
		String token = this.issuer.accessToken();
		assertThat(caching.decide(token, "/notes")).isInstanceOf(JwtRoute.Accepted.class);

		assertThat(caching.decide(token, "/admin/users")).isEqualTo(JwtRoute.INTROSPECT);
	}

	@Test
	void decideWhenExpiredThenNeverCached() {
		LocalJwtRouter caching = cachingRouter(List.of());
		Map<String, Object> claims = TestIssuer.accessTokenClaims();
		claims.put("iat", Instant.now().minusSeconds(4200).getEpochSecond());
		claims.put("exp", Instant.now().minusSeconds(600).getEpochSecond());
		String token = this.issuer.sign(claims);
		caching.decide(token, "/notes");

		assertThat(caching.decide(token, "/notes")).isInstanceOfSatisfying(JwtRoute.Accepted.class,
				(accepted) -> assertThat(accepted.cacheStatus()).isEqualTo(CacheStatus.MISS));
	}

	@Test
	void decideWhenForgedTokenAfterAValidOneThenNotServedFromTheCache() {
		LocalJwtRouter caching = cachingRouter(List.of());
		caching.decide(this.issuer.accessToken(), "/notes");
		RSAKey forger = TestIssuer.newKey(this.issuer.key().getKeyID());
		String forged = TestIssuer.sign(jwtHeader(forger.getKeyID()), TestIssuer.accessTokenClaims(),
				TestIssuer.signer(forger));

		assertThat(caching.decide(forged, "/notes")).isInstanceOf(JwtRoute.Rejected.class);
	}

	@Test
	void settingsWhenHmacOrNoneThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> new LocalJwtRouter.Settings(TestIssuer.ISSUER,
				List.of("RS256", "HS256"), List.of("JWT"), List.of(), List.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> new LocalJwtRouter.Settings(TestIssuer.ISSUER,
				List.of("none"), List.of("JWT"), List.of(), List.of()));
	}

	@Test
	void parsePathsWhenPatternInvalidThenNamesIt() {
		assertThatIllegalArgumentException().isThrownBy(() -> LocalJwtRouter.parsePaths(List.of("/ok", "/a/{id")))
			.withMessageContaining("/a/{id");
	}

	private LocalJwtRouter router(List<String> requiredClaims, List<String> introspectPaths) {
		return new LocalJwtRouter(new LocalJwtRouter.Settings(TestIssuer.ISSUER, List.of("RS256", "ES256", "PS256"),
				List.of("JWT", "at+jwt"), requiredClaims, introspectPaths), this.issuer.keys());
	}

	private LocalJwtRouter cachingRouter(List<String> introspectPaths) {
		return new LocalJwtRouter(
				new LocalJwtRouter.Settings(TestIssuer.ISSUER, List.of("RS256"), List.of("JWT"), List.of(),
						introspectPaths),
				this.issuer.keys(), new VerifiedJwts(Duration.ofMinutes(1), 100, Clock.systemUTC()));
	}

	private static JWSHeader jwtHeader(String kid) {
		return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build();
	}

}
