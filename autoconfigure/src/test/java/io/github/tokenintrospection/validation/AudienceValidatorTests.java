package io.github.tokenintrospection.validation;

import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static io.github.tokenintrospection.validation.TimestampValidatorTests.descriptions;
import static org.assertj.core.api.Assertions.assertThat;

class AudienceValidatorTests {

	private final AudienceValidator validator = new AudienceValidator(List.of("notes-api", "files-api"));

	@Test
	void validateWhenAudIsMatchingStringThenSuccess() {
		assertThat(this.validator.validate(IntrospectedToken.active(Map.of("aud", "files-api"))).hasErrors()).isFalse();
	}

	@Test
	void validateWhenAudArrayHasOneMatchThenSuccess() {
		assertThat(this.validator.validate(IntrospectedToken.active(Map.of("aud", List.of("account", "notes-api"))))
			.hasErrors()).isFalse();
	}

	@Test
	void validateWhenNoAudienceMatchesThenFailure() {
		OAuth2TokenValidatorResult result = this.validator
			.validate(IntrospectedToken.active(Map.of("aud", List.of("account", "notes-api-v2"))));

		assertThat(descriptions(result)).singleElement().asString().contains("[notes-api, files-api]");
	}

	@Test
	void validateWhenAudMissingThenFailure() {
		assertThat(this.validator.validate(IntrospectedToken.active(Map.of("sub", "alice"))).hasErrors()).isTrue();
	}

}
