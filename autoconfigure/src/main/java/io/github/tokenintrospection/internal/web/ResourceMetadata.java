package io.github.tokenintrospection.internal.web;

import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;

import org.springframework.security.oauth2.server.resource.OAuth2ProtectedResourceMetadata;
import org.springframework.util.Assert;

/**
 * What this resource server says of itself in its protected resource metadata (RFC 9728),
 * the same on both stacks: the authorization servers whose tokens it accepts, the scopes
 * it knows, bearer tokens in the {@code Authorization} header only, and the
 * proof-of-possession members (RFC 9449 section 5.2, RFC 8705).
 *
 * @param authorizationServers the issuer identifiers of the authorization servers
 * @param scopesSupported the scopes to advertise, empty for none
 * @param dpopAlgorithms the accepted DPoP proof algorithms, empty when DPoP is not taken
 * @param senderConstrainedRequired whether every token must be sender-constrained
 * @param certificateBound whether certificate-bound tokens are checked
 */
public record ResourceMetadata(List<String> authorizationServers, List<String> scopesSupported,
		List<String> dpopAlgorithms, boolean senderConstrainedRequired, boolean certificateBound) {

	/**
	 * Creates the metadata of a resource server that checks no proof of possession.
	 * @param authorizationServers the issuer identifiers of the authorization servers
	 * @param scopesSupported the scopes to advertise, empty for none
	 */
	public ResourceMetadata(List<String> authorizationServers, List<String> scopesSupported) {
		this(authorizationServers, scopesSupported, List.of(), false, false);
	}

	/** Where the metadata is served, RFC 9728 section 3. */
	public static final String WELL_KNOWN_PATH = "/.well-known/oauth-protected-resource";

	public ResourceMetadata {
		Assert.notNull(authorizationServers, "authorizationServers must not be null");
		Assert.notNull(scopesSupported, "scopesSupported must not be null");
		// The document lists issuer URLs only (Spring Security refuses to write others).
		authorizationServers = authorizationServers.stream().filter(ResourceMetadata::isUrl).toList();
		scopesSupported = List.copyOf(scopesSupported);
		dpopAlgorithms = List.copyOf(dpopAlgorithms);
	}

	private static boolean isUrl(String value) {
		try {
			URI uri = new URI(value);
			return uri.isAbsolute() && uri.getHost() != null && uri.toURL() != null;
		}
		catch (URISyntaxException | MalformedURLException | IllegalArgumentException ex) {
			return false;
		}
	}

	/**
	 * Writes this resource server's members into a metadata builder.
	 * @param builder Spring Security's builder, its {@code resource} already set
	 */
	public void describe(OAuth2ProtectedResourceMetadata.Builder builder) {
		// An empty list is left out: Spring Security refuses to write one.
		if (!this.authorizationServers.isEmpty()) {
			builder.authorizationServers((servers) -> {
				servers.clear();
				servers.addAll(this.authorizationServers);
			});
		}
		if (!this.scopesSupported.isEmpty()) {
			builder.scopes((scopes) -> {
				scopes.clear();
				scopes.addAll(this.scopesSupported);
			});
		}
		builder.bearerMethods((methods) -> {
			methods.clear();
			methods.add("header");
		});
		builder.tlsClientCertificateBoundAccessTokens(this.certificateBound);
		if (!this.dpopAlgorithms.isEmpty()) {
			builder.claim("dpop_signing_alg_values_supported", this.dpopAlgorithms);
		}
		if (this.senderConstrainedRequired) {
			// RFC 9449: DPoP-bound tokens always; certificate-bound tokens also satisfy
			// the rule here.
			builder.claim("dpop_bound_access_tokens_required", true);
		}
	}

}
