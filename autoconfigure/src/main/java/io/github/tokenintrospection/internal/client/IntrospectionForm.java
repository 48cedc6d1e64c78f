package io.github.tokenintrospection.internal.client;

import org.springframework.util.LinkedMultiValueMap;

/**
 * The form body of an introspection request. It carries the token (and, with
 * {@code client_secret_post}, the client secret), so its {@link #toString()} names the
 * parameters only: {@code RestClient} logs request bodies at DEBUG level.
 */
final class IntrospectionForm extends LinkedMultiValueMap<String, String> {

	private static final long serialVersionUID = 1L;

	@Override
	public String toString() {
		return "introspection form " + keySet() + " (values not shown)";
	}

}
