package io.github.tokenintrospection.validation;

import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static io.github.tokenintrospection.validation.TimestampValidatorTests.descriptions;
import static org.assertj.core.api.Assertions.assertThat;

class ScopeValidatorTests {

	private final ScopeValidator validator = new ScopeValidator(List.of("read", "write", "admin"),
			List.of("scope", "scp"));

	@Test
	void validateWhenAllScopesInScopeStringThenSuccess() {
		IntrospectedToken token = IntrospectedToken.active(Map.of("scope", "openid read write admin"));

		assertThat(this.validator.validate(token).hasErrors()).isFalse();
	}

	@Test
	void validateWhenAllScopesInScpArrayThenSuccess() {
		IntrospectedToken token = IntrospectedToken.active(Map.of("scp", List.of("admin", "write", "read")));

		assertThat(this.validator.validate(token).hasErrors()).isFalse();
	}

	@Test
	void validateWhenScopesSpreadOverBothClaimsThenSuccess() {
		IntrospectedToken token = IntrospectedToken.active(Map.of("scope", List.of("read"), "scp", "write admin"));

		assertThat(this.validator.validate(token).hasErrors()).isFalse();
	}

	@Test
	void validateWhenScopesMissingThenFailureListsOnlyMissingOnes() {
		IntrospectedToken token = IntrospectedToken.active(Map.of("scope", "read readwrite"));

		OAuth2TokenValidatorResult result = this.validator.validate(token);

		assertThat(descriptions(result)).singleElement().asString().endsWith("[write, admin]");
	}

}
