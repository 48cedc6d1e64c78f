package io.github.tokenintrospection.validation;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.util.Assert;

/**
 * Rejects a token whose {@code exp} has passed, whose {@code nbf} has not come yet, or
 * whose {@code iat} lies in the future, each with a tolerance for clock skew. Absent
 * claims are not required.
 */
public final class TimestampValidator implements IntrospectionClaimsValidator {

	private final Duration clockSkew;

	private final Clock clock;

	/**
	 * Creates a validator.
	 * @param clockSkew how far the clocks of this service and the authorization server
	 * may differ
	 * @param clock the clock to read "now" from
	 */
	public TimestampValidator(Duration clockSkew, Clock clock) {
		Assert.isTrue(clockSkew != null && !clockSkew.isNegative(), "clockSkew must not be negative");
		Assert.notNull(clock, "clock must not be null");
		this.clockSkew = clockSkew;
		this.clock = clock;
	}

	@Override
	public OAuth2TokenValidatorResult validate(IntrospectedToken token) {
		Instant now = this.clock.instant();
		List<OAuth2Error> errors = null;
		Instant expiresAt = instant(token, OAuth2TokenIntrospectionClaimNames.EXP);
		if (expiresAt != null && now.minus(this.clockSkew).isAfter(expiresAt)) {
			errors = add(errors, error("expired", "Token expired at " + expiresAt));
		}
		Instant notBefore = instant(token, OAuth2TokenIntrospectionClaimNames.NBF);
		if (notBefore != null && now.plus(this.clockSkew).isBefore(notBefore)) {
			errors = add(errors, error("not_yet_valid", "Token is not valid before " + notBefore));
		}
		Instant issuedAt = instant(token, OAuth2TokenIntrospectionClaimNames.IAT);
		if (issuedAt != null && now.plus(this.clockSkew).isBefore(issuedAt)) {
			errors = add(errors, error("issued_in_future", "Token is issued in the future (" + issuedAt + ")"));
		}
		return (errors == null) ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
	}

	private static List<OAuth2Error> add(@Nullable List<OAuth2Error> errors, OAuth2Error error) {
		List<OAuth2Error> list = (errors != null) ? errors : new ArrayList<>(3);
		list.add(error);
		return list;
	}

	private static @Nullable Instant instant(IntrospectedToken token, String claim) {
		return (token.getClaims().get(claim) instanceof Instant instant) ? instant : null;
	}

	private static OAuth2Error error(String reason, String description) {
		return ClaimErrors.invalidToken(reason, description);
	}

}
