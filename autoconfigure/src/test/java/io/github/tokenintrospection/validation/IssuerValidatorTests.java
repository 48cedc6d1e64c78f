package io.github.tokenintrospection.validation;

import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static io.github.tokenintrospection.validation.TimestampValidatorTests.descriptions;
import static org.assertj.core.api.Assertions.assertThat;

class IssuerValidatorTests {

	private final IssuerValidator validator = new IssuerValidator(
			List.of("https://idp.example/realms/a", "https://idp.example/realms/b"));

	@Test
	void validateWhenIssuerAllowedThenSuccess() {
		OAuth2TokenValidatorResult result = this.validator
			.validate(IntrospectedToken.active(Map.of("iss", "https://idp.example/realms/b")));

		assertThat(result.hasErrors()).isFalse();
	}

	@Test
	void validateWhenIssuerNotAllowedThenFailureNamingIt() {
		OAuth2TokenValidatorResult result = this.validator
			.validate(IntrospectedToken.active(Map.of("iss", "https://idp.example/realms/a/evil")));

		assertThat(descriptions(result)).singleElement()
			.asString()
			.contains("https://idp.example/realms/a/evil")
			.contains("not allowed");
		assertThat(result.getErrors()).singleElement()
			.satisfies((error) -> assertThat(error.getErrorCode()).isEqualTo("invalid_token"));
	}

	@Test
	void validateWhenIssuerMissingThenFailure() {
		OAuth2TokenValidatorResult result = this.validator.validate(IntrospectedToken.active(Map.of("sub", "alice")));

		assertThat(descriptions(result)).singleElement().asString().contains("no issuer");
	}

}
