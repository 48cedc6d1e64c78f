package io.github.tokenintrospection.internal.client;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Reads an introspection response body with the same strict rules, and into the same
 * shape, as the answers of the authorization server, for results kept outside the
 * application (a shared cache) that must come back exactly as they were parsed the first
 * time.
 */
public final class IntrospectionResponseReader {

	private final IntrospectionResponseParser parser = new IntrospectionResponseParser();

	/**
	 * Parses a body in RFC 7662's format.
	 * @param body the JSON object
	 * @return the result; inactive unless {@code active} is the JSON {@code true}
	 * @throws OAuth2IntrospectionException when the body is malformed
	 */
	public IntrospectedToken read(byte[] body) {
		return this.parser.parse(body);
	}

}
