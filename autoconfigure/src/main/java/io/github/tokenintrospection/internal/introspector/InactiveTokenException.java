package io.github.tokenintrospection.internal.introspector;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

/**
 * The authorization server says the token is not active (now, or in the cached answer): a
 * 401 like any invalid token, told apart so that a probe of several servers can ask the
 * next one.
 */
public final class InactiveTokenException extends BadOpaqueTokenException {

	private static final long serialVersionUID = 1L;

	/** Creates the exception with the message a 401 of an inactive token gives. */
	public InactiveTokenException() {
		super("Token is not active");
	}

}
