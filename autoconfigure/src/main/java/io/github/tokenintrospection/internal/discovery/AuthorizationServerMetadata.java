package io.github.tokenintrospection.internal.discovery;

import java.net.URI;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * The parts of an authorization server's metadata (RFC 8414, or OpenID Connect Discovery)
 * that introspection needs.
 *
 * @param issuer the server's issuer identifier
 * @param introspectionEndpoint the introspection endpoint
 * @param tokenEndpoint the token endpoint, or {@code null}
 * @param introspectionEndpointAuthMethods the client authentication methods the
 * introspection endpoint supports; empty when the server does not say
 * @param jwksUri the server's JSON Web Key Set ({@code jwks_uri}), or {@code null}
 */
public record AuthorizationServerMetadata(String issuer, URI introspectionEndpoint, @Nullable URI tokenEndpoint,
		List<String> introspectionEndpointAuthMethods, @Nullable URI jwksUri) {

	/**
	 * Metadata without a key set.
	 * @param issuer the server's issuer identifier
	 * @param introspectionEndpoint the introspection endpoint
	 * @param tokenEndpoint the token endpoint, or {@code null}
	 * @param introspectionEndpointAuthMethods the client authentication methods the
	 * introspection endpoint supports
	 */
	public AuthorizationServerMetadata(String issuer, URI introspectionEndpoint, @Nullable URI tokenEndpoint,
			List<String> introspectionEndpointAuthMethods) {
		this(issuer, introspectionEndpoint, tokenEndpoint, introspectionEndpointAuthMethods, null);
	}

}
