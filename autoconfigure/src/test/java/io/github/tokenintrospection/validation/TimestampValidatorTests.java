package io.github.tokenintrospection.validation;

import java.time.Duration;
import java.time.Instant;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.testsupport.MutableClock;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class TimestampValidatorTests {

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T00:00:00Z");

	private final Instant now = this.clock.instant();

	private final TimestampValidator validator = new TimestampValidator(Duration.ofSeconds(60), this.clock);

	@Test
	void validateWhenExpiredBeyondSkewThenError() {
		OAuth2TokenValidatorResult result = this.validator.validate(token(Map.of("exp", this.now.minusSeconds(61))));

		assertThat(descriptions(result)).singleElement().asString().contains("expired");
		assertThat(result.getErrors())
			.allSatisfy((error) -> assertThat(error.getErrorCode()).isEqualTo("invalid_token"));
	}

	@Test
	void validateWhenExpiredWithinSkewThenSuccess() {
		OAuth2TokenValidatorResult result = this.validator.validate(token(Map.of("exp", this.now.minusSeconds(30))));

		assertThat(result.hasErrors()).isFalse();
	}

	@Test
	void validateWhenClockMovesPastExpPlusSkewThenError() {
		IntrospectedToken token = token(Map.of("exp", this.now.plusSeconds(10)));
		assertThat(this.validator.validate(token).hasErrors()).isFalse();

		this.clock.advance(Duration.ofSeconds(71));

		assertThat(this.validator.validate(token).hasErrors()).isTrue();
	}

	@Test
	void validateWhenNotBeforeInFutureBeyondSkewThenError() {
		OAuth2TokenValidatorResult result = this.validator.validate(token(Map.of("nbf", this.now.plusSeconds(61))));

		assertThat(descriptions(result)).singleElement().asString().contains("not valid before");
	}

	@Test
	void validateWhenNotBeforeInFutureWithinSkewThenSuccess() {
		assertThat(this.validator.validate(token(Map.of("nbf", this.now.plusSeconds(30)))).hasErrors()).isFalse();
	}

	@Test
	void validateWhenIssuedInFutureBeyondSkewThenError() {
		OAuth2TokenValidatorResult result = this.validator.validate(token(Map.of("iat", this.now.plusSeconds(61))));

		assertThat(descriptions(result)).singleElement().asString().contains("issued in the future");
	}

	@Test
	void validateWhenTimeClaimsAbsentThenSuccess() {
		assertThat(this.validator.validate(token(Map.of("sub", "alice"))).hasErrors()).isFalse();
	}

	@Test
	void validateWhenTimeClaimsValidThenSuccess() {
		OAuth2TokenValidatorResult result = this.validator.validate(token(Map.of("exp", this.now.plusSeconds(300),
				"nbf", this.now.minusSeconds(10), "iat", this.now.minusSeconds(10))));

		assertThat(result.hasErrors()).isFalse();
	}

	@Test
	void validateWhenSeveralClaimsFailThenAllReportedTogether() {
		OAuth2TokenValidatorResult result = this.validator.validate(token(Map.of("exp", this.now.minusSeconds(120),
				"nbf", this.now.plusSeconds(120), "iat", this.now.plusSeconds(120))));

		assertThat(descriptions(result)).hasSize(3)
			.anySatisfy((description) -> assertThat(description).contains("expired"))
			.anySatisfy((description) -> assertThat(description).contains("not valid before"))
			.anySatisfy((description) -> assertThat(description).contains("issued in the future"));
	}

	@Test
	void constructorWhenSkewNegativeThenRejected() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new TimestampValidator(Duration.ofSeconds(-1), this.clock));
	}

	static IntrospectedToken token(Map<String, Object> claims) {
		return IntrospectedToken.active(claims);
	}

	static java.util.List<String> descriptions(OAuth2TokenValidatorResult result) {
		return result.getErrors().stream().map(OAuth2Error::getDescription).toList();
	}

}
