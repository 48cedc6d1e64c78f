package io.github.tokenintrospection.client;

import org.jspecify.annotations.Nullable;

/**
 * How the resource server authenticates itself to the introspection endpoint.
 */
public enum ClientAuthenticationMethod {

	/**
	 * Client id and secret in an HTTP Basic {@code Authorization} header (RFC 6749
	 * section 2.3.1, form-url-encoded before Base64).
	 */
	CLIENT_SECRET_BASIC("client_secret_basic"),

	/**
	 * Client id and secret as {@code client_id} and {@code client_secret} form
	 * parameters.
	 */
	CLIENT_SECRET_POST("client_secret_post"),

	/**
	 * A client assertion JWT signed with the client secret, HS256 (RFC 7523).
	 */
	CLIENT_SECRET_JWT("client_secret_jwt"),

	/**
	 * A client assertion JWT signed with the client's private key, RS256 or ES256 (RFC
	 * 7523).
	 */
	PRIVATE_KEY_JWT("private_key_jwt"),

	/**
	 * The client certificate of a mutual TLS connection (RFC 8705).
	 */
	TLS_CLIENT_AUTH("tls_client_auth"),

	/**
	 * An access token of the resource server's own, static or obtained with the
	 * client_credentials grant, as {@code Authorization: Bearer}.
	 */
	BEARER(null);

	private final @Nullable String metadataName;

	ClientAuthenticationMethod(@Nullable String metadataName) {
		this.metadataName = metadataName;
	}

	/**
	 * Returns the method's name in authorization server metadata (RFC 8414).
	 * @return the name, or {@code null} for a method that metadata does not name
	 */
	public @Nullable String metadataName() {
		return this.metadataName;
	}

	/**
	 * Returns whether authenticating a request this way may block the calling thread, so
	 * that a reactive client prepares its requests off the event loop. Signing an
	 * assertion draws a random {@code jti} from {@code SecureRandom}, which may read a
	 * file; a {@code client_credentials} token is an HTTP call of the blocking
	 * {@code RestClient}.
	 * @param staticBearerToken whether {@link #BEARER} sends a configured token rather
	 * than one obtained with {@code client_credentials}; the other methods ignore it
	 * @return whether preparing a request may block
	 */
	public boolean preparationMayBlock(boolean staticBearerToken) {
		// A switch without default: a new method does not compile until it answers.
		return switch (this) {
			case CLIENT_SECRET_BASIC, CLIENT_SECRET_POST, TLS_CLIENT_AUTH -> false;
			case CLIENT_SECRET_JWT, PRIVATE_KEY_JWT -> true;
			case BEARER -> !staticBearerToken;
		};
	}

}
