package io.github.tokenintrospection.client.authentication;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.junit.jupiter.api.Test;

import org.springframework.http.HttpHeaders;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClientAuthenticationsTests {

	private static final URI ENDPOINT = URI.create("https://idp.example/realms/a/introspect");

	private static final String CLIENT_ID = "notes-api";

	/** 32 bytes: the shortest secret HS256 accepts. */
	private static final String SECRET = "0123456789abcdef0123456789abcdef";

	private static final Instant NOW = Instant.parse("2030-01-01T10:00:00Z");

	private final Clock clock = Clock.fixed(NOW, ZoneOffset.UTC);

	@Test
	void clientSecretJwtWhenAuthenticatingThenSendsHs256AssertionWithRfc7523Claims() throws Exception {
		ClientAuthentication authentication = ClientAuthentications.clientSecretJwt(CLIENT_ID, SECRET,
				(endpoint) -> "aud-for:" + endpoint, Duration.ofSeconds(90), this.clock);
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		HttpHeaders headers = new HttpHeaders();

		authentication.authenticate(ENDPOINT, headers, form);

		assertThat(headers.getFirst(HttpHeaders.AUTHORIZATION)).isNull();
		assertThat(form.toSingleValueMap()).containsOnlyKeys("client_id", "client_assertion_type", "client_assertion")
			.containsEntry("client_id", CLIENT_ID)
			.containsEntry("client_assertion_type", "urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		SignedJWT jwt = SignedJWT.parse(form.getFirst("client_assertion"));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
		assertThat(jwt.verify(new MACVerifier(SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo(CLIENT_ID);
		assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
		assertThat(claims.getAudience()).containsExactly("aud-for:" + ENDPOINT);
		assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.isEqualTo(Duration.ofSeconds(90));
		assertThat(claims.getJWTID()).isNotBlank();
	}

	@Test
	void clientSecretJwtWhenSignedWithAnotherSecretThenDoesNotVerify() throws Exception {
		String assertion = assertion(ClientAuthentications.clientSecretJwt(CLIENT_ID, SECRET, URI::toString,
				Duration.ofSeconds(60), this.clock));

		assertThat(SignedJWT.parse(assertion)
			.verify(new MACVerifier("another-secret-of-32-bytes-or-so!".getBytes(StandardCharsets.UTF_8)))).isFalse();
	}

	@Test
	void clientSecretJwtWhenCalledTwiceThenEachAssertionHasItsOwnJti() throws Exception {
		ClientAuthentication authentication = ClientAuthentications.clientSecretJwt(CLIENT_ID, SECRET, URI::toString,
				Duration.ofSeconds(60), this.clock);

		String first = assertion(authentication);
		String second = assertion(authentication);

		assertThat(SignedJWT.parse(first).getJWTClaimsSet().getJWTID())
			.isNotEqualTo(SignedJWT.parse(second).getJWTClaimsSet().getJWTID());
	}

	@Test
	void clientSecretJwtWhenAudienceFunctionGivenThenItIsAskedWithTheEndpointBeingCalled() throws Exception {
		ClientAuthentication authentication = ClientAuthentications.clientSecretJwt(CLIENT_ID, SECRET, URI::toString,
				Duration.ofSeconds(60), this.clock);
		URI token = URI.create("https://idp.example/realms/a/token");
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();

		authentication.authenticate(token, new HttpHeaders(), form);

		assertThat(SignedJWT.parse(form.getFirst("client_assertion")).getJWTClaimsSet().getAudience())
			.containsExactly(token.toString());
	}

	@Test
	void clientSecretJwtWhenSecretShorterThan32BytesThenRefusedAtConstruction() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> ClientAuthentications.clientSecretJwt(CLIENT_ID, SECRET.substring(1), URI::toString,
					Duration.ofSeconds(60), this.clock))
			.withMessageContaining("32 bytes");
	}

	@Test
	void clientSecretJwtWhenSecretHas32BytesInFewerCharactersThenAccepted() throws Exception {
		// 11 euro signs are 11 characters but 33 UTF-8 bytes: the key size counts bytes.
		String secret = "\u20ac".repeat(11);

		String assertion = assertion(ClientAuthentications.clientSecretJwt(CLIENT_ID, secret, URI::toString,
				Duration.ofSeconds(60), this.clock));

		assertThat(SignedJWT.parse(assertion).verify(new MACVerifier(secret.getBytes(StandardCharsets.UTF_8))))
			.isTrue();
	}

	@Test
	void privateKeyJwtWhenRsaKeyThenRs256AssertionWithKeyIdVerifiesWithPublicKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keyPair = generator.generateKeyPair();
		ClientAuthentication authentication = ClientAuthentications.privateKeyJwt(CLIENT_ID, keyPair.getPrivate(),
				"rsa-key-1", (endpoint) -> "https://idp.example/realms/a", Duration.ofSeconds(30), this.clock);
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();

		authentication.authenticate(ENDPOINT, new HttpHeaders(), form);

		assertThat(form.getFirst("client_id")).isEqualTo(CLIENT_ID);
		assertThat(form.getFirst("client_assertion_type"))
			.isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
		SignedJWT jwt = SignedJWT.parse(form.getFirst("client_assertion"));
		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("rsa-key-1");
		assertThat(jwt.verify(new RSASSAVerifier((RSAPublicKey) keyPair.getPublic()))).isTrue();
		JWTClaimsSet claims = jwt.getJWTClaimsSet();
		assertThat(claims.getIssuer()).isEqualTo(CLIENT_ID);
		assertThat(claims.getSubject()).isEqualTo(CLIENT_ID);
		assertThat(claims.getAudience()).containsExactly("https://idp.example/realms/a");
		assertThat(Duration.between(claims.getIssueTime().toInstant(), claims.getExpirationTime().toInstant()))
			.isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void privateKeyJwtWhenEcP256KeyThenEs256AssertionVerifiesWithPublicKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		KeyPair keyPair = generator.generateKeyPair();
		ClientAuthentication authentication = ClientAuthentications.privateKeyJwt(CLIENT_ID, keyPair.getPrivate(),
				"ec-key-1", URI::toString, Duration.ofSeconds(60), this.clock);

		SignedJWT jwt = SignedJWT.parse(assertion(authentication));

		assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.ES256);
		assertThat(jwt.getHeader().getKeyID()).isEqualTo("ec-key-1");
		assertThat(jwt.verify(new ECDSAVerifier((ECPublicKey) keyPair.getPublic()))).isTrue();
		assertThat(jwt.getJWTClaimsSet().getAudience()).containsExactly(ENDPOINT.toString());
	}

	@Test
	void privateKeyJwtWhenNoKeyIdThenHeaderHasNoKid() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
		generator.initialize(new ECGenParameterSpec("secp256r1"));
		ClientAuthentication authentication = ClientAuthentications.privateKeyJwt(CLIENT_ID,
				generator.generateKeyPair().getPrivate(), null, URI::toString, Duration.ofSeconds(60), this.clock);

		assertThat(SignedJWT.parse(assertion(authentication)).getHeader().getKeyID()).isNull();
	}

	@Test
	void clientSecretBasicWhenPrintedThenOmitsSecret() {
		ClientAuthentication authentication = ClientAuthentications.clientSecretBasic(CLIENT_ID, "very-s3cret");

		assertThat(authentication.toString()).contains(CLIENT_ID).doesNotContain("very-s3cret");
	}

	@Test
	void clientSecretPostWhenPrintedThenOmitsSecret() {
		ClientAuthentication authentication = ClientAuthentications.clientSecretPost(CLIENT_ID, "very-s3cret");

		assertThat(authentication.toString()).contains(CLIENT_ID).doesNotContain("very-s3cret");
	}

	@Test
	void tlsClientAuthWhenAuthenticatingThenOnlySetsClientId() {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		HttpHeaders headers = new HttpHeaders();

		ClientAuthentications.tlsClientAuth(CLIENT_ID).authenticate(ENDPOINT, headers, form);

		assertThat(form).containsOnlyKeys("client_id").containsEntry("client_id", List.of(CLIENT_ID));
		assertThat(headers.isEmpty()).isTrue();
	}

	@Test
	void bearerWhenAuthenticatingThenAsksSupplierOnEveryCall() {
		AtomicInteger calls = new AtomicInteger();
		ClientAuthentication authentication = ClientAuthentications.bearer(() -> "token-" + calls.incrementAndGet());
		HttpHeaders first = new HttpHeaders();
		HttpHeaders second = new HttpHeaders();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();

		authentication.authenticate(ENDPOINT, first, form);
		authentication.authenticate(ENDPOINT, second, form);

		assertThat(first.get(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer token-1");
		assertThat(second.get(HttpHeaders.AUTHORIZATION)).containsExactly("Bearer token-2");
		assertThat(form).isEmpty();
	}

	private static String assertion(ClientAuthentication authentication) {
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		authentication.authenticate(ENDPOINT, new HttpHeaders(), form);
		return form.getFirst("client_assertion");
	}

}
