package io.github.tokenintrospection.internal.client;

import java.nio.charset.StandardCharsets;

import io.github.tokenintrospection.IntrospectedToken;

/**
 * Gives the benchmarks the starter's own parser, so that what they cache is exactly what
 * the starter caches.
 */
public final class IntrospectionResponses {

	private static final IntrospectionResponseParser PARSER = new IntrospectionResponseParser();

	private IntrospectionResponses() {
	}

	public static IntrospectedToken parse(String json) {
		return PARSER.parse(json.getBytes(StandardCharsets.UTF_8));
	}

}
