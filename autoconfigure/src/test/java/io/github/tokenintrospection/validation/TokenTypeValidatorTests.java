package io.github.tokenintrospection.validation;

import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static io.github.tokenintrospection.validation.TimestampValidatorTests.descriptions;
import static org.assertj.core.api.Assertions.assertThat;

class TokenTypeValidatorTests {

	private final TokenTypeValidator validator = new TokenTypeValidator(
			List.of("Bearer", "DPoP", "access_token", "urn:ietf:params:oauth:token-type:access_token"));

	@Test
	void validateWhenBearerThenSuccess() {
		assertThat(validate(Map.of("token_type", "Bearer")).hasErrors()).isFalse();
	}

	@Test
	void validateWhenKeycloakAccessTokenShapeThenSuccess() {
		assertThat(validate(Map.of("token_type", "Bearer", "typ", "Bearer")).hasErrors()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "bearer", "BEARER", "dpop", "Access_Token" })
	void validateWhenAllowedTypeInOtherCaseThenSuccess(String type) {
		assertThat(validate(Map.of("token_type", type, "typ", type)).hasErrors()).isFalse();
	}

	@Test
	void validateWhenTypeClaimsAbsentThenSuccess() {
		assertThat(validate(Map.of("sub", "alice")).hasErrors()).isFalse();
	}

	@ParameterizedTest
	@ValueSource(strings = { "Refresh", "refresh", "Offline", "ID", "refresh_token" })
	void validateWhenTokenTypeIsNotAccessTokenThenFailure(String type) {
		OAuth2TokenValidatorResult result = validate(Map.of("token_type", type));

		assertThat(descriptions(result)).singleElement().asString().contains("token_type=" + type);
	}

	@Test
	void validateWhenKeycloakRefreshTokenShapeThenFailure() {
		OAuth2TokenValidatorResult result = validate(Map.of("typ", "Refresh", "token_type", "Bearer"));

		assertThat(descriptions(result)).singleElement().asString().contains("typ=Refresh");
	}

	@Test
	void validateWhenTypeIsNotStringThenFailure() {
		assertThat(validate(Map.of("typ", List.of("Bearer"))).hasErrors()).isTrue();
	}

	private OAuth2TokenValidatorResult validate(Map<String, Object> claims) {
		return this.validator.validate(IntrospectedToken.active(claims));
	}

}
