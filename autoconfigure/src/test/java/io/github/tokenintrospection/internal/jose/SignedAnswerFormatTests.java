package io.github.tokenintrospection.internal.jose;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.RSAKey;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.testsupport.MutableClock;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.client.RestClient;

import static io.github.tokenintrospection.internal.jose.SignedAnswers.ACTIVE;
import static io.github.tokenintrospection.internal.jose.SignedAnswers.AUDIENCE;
import static io.github.tokenintrospection.internal.jose.SignedAnswers.ISSUER;
import static io.github.tokenintrospection.internal.jose.SignedAnswers.claims;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Signed answers read as the HTTP clients read them: verified against a key set served on
 * loopback, then parsed strictly; every hostile answer a server fault.
 */
@ExtendWith(OutputCaptureExtension.class)
class SignedAnswerFormatTests {

	private static final MediaType JWT = SignedAnswerFormat.TOKEN_INTROSPECTION_JWT;

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final SignedAnswers server = new SignedAnswers("k1");

	private final MockWebServer keySet = new MockWebServer();

	@BeforeEach
	void start() throws Exception {
		this.keySet.start();
	}

	@AfterEach
	void stop() {
		this.keySet.close();
	}

	@Test
	void readWhenValidSignedAnswerThenClaimsParsedAndMarkedSigned() {
		this.keySet.enqueue(this.server.jwksResponse());

		IntrospectedToken token = format(false).read(JWT, bytes(this.server.sign(ACTIVE, now())));

		assertThat(token.isActive()).isTrue();
		assertThat(token.isSignedAnswer()).isTrue();
		assertThat(token.stringClaim("sub")).isEqualTo("alice");
		assertThat(token.stringListClaim("scope")).containsExactly("read");
	}

	@Test
	void readWhenKeepingEvidenceThenSignedAnswerAndItsDigestKept() {
		this.keySet.enqueue(this.server.jwksResponse());
		String answer = this.server.sign(ACTIVE, now());
		SignedAnswerFormat format = format(false);
		format.setKeepEvidence(true);

		IntrospectedToken token = format.read(JWT, bytes(answer + "\n"));

		assertThat(token.signedAnswer()).isEqualTo(answer);
		assertThat(token.signedAnswerSha256()).isEqualTo(TokenHash.sha256Hex(answer)).hasSize(64);
	}

	@Test
	void readWhenNotKeepingEvidenceThenNoneKept() {
		this.keySet.enqueue(this.server.jwksResponse());

		IntrospectedToken token = format(false).read(JWT, bytes(this.server.sign(ACTIVE, now())));

		assertThat(token.signedAnswer()).isNull();
		assertThat(token.signedAnswerSha256()).isNull();
	}

	@Test
	void readWhenContentTypeHasParametersThenStillSigned() {
		this.keySet.enqueue(this.server.jwksResponse());

		IntrospectedToken token = format(true).read(
				MediaType.parseMediaType("application/token-introspection+jwt;charset=UTF-8"),
				bytes(this.server.sign(ACTIVE, now())));

		assertThat(token.isSignedAnswer()).isTrue();
	}

	@Test
	void readWhenSignedByAnotherKeyWithTheSameKidThenRejected() {
		this.keySet.enqueue(this.server.jwksResponse());
		this.keySet.enqueue(this.server.jwksResponse());
		RSAKey impostor = SignedAnswers.generate("k1");

		assertRejected(this.server.sign(impostor, JWSAlgorithm.RS256, SignedAnswerVerifier.TYPE, validClaims()));
	}

	@Test
	void readWhenAlgNoneThenRejectedWithoutFetchingKeys() {
		assertRejected(SignedAnswers.unsigned(validClaims()), "not signed");
		assertThat(this.keySet.getRequestCount()).isZero();
	}

	@Test
	void readWhenHs256KeyedWithThePublicKeyThenRejected() {
		this.keySet.enqueue(this.server.jwksResponse());
		this.keySet.enqueue(this.server.jwksResponse());

		assertRejected(this.server.signWithHmacOverPublicKey(validClaims()));
	}

	@Test
	void readWhenWrongIssuerThenRejectedNamingIt() {
		this.keySet.enqueue(this.server.jwksResponse());

		assertRejected(sign(claims("https://evil.example", AUDIENCE, now(), ACTIVE)), "iss is https://evil.example");
	}

	@Test
	void readWhenWrongAudienceThenRejectedNamingIt() {
		this.keySet.enqueue(this.server.jwksResponse());

		assertRejected(sign(claims(ISSUER, "other-api", now(), ACTIVE)), "does not name notes-api");
	}

	@Test
	void readWhenIssuedBeforeMaxAgeAndSkewThenRejectedAsStale() {
		this.keySet.enqueue(this.server.jwksResponse());
		this.keySet.enqueue(this.server.jwksResponse());

		// 2 min max age + 30 s skew: one second more is stale; exactly that much is
		// fresh.
		assertRejected(sign(claims(ISSUER, AUDIENCE, now().minusSeconds(151), ACTIVE)), "is older than");
		assertThat(format(true).read(JWT, bytes(sign(claims(ISSUER, AUDIENCE, now().minusSeconds(150), ACTIVE))))
			.isActive()).isTrue();
	}

	@Test
	void readWhenIssuedInTheFutureBeyondSkewThenRejected() {
		this.keySet.enqueue(this.server.jwksResponse());

		assertRejected(sign(claims(ISSUER, AUDIENCE, now().plusSeconds(31), ACTIVE)), "in the future");
	}

	@Test
	void readWhenWrongTypeThenRejected() {
		this.keySet.enqueue(this.server.jwksResponse());

		assertRejected(this.server.sign(this.server.key(), JWSAlgorithm.RS256, JOSEObjectType.JWT, validClaims()),
				"type");
	}

	@Test
	void readWhenUnknownKidThenKeySetFetchedOnceMoreThenRejectedAndRateLimited() {
		this.keySet.enqueue(this.server.jwksResponse());
		this.keySet.enqueue(this.server.jwksResponse());
		this.keySet.enqueue(this.server.jwksResponse());
		SignedAnswerFormat format = format(true);
		RSAKey rotated = SignedAnswers.generate("k2");
		String answer = this.server.sign(rotated, JWSAlgorithm.RS256, SignedAnswerVerifier.TYPE, validClaims());

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> format.read(JWT, bytes(answer)));
		assertThat(this.keySet.getRequestCount()).isEqualTo(2);
		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> format.read(JWT, bytes(answer)));
		// Within the minimum interval, no third fetch.
		assertThat(this.keySet.getRequestCount()).isEqualTo(2);
	}

	@Test
	void readWhenKeyRotatedThenNewKeyFetchedAndAccepted() {
		SignedAnswers rotated = new SignedAnswers("k2");
		this.keySet.enqueue(this.server.jwksResponse());
		this.keySet.enqueue(rotated.jwksResponse());
		SignedAnswerFormat format = format(true);
		format.read(JWT, bytes(this.server.sign(ACTIVE, now())));

		IntrospectedToken token = format.read(JWT, bytes(rotated.sign(ACTIVE, now())));

		assertThat(token.isActive()).isTrue();
		assertThat(this.keySet.getRequestCount()).isEqualTo(2);
	}

	@Test
	void readWhenValidSignatureOverActiveAsStringThenInactive() {
		this.keySet.enqueue(this.server.jwksResponse());

		IntrospectedToken token = format(true).read(JWT,
				bytes(this.server.sign("{\"active\":\"true\",\"sub\":\"alice\"}", now())));

		assertThat(token.isActive()).isFalse();
	}

	@Test
	void readWhenSignedMemberHasMalformedClaimThenServerFault() {
		this.keySet.enqueue(this.server.jwksResponse());

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(
					() -> format(true).read(JWT, bytes(this.server.sign("{\"active\":true,\"exp\":\"soon\"}", now()))))
			.withMessageContaining("Malformed introspection response");
	}

	@Test
	void readWhenEncryptedForThisResourceServerThenDecryptedVerifiedAndParsed() throws Exception {
		this.keySet.enqueue(this.server.jwksResponse());
		RSAKey resourceServer = SignedAnswers.generate("rs");
		SignedAnswerFormat format = format(true, new AnswerDecryption(resourceServer.toPrivateKey()));

		IntrospectedToken token = format.read(JWT, bytes(
				SignedAnswers.encrypt(this.server.sign(ACTIVE, now()), resourceServer, JWEAlgorithm.RSA_OAEP_256)));

		assertThat(token.isActive()).isTrue();
		assertThat(token.isSignedAnswer()).isTrue();
	}

	@Test
	void readWhenEncryptedButNoDecryptionKeyThenRejected() {
		RSAKey resourceServer = SignedAnswers.generate("rs");

		assertRejected(
				SignedAnswers.encrypt(this.server.sign(ACTIVE, now()), resourceServer, JWEAlgorithm.RSA_OAEP_256),
				"no decryption key");
	}

	@Test
	void readWhenEncryptedForAnotherKeyOrWithRsa15ThenRejected() throws Exception {
		RSAKey resourceServer = SignedAnswers.generate("rs");
		SignedAnswerFormat format = format(true, new AnswerDecryption(resourceServer.toPrivateKey()));
		String signed = this.server.sign(ACTIVE, now());

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> format.read(JWT,
					bytes(SignedAnswers.encrypt(signed, SignedAnswers.generate("other"), JWEAlgorithm.RSA_OAEP_256))))
			.withMessageContaining("does not decrypt");
		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(
					() -> format.read(JWT, bytes(SignedAnswers.encrypt(signed, resourceServer, JWEAlgorithm.RSA1_5))))
			.withMessageContaining("RSA1_5 is not accepted");
		assertThat(this.keySet.getRequestCount()).isZero();
	}

	@Test
	void readWhenEncryptedUnsignedPayloadThenRejected() throws Exception {
		RSAKey resourceServer = SignedAnswers.generate("rs");
		SignedAnswerFormat format = format(true, new AnswerDecryption(resourceServer.toPrivateKey()));
		com.nimbusds.jose.JWEObject jwe = new com.nimbusds.jose.JWEObject(
				new com.nimbusds.jose.JWEHeader(JWEAlgorithm.RSA_OAEP_256, com.nimbusds.jose.EncryptionMethod.A128GCM),
				new com.nimbusds.jose.Payload(ACTIVE));
		jwe.encrypt(new com.nimbusds.jose.crypto.RSAEncrypter(resourceServer.toRSAPublicKey()));

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> format.read(JWT, bytes(jwe.serialize())))
			.withMessageContaining("Signed introspection answer rejected");
	}

	@Test
	void readWhenPreferAndPlainJsonThenReadAsJson() {
		IntrospectedToken token = format(false).read(MediaType.APPLICATION_JSON, bytes(ACTIVE));

		assertThat(token.isActive()).isTrue();
		assertThat(token.isSignedAnswer()).isFalse();
		assertThat(format(false).acceptedMediaTypes()).extracting(MediaType::toString)
			.containsExactly("application/token-introspection+jwt", "application/json;q=0.5");
	}

	@Test
	void readWhenRequireAndPlainJsonThenServerFaultLoggedOnce(CapturedOutput output) {
		SignedAnswerFormat format = format(true);

		for (int i = 0; i < 3; i++) {
			assertThatExceptionOfType(OAuth2IntrospectionException.class)
				.isThrownBy(() -> format.read(MediaType.APPLICATION_JSON, bytes(ACTIVE)))
				.withMessageContaining("signed answers are required");
		}

		assertThat(output.getAll().split("answered plain JSON, but token-introspection.signed-answers.mode", -1))
			.hasSize(2);
		assertThat(format.acceptedMediaTypes()).containsExactly(JWT);
	}

	@Test
	void readMayBlockWhenSignedThenTrueOtherwiseFalse() {
		assertThat(format(false).readMayBlock(JWT)).isTrue();
		assertThat(format(false).readMayBlock(MediaType.APPLICATION_JSON)).isFalse();
		assertThat(format(false).readMayBlock(null)).isFalse();
	}

	private void assertRejected(String answer) {
		assertRejected(answer, "Signed introspection answer rejected");
	}

	private void assertRejected(String answer, String reason) {
		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> format(false).read(JWT, bytes(answer)))
			.withMessageContaining("Signed introspection answer rejected")
			.withMessageContaining(reason);
	}

	private String sign(com.nimbusds.jwt.JWTClaimsSet claims) {
		return this.server.sign(this.server.key(), JWSAlgorithm.RS256, SignedAnswerVerifier.TYPE, claims);
	}

	private com.nimbusds.jwt.JWTClaimsSet validClaims() {
		return claims(ISSUER, AUDIENCE, now(), ACTIVE);
	}

	private Instant now() {
		return this.clock.instant();
	}

	SignedAnswerFormat format(boolean required) {
		return format(required, null);
	}

	SignedAnswerFormat format(boolean required, AnswerDecryption decryption) {
		JwksKeys keys = new JwksKeys(RestClient.create(), () -> URI.create(this.keySet.url("/jwks").toString()));
		SignedAnswerVerifier verifier = new SignedAnswerVerifier(keys.source(),
				Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), () -> ISSUER, AUDIENCE, Duration.ofMinutes(2),
				Duration.ofSeconds(30), this.clock);
		verifier.setDecryption(decryption);
		return new SignedAnswerFormat(verifier, required);
	}

	private static byte[] bytes(String value) {
		return value.getBytes(StandardCharsets.UTF_8);
	}

}
