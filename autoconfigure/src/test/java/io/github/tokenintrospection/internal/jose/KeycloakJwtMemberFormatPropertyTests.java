package io.github.tokenintrospection.internal.jose;

import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.source.ImmutableJWKSet;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.JSONObjectUtils;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.jwt.TestIssuer;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Keycloak's {@code jwt} member over hostile input: arbitrary bodies and arbitrary
 * members never escape as anything but {@link OAuth2IntrospectionException}, an
 * unverifiable member never yields an accepted token, and only JSON {@code true} makes a
 * token active.
 */
class KeycloakJwtMemberFormatPropertyTests {

	private static final RSAKey REALM_KEY = TestIssuer.newKey("realm-key");

	private static final String TOKEN = TestIssuer.sign(
			new JWSHeader.Builder(JWSAlgorithm.RS256).keyID("realm-key").type(JOSEObjectType.JWT).build(),
			Map.of("iss", TestIssuer.ISSUER, "jti", "token-1"), TestIssuer.signer(REALM_KEY));

	private final KeycloakJwtMemberFormat format = new KeycloakJwtMemberFormat(
			new ImmutableJWKSet<SecurityContext>(new JWKSet(REALM_KEY.toPublicJWK())), Set.of(JWSAlgorithm.RS256),
			() -> TestIssuer.ISSUER, false);

	@Property(tries = 1000)
	void readWhenArbitraryBytesThenServerFaultOrStrictlyParsed(@ForAll byte[] body) {
		try {
			IntrospectedToken result = this.format.read(MediaType.APPLICATION_JSON, body, TOKEN);
			// Only a strict JSON object with "active": true can be active.
			assertThat(!result.isActive() || new String(body, StandardCharsets.UTF_8).contains("true")).isTrue();
		}
		catch (OAuth2IntrospectionException ex) {
			// A server fault: 503, never cached.
		}
	}

	@Property(tries = 1000)
	void readWhenArbitraryMemberThenNeverAccepted(@ForAll String member) {
		byte[] answer = JSONObjectUtils
			.toJSONString(Map.of("active", true, "sub", "alice", "iss", TestIssuer.ISSUER, "jwt", member))
			.getBytes(StandardCharsets.UTF_8);
		try {
			this.format.read(MediaType.APPLICATION_JSON, answer, TOKEN);
			throw new AssertionError("An unverifiable member was accepted: " + member);
		}
		catch (OAuth2IntrospectionException ex) {
			assertThat(ex.getMessage()).doesNotContain(TOKEN);
		}
	}

	@Property(tries = 300)
	void readWhenJwtShapedMemberWithArbitraryPartsThenNeverAccepted(@ForAll String header, @ForAll String payload,
			@ForAll String signature) {
		String member = TestIssuer.base64Url(header) + "." + TestIssuer.base64Url(payload) + "."
				+ TestIssuer.base64Url(signature);
		readWhenArbitraryMemberThenNeverAccepted(member);
	}

}
