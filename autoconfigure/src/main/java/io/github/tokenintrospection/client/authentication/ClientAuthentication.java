package io.github.tokenintrospection.client.authentication;

import java.net.URI;

import org.springframework.http.HttpHeaders;
import org.springframework.util.MultiValueMap;

/**
 * How the resource server proves its identity when it calls the authorization server (the
 * introspection endpoint, or the token endpoint for its own access token). Create one
 * with {@link ClientAuthentications}.
 */
@FunctionalInterface
public interface ClientAuthentication {

	/**
	 * Adds credentials to a request about to be sent.
	 * @param endpoint the endpoint the request goes to
	 * @param headers the request headers
	 * @param form the request's form parameters
	 */
	void authenticate(URI endpoint, HttpHeaders headers, MultiValueMap<String, String> form);

}
