package io.github.tokenintrospection.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.autoconfigure.service.connection.ConnectionDetails;

/**
 * Where the introspection endpoint is and how the resource server identifies itself
 * there: the {@link ConnectionDetails} of the starter. A bean of this type takes the
 * place of Spring Boot's
 * {@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri},
 * {@code client-id} and {@code client-secret} and of
 * {@code token-introspection.issuer-uri}, and activates the starter without them.
 * {@code @ServiceConnection} on a Keycloak Testcontainer declares one; the other
 * {@code token-introspection.*} settings still apply.
 * <p>
 * Either {@link #getIntrospectionUri()} or {@link #getIssuerUri()} must be given, as with
 * the properties: with an issuer alone the endpoint is discovered from its metadata, and
 * the issuer is the default allowed {@code iss}.
 */
public interface TokenIntrospectionConnectionDetails extends ConnectionDetails {

	/**
	 * Returns the introspection endpoint.
	 * @return the endpoint's URI, or {@code null} to discover it from the issuer's
	 * metadata
	 */
	@Nullable String getIntrospectionUri();

	/**
	 * Returns the issuer of the authorization server.
	 * @return the issuer's URI, or {@code null} when there is none to check or discover
	 */
	@Nullable String getIssuerUri();

	/**
	 * Returns the client id the resource server authenticates with.
	 * @return the client id, or {@code null} when the client authentication needs none
	 */
	@Nullable String getClientId();

	/**
	 * Returns the client secret the resource server authenticates with.
	 * @return the client secret, or {@code null} when the client authentication needs
	 * none
	 */
	@Nullable String getClientSecret();

}
