package io.github.tokenintrospection.client;

import io.github.tokenintrospection.IntrospectedToken;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Asks the authorization server about one token (RFC 7662).
 */
@FunctionalInterface
public interface IntrospectionClient {

	/**
	 * Introspects a token.
	 * @param token the raw token, which implementations must never log or store
	 * @return the parsed answer, {@link IntrospectedToken#inactive()} when the server
	 * says the token is not active
	 * @throws OAuth2IntrospectionException when the server cannot be reached or gives no
	 * usable answer; such failures are never cached
	 */
	IntrospectedToken introspect(String token);

}
