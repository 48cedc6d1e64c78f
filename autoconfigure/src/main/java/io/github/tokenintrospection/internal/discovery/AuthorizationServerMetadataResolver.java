package io.github.tokenintrospection.internal.discovery;

import java.net.URI;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.client.HttpsRequirement;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Finds the introspection endpoint from the issuer: first RFC 8414 metadata at
 * {@code /.well-known/oauth-authorization-server} inserted before the issuer's path (RFC
 * 8414 section 3), then OpenID Connect discovery at
 * {@code <issuer>/.well-known/openid-configuration}.
 * <p>
 * Nothing happens at start-up, so a service can start while its authorization server is
 * down: the metadata is fetched on first use, kept once fetched, and fetched again on the
 * next use after a failure. The document's {@code issuer} must equal the configured one
 * (RFC 8414 section 3.3), and the configured client authentication method must be one the
 * introspection endpoint supports, when the server lists them.
 */
public final class AuthorizationServerMetadataResolver implements Supplier<AuthorizationServerMetadata> {

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final RestClient restClient;

	private final URI issuer;

	private final @Nullable String clientAuthenticationMethod;

	private final HttpsRequirement httpsRequirement;

	private volatile @Nullable AuthorizationServerMetadata metadata;

	/**
	 * Creates a resolver.
	 * @param restClient the client to fetch metadata with
	 * @param issuer the issuer identifier
	 * @param clientAuthenticationMethod the RFC 8414 name of the configured client
	 * authentication method, or {@code null} to skip that check
	 * @param httpsRequirement checks the discovered endpoints' URIs
	 */
	public AuthorizationServerMetadataResolver(RestClient restClient, URI issuer,
			@Nullable String clientAuthenticationMethod, HttpsRequirement httpsRequirement) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(issuer, "issuer must not be null");
		Assert.notNull(httpsRequirement, "httpsRequirement must not be null");
		this.restClient = restClient;
		this.issuer = issuer;
		this.clientAuthenticationMethod = clientAuthenticationMethod;
		this.httpsRequirement = httpsRequirement;
	}

	@Override
	public AuthorizationServerMetadata get() {
		AuthorizationServerMetadata current = this.metadata;
		if (current == null) {
			synchronized (this) {
				current = this.metadata;
				if (current == null) {
					current = fetch();
					this.metadata = current;
				}
			}
		}
		return current;
	}

	/**
	 * Returns the metadata if it has been fetched, without calling the server.
	 * @return the metadata, or {@code null} before the first successful {@link #get()}
	 */
	public @Nullable AuthorizationServerMetadata resolved() {
		return this.metadata;
	}

	private AuthorizationServerMetadata fetch() {
		List<String> failures = new ArrayList<>(2);
		for (URI location : locations()) {
			JsonNode document;
			try {
				document = this.jsonMapper.readTree(this.restClient.get()
					.uri(location)
					.accept(MediaType.APPLICATION_JSON)
					.retrieve()
					.body(String.class));
			}
			catch (RestClientException | JacksonException | IllegalArgumentException ex) {
				failures.add(location + ": " + ex.getMessage());
				continue;
			}
			return toMetadata(location, document);
		}
		throw new OAuth2IntrospectionException(
				"Could not discover the authorization server metadata of " + this.issuer + " (" + failures + ")");
	}

	private List<URI> locations() {
		String path = this.issuer.getRawPath();
		String trimmedPath = (path == null || path.equals("/")) ? "" : path.replaceAll("/$", "");
		String origin = this.issuer.getScheme() + "://" + this.issuer.getRawAuthority();
		return List.of(URI.create(origin + "/.well-known/oauth-authorization-server" + trimmedPath),
				URI.create(origin + trimmedPath + "/.well-known/openid-configuration"));
	}

	private AuthorizationServerMetadata toMetadata(URI location, JsonNode document) {
		String documentIssuer = text(document, "issuer");
		if (!this.issuer.toString().equals(documentIssuer)) {
			throw new OAuth2IntrospectionException("Metadata at " + location + " names issuer " + documentIssuer
					+ ", not the configured " + this.issuer);
		}
		String introspection = text(document, "introspection_endpoint");
		if (introspection == null) {
			throw new OAuth2IntrospectionException("Metadata at " + location + " has no introspection_endpoint");
		}
		List<String> authMethods = new ArrayList<>();
		JsonNode methods = document.get("introspection_endpoint_auth_methods_supported");
		if (methods != null && methods.isArray()) {
			for (JsonNode method : methods) {
				authMethods.add(method.asString());
			}
		}
		if (this.clientAuthenticationMethod != null && !authMethods.isEmpty()
				&& !authMethods.contains(this.clientAuthenticationMethod)) {
			throw new OAuth2IntrospectionException("The introspection endpoint of " + this.issuer
					+ " does not support the configured client authentication method " + this.clientAuthenticationMethod
					+ "; it supports " + authMethods);
		}
		String token = text(document, "token_endpoint");
		String jwks = text(document, "jwks_uri");
		return new AuthorizationServerMetadata(documentIssuer, endpoint("introspection_endpoint", introspection),
				(token != null) ? endpoint("token_endpoint", token) : null, List.copyOf(authMethods),
				(jwks != null) ? endpoint("jwks_uri", jwks) : null);
	}

	private URI endpoint(String name, String value) {
		try {
			URI uri = URI.create(value);
			this.httpsRequirement.check(uri);
			return uri;
		}
		catch (IllegalArgumentException ex) {
			throw new OAuth2IntrospectionException("Discovered " + name + " is refused: " + ex.getMessage());
		}
	}

	private static @Nullable String text(JsonNode document, String name) {
		JsonNode value = document.get(name);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
