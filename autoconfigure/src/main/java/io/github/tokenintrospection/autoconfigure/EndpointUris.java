package io.github.tokenintrospection.autoconfigure;

import java.net.URI;

import io.github.tokenintrospection.internal.client.HttpsRequirement;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;

/**
 * Parses configured endpoint URIs and applies the HTTPS requirement, naming the property
 * in the start-up failure.
 */
final class EndpointUris {

	private EndpointUris() {
	}

	static URI parse(String property, String value, HttpsRequirement httpsRequirement) {
		URI uri;
		try {
			uri = URI.create(value);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, "is not a valid URI");
		}
		try {
			httpsRequirement.check(uri);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, value, ex.getMessage());
		}
		return uri;
	}

}
