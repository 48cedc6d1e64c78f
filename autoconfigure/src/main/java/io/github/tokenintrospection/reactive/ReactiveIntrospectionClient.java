package io.github.tokenintrospection.reactive;

import io.github.tokenintrospection.IntrospectedToken;
import reactor.core.publisher.Mono;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Asks the authorization server about one token (RFC 7662), without blocking: the
 * reactive counterpart of
 * {@link io.github.tokenintrospection.client.IntrospectionClient}.
 */
@FunctionalInterface
public interface ReactiveIntrospectionClient {

	/**
	 * Introspects a token.
	 * @param token the raw token, which implementations must never log or store
	 * @return the parsed answer, {@link IntrospectedToken#inactive()} when the server
	 * says the token is not active; an {@link OAuth2IntrospectionException} when the
	 * server cannot be reached or gives no usable answer (never cached)
	 */
	Mono<IntrospectedToken> introspect(String token);

}
