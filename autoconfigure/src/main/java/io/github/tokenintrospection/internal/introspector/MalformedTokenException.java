package io.github.tokenintrospection.internal.introspector;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

/**
 * The token was refused before any lookup (empty, too long, not a {@code b64token}): a
 * 401 like any invalid token, told apart so that a probe of several servers, whose length
 * limits may differ, can ask the next one.
 */
public final class MalformedTokenException extends BadOpaqueTokenException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates the exception.
	 * @param message why the token was refused, naming no part of it
	 */
	public MalformedTokenException(String message) {
		super(message);
	}

}
