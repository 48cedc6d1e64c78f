package io.github.tokenintrospection.pipeline;

import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.internal.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;

import org.springframework.util.Assert;

/**
 * The claim validators every introspector should run, as Spring Security's
 * {@code JwtValidators} offers them for JWTs: the token's time window ({@code exp},
 * {@code nbf}, {@code iat}, with {@value #DEFAULT_CLOCK_SKEW_SECONDS} s of clock skew)
 * and its type (an access token, not a refresh or ID token). The auto-configuration and
 * hand-wired pipelines start from the same defaults.
 */
public final class IntrospectionValidators {

	/** Clock skew of the default time-window check, in seconds. */
	public static final long DEFAULT_CLOCK_SKEW_SECONDS = 60;

	/**
	 * Token types the default type check accepts as access tokens (compared ignoring
	 * case).
	 */
	public static final List<String> DEFAULT_ACCESS_TOKEN_TYPES = List.of("Bearer", "DPoP", "access_token",
			"urn:ietf:params:oauth:token-type:access_token");

	private IntrospectionValidators() {
	}

	/**
	 * Creates the default validators: the time window with the default clock skew, and
	 * the token type.
	 * @return the validators, as one
	 */
	public static IntrospectionClaimsValidator createDefault() {
		return createDefaultWithValidators(List.of());
	}

	/**
	 * Creates the default validators and an issuer check.
	 * @param issuer the only issuer accepted
	 * @return the validators, as one
	 */
	public static IntrospectionClaimsValidator createDefaultWithIssuer(String issuer) {
		Assert.hasText(issuer, "issuer must not be empty");
		return createDefaultWithValidators(List.of(new IssuerValidator(List.of(issuer))));
	}

	/**
	 * Creates the default validators and the given ones.
	 * @param validators more validators
	 * @return the validators, as one
	 * @see #createDefaultWithValidators(List)
	 */
	public static IntrospectionClaimsValidator createDefaultWithValidators(IntrospectionClaimsValidator... validators) {
		Assert.notNull(validators, "validators must not be null");
		return createDefaultWithValidators(List.of(validators));
	}

	/**
	 * Creates the default validators and the given ones, in this order. A
	 * {@link TimestampValidator} or {@link TokenTypeValidator} among them takes the place
	 * of the default one, so that the clock skew or the accepted types can be changed.
	 * All validators run, and all their errors are reported together.
	 * @param validators more validators
	 * @return the validators, as one
	 */
	public static IntrospectionClaimsValidator createDefaultWithValidators(
			List<IntrospectionClaimsValidator> validators) {
		Assert.notNull(validators, "validators must not be null");
		List<IntrospectionClaimsValidator> all = new ArrayList<>(validators.size() + 2);
		if (validators.stream().noneMatch(TimestampValidator.class::isInstance)) {
			all.add(new TimestampValidator(Duration.ofSeconds(DEFAULT_CLOCK_SKEW_SECONDS), Clock.systemUTC()));
		}
		if (validators.stream().noneMatch(TokenTypeValidator.class::isInstance)) {
			all.add(new TokenTypeValidator(DEFAULT_ACCESS_TOKEN_TYPES));
		}
		all.addAll(validators);
		return new DelegatingClaimsValidator(all);
	}

}
