package io.github.tokenintrospection.internal.validation;

import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;

import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.util.Assert;

/**
 * Runs every validator, even after one has failed, and reports all errors together, in
 * the validators' order.
 */
public final class DelegatingClaimsValidator implements IntrospectionClaimsValidator {

	private final List<IntrospectionClaimsValidator> validators;

	/**
	 * Creates a validator.
	 * @param validators the validators to run, in order
	 */
	public DelegatingClaimsValidator(List<IntrospectionClaimsValidator> validators) {
		Assert.notNull(validators, "validators must not be null");
		List<IntrospectionClaimsValidator> flat = new ArrayList<>(validators.size());
		for (IntrospectionClaimsValidator validator : validators) {
			// Nested ones are unpacked, so that every request walks one list.
			if (validator instanceof DelegatingClaimsValidator delegating) {
				flat.addAll(delegating.validators);
			}
			else {
				flat.add(validator);
			}
		}
		this.validators = List.copyOf(flat);
	}

	/** The validators run, nested ones unpacked; for tests. */
	List<IntrospectionClaimsValidator> validators() {
		return this.validators;
	}

	@Override
	public OAuth2TokenValidatorResult validate(IntrospectedToken token) {
		List<OAuth2Error> errors = null;
		for (IntrospectionClaimsValidator validator : this.validators) {
			OAuth2TokenValidatorResult result = validator.validate(token);
			if (result.hasErrors()) {
				if (errors == null) {
					errors = new ArrayList<>();
				}
				errors.addAll(result.getErrors());
			}
		}
		return (errors == null) ? OAuth2TokenValidatorResult.success() : OAuth2TokenValidatorResult.failure(errors);
	}

}
