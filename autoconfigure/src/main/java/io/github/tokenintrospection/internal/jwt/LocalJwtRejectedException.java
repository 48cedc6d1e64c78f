package io.github.tokenintrospection.internal.jwt;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;

/**
 * A token refused by local verification (401, like any invalid token), with the reason
 * code the listeners report.
 */
public final class LocalJwtRejectedException extends BadOpaqueTokenException {

	private final String reason;

	/**
	 * Creates the exception.
	 * @param rejected the routing verdict
	 */
	public LocalJwtRejectedException(JwtRoute.Rejected rejected) {
		super(rejected.description());
		this.reason = rejected.reason();
	}

	/**
	 * Returns the reason code ({@code algorithm}, {@code verification}).
	 * @return the reason
	 */
	public String getReason() {
		return this.reason;
	}

}
