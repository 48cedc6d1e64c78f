package io.github.tokenintrospection.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static org.assertj.core.api.Assertions.assertThat;

class IntrospectionValidatorsTests {

	private static final Instant FAR_FUTURE = Instant.ofEpochSecond(4102444800L);

	@Test
	void createDefaultWhenValidAccessTokenThenAccepted() {
		assertThat(IntrospectionValidators.createDefault().validate(token(Map.of("exp", FAR_FUTURE))).hasErrors())
			.isFalse();
	}

	@Test
	void createDefaultWhenExpiredThenRejected() {
		Instant expiredLongAgo = Instant.now().minus(Duration.ofHours(1));
		assertThat(errors(IntrospectionValidators.createDefault(), Map.of("exp", expiredLongAgo))).isNotEmpty();
	}

	@Test
	void createDefaultWhenRefreshTokenThenRejected() {
		assertThat(errors(IntrospectionValidators.createDefault(), Map.of("exp", FAR_FUTURE, "token_type", "Refresh")))
			.isNotEmpty();
	}

	@Test
	void createDefaultWithIssuerWhenOtherIssuerThenRejected() {
		IntrospectionClaimsValidator validator = IntrospectionValidators.createDefaultWithIssuer("https://a.example");
		assertThat(errors(validator, Map.of("exp", FAR_FUTURE, "iss", "https://b.example"))).isNotEmpty();
		assertThat(errors(validator, Map.of("exp", FAR_FUTURE, "iss", "https://a.example"))).isEmpty();
	}

	@Test
	void createDefaultWithValidatorsWhenOwnTimestampValidatorThenItReplacesTheDefault() {
		Instant now = Instant.parse("2030-01-01T00:00:00Z");
		// Expired 10 minutes ago: the default 60 s skew rejects it, a 15 minute skew does
		// not.
		Map<String, Object> claims = Map.of("exp", now.minus(Duration.ofMinutes(10)));
		IntrospectionClaimsValidator lenient = IntrospectionValidators.createDefaultWithValidators(
				new TimestampValidator(Duration.ofMinutes(15), Clock.fixed(now, ZoneOffset.UTC)));
		IntrospectionClaimsValidator strict = IntrospectionValidators.createDefaultWithValidators(
				new TimestampValidator(Duration.ofSeconds(60), Clock.fixed(now, ZoneOffset.UTC)));
		assertThat(errors(lenient, claims)).isEmpty();
		assertThat(errors(strict, claims)).isNotEmpty();
	}

	@Test
	void createDefaultWithValidatorsWhenOwnTokenTypeValidatorThenItReplacesTheDefault() {
		IntrospectionClaimsValidator validator = IntrospectionValidators
			.createDefaultWithValidators(List.of(new TokenTypeValidator(List.of("Refresh"))));
		assertThat(errors(validator, Map.of("exp", FAR_FUTURE, "token_type", "Refresh"))).isEmpty();
	}

	@Test
	void createDefaultWithValidatorsWhenSeveralFailThenAllErrorsInOrder() {
		IntrospectionClaimsValidator validator = IntrospectionValidators
			.createDefaultWithValidators(new IssuerValidator(List.of("https://a.example")));
		assertThat(errors(validator,
				Map.of("exp", Instant.ofEpochSecond(1), "token_type", "Refresh", "iss", "https://b.example")))
			.extracting(OAuth2Error::getDescription)
			.satisfiesExactly((timestamp) -> assertThat(timestamp).containsIgnoringCase("expired"),
					(type) -> assertThat(type).contains("Refresh"),
					(issuer) -> assertThat(issuer).contains("https://b.example"));
	}

	private static List<OAuth2Error> errors(IntrospectionClaimsValidator validator, Map<String, Object> claims) {
		OAuth2TokenValidatorResult result = validator.validate(token(claims));
		return List.copyOf(result.getErrors());
	}

	private static IntrospectedToken token(Map<String, Object> claims) {
		return IntrospectedToken.active(claims);
	}

}
