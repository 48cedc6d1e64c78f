package io.github.tokenintrospection.internal.events;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Date;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import io.github.tokenintrospection.testsupport.SecurityEventTransmitter;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SecurityEventTokenVerifierTests {

	static final String ISSUER = "https://sso.example.com/realms/notes";

	static final String AUDIENCE = "notes-api-events";

	static final Instant NOW = Instant.parse("2030-01-01T00:00:00Z");

	static final RSAKey KEY = rsaKey();

	private static final String SESSION_REVOKED = SecurityEventReceiver.CAEP + "session-revoked";

	static SecurityEventTokenVerifier verifier() {
		return verifier(new ImmutableJWKSet<>(new JWKSet(KEY.toPublicJWK())));
	}

	static SecurityEventTokenVerifier verifier(JWKSource<SecurityContext> keys) {
		return new SecurityEventTokenVerifier(keys, Set.of(JWSAlgorithm.RS256), () -> ISSUER, AUDIENCE,
				Duration.ofHours(1), Duration.ofSeconds(60), Clock.fixed(NOW, ZoneOffset.UTC));
	}

	static JWTClaimsSet.Builder claims(String type, Map<String, Object> subId) {
		return new JWTClaimsSet.Builder().issuer(ISSUER)
			.audience(AUDIENCE)
			.issueTime(Date.from(NOW))
			.jwtID(UUID.randomUUID().toString())
			.claim("sub_id", subId)
			.claim("events", Map.of(type, Map.of("event_timestamp", NOW.getEpochSecond())));
	}

	static byte[] signed(JWTClaimsSet claims) {
		return SecurityEventTransmitter.sign(claims, new JOSEObjectType("secevent+jwt"), KEY)
			.getBytes(StandardCharsets.US_ASCII);
	}

	@Test
	void verifyWhenKeycloaksSessionRevokedThenUserAndSession() {
		SecurityEvent event = verifier().verify(signed(claims(SESSION_REVOKED,
				Map.of("format", "complex", "user", Map.of("format", "iss_sub", "iss", ISSUER, "sub", "u-1"), "session",
						Map.of("format", "opaque", "id", "sid-1")))
			.jwtID("set-1")
			.build()));

		assertThat(event.jti()).isEqualTo("set-1");
		assertThat(event.issuedAt()).isEqualTo(NOW);
		assertThat(event.events()).containsExactly(new SecurityEvent.Event(SESSION_REVOKED, "u-1", "sid-1"));
	}

	@Test
	void verifyWhenIssSubOpaqueOrTopLevelSubThenUser() {
		String change = SecurityEventReceiver.CAEP + "credential-change";

		assertThat(verifier().verify(signed(claims(change, Map.of("format", "opaque", "id", "u-2")).build())).events())
			.containsExactly(new SecurityEvent.Event(change, "u-2", null));
		assertThat(verifier()
			.verify(signed(claims(change, Map.of("format", "email", "email", "a@example.com")).claim("sub_id", null)
				.subject("u-3")
				.build()))
			.events()).containsExactly(new SecurityEvent.Event(change, "u-3", null));
	}

	@Test
	void verifyWhenEmailSubjectThenNeitherUserNorSession() {
		String change = SecurityEventReceiver.CAEP + "credential-change";

		assertThat(
				verifier().verify(signed(claims(change, Map.of("format", "email", "email", "a@example.com")).build()))
					.events())
			.containsExactly(new SecurityEvent.Event(change, null, null));
	}

	@Test
	void verifyWhenRiscEventNamesItsSubjectInsideThenUser() {
		String disabled = SecurityEventReceiver.RISC + "account-disabled";
		JWTClaimsSet claims = claims(disabled, Map.of()).claim("sub_id", null)
			.claim("events",
					Map.of(disabled, Map.of("subject", Map.of("format", "iss_sub", "iss", ISSUER, "sub", "u-4"))))
			.build();

		assertThat(verifier().verify(signed(claims)).events())
			.containsExactly(new SecurityEvent.Event(disabled, "u-4", null));
	}

	@Test
	void verifyWhenMediaTypeAsTypThenAccepted() {
		byte[] set = SecurityEventTransmitter
			.sign(claims(SESSION_REVOKED, Map.of("format", "opaque", "id", "u-5")).build(),
					new JOSEObjectType("application/secevent+jwt"), KEY)
			.getBytes(StandardCharsets.US_ASCII);

		assertThat(verifier().verify(set).events()).hasSize(1);
	}

	@Test
	void verifyWhenARuleIsBrokenThenRefusedWithItsCode() {
		Map<String, Object> subId = Map.of("format", "opaque", "id", "u-6");
		JWTClaimsSet valid = claims(SESSION_REVOKED, subId).build();

		assertRefused(SecurityEventTransmitter.sign(valid, JOSEObjectType.JWT, KEY), "invalid_request", "typ");
		assertRefused(SecurityEventTransmitter.sign(valid, new JOSEObjectType("secevent+jwt"), rsaKey()), "invalid_key",
				"signature");
		assertRefused(new JWTClaimsSet.Builder(valid).issuer("https://elsewhere.example").build(), "invalid_issuer",
				"iss");
		assertRefused(new JWTClaimsSet.Builder(valid).audience("other").build(), "invalid_audience", "aud");
		assertRefused(new JWTClaimsSet.Builder(valid).issueTime(null).build(), "invalid_request", "iat is missing");
		assertRefused(new JWTClaimsSet.Builder(valid).issueTime(Date.from(NOW.plusSeconds(120))).build(),
				"invalid_request", "future");
		assertRefused(new JWTClaimsSet.Builder(valid).issueTime(Date.from(NOW.minusSeconds(3700))).build(),
				"invalid_request", "older");
		assertRefused(new JWTClaimsSet.Builder(valid).jwtID(null).build(), "invalid_request", "jti");
		assertRefused(new JWTClaimsSet.Builder(valid).jwtID("x".repeat(257)).build(), "invalid_request", "jti");
		assertRefused(new JWTClaimsSet.Builder(valid).claim("events", Map.of()).build(), "invalid_request", "events");
		assertRefused(new JWTClaimsSet.Builder(valid).claim("events", "session-revoked").build(), "invalid_request",
				"events");
		assertRefused(new JWTClaimsSet.Builder(valid).claim("events", Map.of(SESSION_REVOKED, "x")).build(),
				"invalid_request", "event");
		assertThatExceptionOfType(SecurityEventException.class)
			.isThrownBy(() -> verifier().verify("not a jwt".getBytes(StandardCharsets.US_ASCII)))
			.satisfies((ex) -> assertThat(ex.error()).isEqualTo("invalid_request"));
	}

	@Test
	void verifyWhenKeysCannotBeFetchedThen503ForTheTransmitterToRetry() {
		JWKSource<SecurityContext> unreachable = (selector, context) -> {
			throw new KeySourceException("connection refused");
		};

		assertThatExceptionOfType(SecurityEventException.class)
			.isThrownBy(() -> verifier(unreachable)
				.verify(signed(claims(SESSION_REVOKED, Map.of("format", "opaque", "id", "u-7")).build())))
			.satisfies((ex) -> {
				assertThat(ex.status()).isEqualTo(503);
				assertThat(ex.error()).isEqualTo("temporarily_unavailable");
			});
	}

	private static void assertRefused(JWTClaimsSet claims, String error, String described) {
		assertRefused(SecurityEventTransmitter.sign(claims, new JOSEObjectType("secevent+jwt"), KEY), error, described);
	}

	private static void assertRefused(String set, String error, String described) {
		assertThatExceptionOfType(SecurityEventException.class)
			.isThrownBy(() -> verifier().verify(set.getBytes(StandardCharsets.US_ASCII)))
			.satisfies((ex) -> {
				assertThat(ex.error()).isEqualTo(error);
				assertThat(ex.status()).isEqualTo(400);
				assertThat(ex.getMessage()).contains(described);
			});
	}

	private static RSAKey rsaKey() {
		try {
			return new RSAKeyGenerator(2048).keyID("transmitter-1").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
