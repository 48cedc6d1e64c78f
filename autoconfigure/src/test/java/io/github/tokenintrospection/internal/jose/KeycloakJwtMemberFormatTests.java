package io.github.tokenintrospection.internal.jose;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.UUID;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import org.junit.jupiter.api.Test;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Keycloak's signed {@code jwt} member: verified with the realm's keys, bound to the
 * introspected token by its {@code jti}, consistent with the plain answer, and never
 * kept; a forged, foreign or inconsistent member is a server fault in either mode; a
 * missing one is tolerated only when the proof is preferred.
 */
class KeycloakJwtMemberFormatTests {

	private static final RSAKey REALM_KEY = TestIssuer.newKey("realm-key");

	private final KeycloakJwtMemberFormat preferred = format(false);

	private final KeycloakJwtMemberFormat required = format(true);

	private final String jti = "onltro:" + UUID.randomUUID();

	/** The introspected token: a lightweight Keycloak token, with few claims. */
	private final String token = TestIssuer.sign(header(REALM_KEY.getKeyID()),
			Map.of("iss", TestIssuer.ISSUER, "jti", this.jti, "exp", 4102444800L), TestIssuer.signer(REALM_KEY));

	@Test
	void acceptedMediaTypesThenExactlyApplicationJwt() {
		assertThat(this.required.acceptedMediaTypes()).containsExactly(MediaType.parseMediaType("application/jwt"));
	}

	@Test
	void readWhenMemberValidAndBoundThenSignedClaimsWithoutTheMember() {
		String member = member(claims(this.jti));

		IntrospectedToken result = read(this.required, answer(member, Map.of()));

		assertThat(result.isActive()).isTrue();
		assertThat(result.isSignedAnswer()).isTrue();
		assertThat(result.getClaims()).containsEntry("sub", "alice")
			.containsEntry("client_id", "notes-web")
			.doesNotContainKey("jwt");
		assertThat(result.stringListClaim("realm_roles")).containsExactly("reader");
	}

	@Test
	void readWhenKeepingEvidenceThenOnlyTheMembersDigestKept() {
		String member = member(claims(this.jti));
		KeycloakJwtMemberFormat format = format(true);
		format.setKeepEvidence(true);

		IntrospectedToken result = read(format, answer(member, Map.of()));

		assertThat(result.signedAnswerSha256()).isEqualTo(TokenHash.sha256Hex(member));
		// The member is a copy of the token: never kept.
		assertThat(result.signedAnswer()).isNull();
	}

	@Test
	void readWhenMemberIsAboutAnotherTokenThenServerFault() {
		String member = member(claims("onltro:" + UUID.randomUUID()));

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> read(this.preferred, answer(member, Map.of())))
			.withMessageContaining("jti");
	}

	@Test
	void readWhenMemberSignedByAnotherKeyThenServerFault() {
		RSAKey intruder = TestIssuer.newKey(REALM_KEY.getKeyID());
		String member = TestIssuer.sign(header(REALM_KEY.getKeyID()), claims(this.jti), TestIssuer.signer(intruder));

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> read(this.preferred, answer(member, Map.of())));
	}

	@Test
	void readWhenMemberHmacSignedWithThePublicKeyThenServerFault() throws Exception {
		byte[] secret = REALM_KEY.toPublicJWK().toRSAPublicKey().getEncoded();
		String member = TestIssuer.sign(
				new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(REALM_KEY.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims(this.jti), new MACSigner(secret));

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> read(this.preferred, answer(member, Map.of())));
	}

	@Test
	void readWhenMemberUnsecuredThenServerFault() {
		String member = TestIssuer.base64Url("{\"alg\":\"none\"}") + "."
				+ TestIssuer.base64Url(JSONObjectUtils.toJSONString(claims(this.jti))) + ".";

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> read(this.preferred, answer(member, Map.of())));
	}

	@Test
	void readWhenMemberFromAnotherIssuerThenServerFault() {
		Map<String, Object> claims = claims(this.jti);
		claims.put("iss", "https://elsewhere.example/realms/notes");

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> read(this.preferred, answer(member(claims), Map.of("iss", claims.get("iss")))))
			.withMessageContaining("iss");
	}

	@Test
	void readWhenAnswerDisagreesWithMemberThenServerFault() {
		String member = member(claims(this.jti));

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> read(this.preferred, answer(member, Map.of("scope", "read admin"))))
			.withMessageContaining("scope");
	}

	@Test
	void readWhenNoMemberThenPlainAnswerIfPreferredAndServerFaultIfRequired() {
		byte[] plain = answer(null, Map.of());

		IntrospectedToken result = read(this.preferred, plain);

		assertThat(result.isActive()).isTrue();
		assertThat(result.isSignedAnswer()).isFalse();
		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(() -> read(this.required, plain));
	}

	@Test
	void readWhenTokenIsNoJwtThenMemberCannotBeBoundAndIsNeverKept() {
		byte[] answer = answer(member(claims(this.jti)), Map.of());

		IntrospectedToken result = this.preferred.read(MediaType.APPLICATION_JSON, answer, "2YotnFZFEjr1zCsicMWpAA");

		assertThat(result.isSignedAnswer()).isFalse();
		assertThat(result.getClaims()).doesNotContainKey("jwt");
		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> this.required.read(MediaType.APPLICATION_JSON, answer, "2YotnFZFEjr1zCsicMWpAA"));
	}

	@Test
	void readWhenInactiveThenInactiveWithoutProof() {
		IntrospectedToken result = read(this.required, "{\"active\":false}".getBytes(StandardCharsets.UTF_8));

		assertThat(result.isActive()).isFalse();
	}

	@Test
	void readWhenActiveIsTheStringTrueThenInactive() {
		String member = member(claims(this.jti));
		byte[] answer = ("{\"active\":\"true\",\"sub\":\"alice\",\"jwt\":\"" + member + "\"}")
			.getBytes(StandardCharsets.UTF_8);

		assertThat(read(this.required, answer).isActive()).isFalse();
	}

	private IntrospectedToken read(KeycloakJwtMemberFormat format, byte[] body) {
		return format.read(MediaType.APPLICATION_JSON, body, this.token);
	}

	/** The token's claims as Keycloak signs them in the member. */
	private static Map<String, Object> claims(String jti) {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("exp", 4102444800L);
		claims.put("iat", 1767225600L);
		claims.put("jti", jti);
		claims.put("iss", TestIssuer.ISSUER);
		claims.put("aud", "notes-api");
		claims.put("sub", "alice");
		claims.put("typ", "Bearer");
		claims.put("scope", "read");
		claims.put("realm_roles", java.util.List.of("reader"));
		return claims;
	}

	private static String member(Map<String, Object> claims) {
		return TestIssuer.sign(header(REALM_KEY.getKeyID()), claims, TestIssuer.signer(REALM_KEY));
	}

	/** A plain active answer, with the member and with the plain-only members. */
	private byte[] answer(String member, Map<String, Object> overrides) {
		Map<String, Object> answer = new LinkedHashMap<>();
		answer.put("active", true);
		answer.put("iss", TestIssuer.ISSUER);
		answer.put("jti", this.jti);
		answer.put("sub", "alice");
		answer.put("scope", "read");
		answer.put("client_id", "notes-web");
		answer.put("token_type", "Bearer");
		answer.putAll(overrides);
		if (member != null) {
			answer.put("jwt", member);
		}
		return JSONObjectUtils.toJSONString(answer).getBytes(StandardCharsets.UTF_8);
	}

	private static JWSHeader header(String kid) {
		return new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(kid).type(JOSEObjectType.JWT).build();
	}

	private static KeycloakJwtMemberFormat format(boolean required) {
		return new KeycloakJwtMemberFormat(new ImmutableJWKSet<SecurityContext>(new JWKSet(REALM_KEY.toPublicJWK())),
				Set.of(JWSAlgorithm.RS256), () -> TestIssuer.ISSUER, required);
	}

}
