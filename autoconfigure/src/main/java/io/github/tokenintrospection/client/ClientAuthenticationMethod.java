package io.github.tokenintrospection.client;

/**
 * How the resource server authenticates itself to the introspection endpoint.
 */
public enum ClientAuthenticationMethod {

	/**
	 * Client id and secret in an HTTP Basic {@code Authorization} header (RFC 6749 section
	 * 2.3.1, form-url-encoded before Base64).
	 */
	CLIENT_SECRET_BASIC,

	/**
	 * Client id and secret as {@code client_id} and {@code client_secret} form parameters.
	 */
	CLIENT_SECRET_POST

}
