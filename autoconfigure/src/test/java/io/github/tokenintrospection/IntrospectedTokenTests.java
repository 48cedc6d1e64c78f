package io.github.tokenintrospection;

import java.time.Instant;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class IntrospectedTokenTests {

	@Test
	void activeWhenClaimNamesAreNewStringsThenKnownNamesAreTheConstantsReadOnEveryRequest() {
		Map<String, Object> parsed = new HashMap<>();
		// As a JSON parser hands them over: equal to the constants, not the same strings.
		parsed.put(new String(OAuth2TokenIntrospectionClaimNames.EXP), Instant.parse("2030-01-01T00:00:00Z"));
		parsed.put(new String(OAuth2TokenIntrospectionClaimNames.ISS), "https://issuer.example");
		parsed.put(new String("x-custom"), "kept");

		IntrospectedToken token = IntrospectedToken.active(parsed);

		assertThat(token.getClaims().keySet())
			.anySatisfy((name) -> assertThat(name).isSameAs(OAuth2TokenIntrospectionClaimNames.EXP));
		assertThat(token.getClaims().keySet())
			.anySatisfy((name) -> assertThat(name).isSameAs(OAuth2TokenIntrospectionClaimNames.ISS));
		assertThat(token.getClaims()).containsEntry("x-custom", "kept")
			.containsEntry("iss", "https://issuer.example")
			.hasSize(3);
		assertThatExceptionOfType(UnsupportedOperationException.class)
			.isThrownBy(() -> token.getClaims().put("sub", "mallory"));
	}

}
