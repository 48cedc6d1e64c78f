package io.github.tokenintrospection.internal.validation;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static org.assertj.core.api.Assertions.assertThat;

class DelegatingClaimsValidatorTests {

	private final IntrospectedToken token = IntrospectedToken.active(Map.of("sub", "alice"));

	@Test
	void validateWhenThreeValidatorsFailThenAllThreeErrorsReported() {
		List<String> ran = new ArrayList<>();
		DelegatingClaimsValidator validator = new DelegatingClaimsValidator(List.of(failing("first", ran),
				(token) -> OAuth2TokenValidatorResult.success(), failing("second", ran), failing("third", ran)));

		OAuth2TokenValidatorResult result = validator.validate(this.token);

		assertThat(descriptions(result)).containsExactly("first", "second", "third");
		assertThat(ran).containsExactly("first", "second", "third");
	}

	@Test
	void constructorWhenNestedDelegatingValidatorThenOneFlatListInTheSameOrder() {
		IntrospectionClaimsValidator first = (token) -> OAuth2TokenValidatorResult.success();
		IntrospectionClaimsValidator second = (token) -> OAuth2TokenValidatorResult.success();
		IntrospectionClaimsValidator third = (token) -> OAuth2TokenValidatorResult.success();

		DelegatingClaimsValidator validator = new DelegatingClaimsValidator(
				List.of(new DelegatingClaimsValidator(List.of(first, second)), third));

		assertThat(validator.validators()).containsExactly(first, second, third);
	}

	@Test
	void validateWhenAllValidatorsPassThenSuccess() {
		DelegatingClaimsValidator validator = new DelegatingClaimsValidator(List
			.of((token) -> OAuth2TokenValidatorResult.success(), (token) -> OAuth2TokenValidatorResult.success()));

		assertThat(validator.validate(this.token).hasErrors()).isFalse();
	}

	@Test
	void validateWhenOneValidatorFailsThenFailure() {
		DelegatingClaimsValidator validator = new DelegatingClaimsValidator(
				List.of((token) -> OAuth2TokenValidatorResult.success(), failing("only", new ArrayList<>())));

		assertThat(descriptions(validator.validate(this.token))).containsExactly("only");
	}

	private static IntrospectionClaimsValidator failing(String description, List<String> ran) {
		return (token) -> {
			ran.add(description);
			return OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", description, null));
		};
	}

	private static List<String> descriptions(OAuth2TokenValidatorResult result) {
		return result.getErrors().stream().map(OAuth2Error::getDescription).toList();
	}

}
