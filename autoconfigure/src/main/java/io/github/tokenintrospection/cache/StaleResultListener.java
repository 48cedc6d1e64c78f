package io.github.tokenintrospection.cache;

import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.StaleFallback;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Told whenever a stale result is used ({@link StaleFallback}, on either stack), so that
 * the response or a metric can show it.
 */
@FunctionalInterface
public interface StaleResultListener {

	/**
	 * Called on the thread that introspects, before the result is used.
	 * @param token the stale result
	 * @param age time since the authorization server gave it
	 * @param failure why the server could not be asked
	 */
	void staleResultUsed(IntrospectedToken token, Duration age, OAuth2IntrospectionException failure);

}
