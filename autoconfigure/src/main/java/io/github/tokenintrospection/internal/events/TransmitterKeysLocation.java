package io.github.tokenintrospection.internal.events;

import java.net.URI;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.client.HttpsRequirement;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.JsonNode;

import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * Where the transmitter's signing keys are: the configured JWKS, or the {@code jwks_uri}
 * of its SSF configuration document (whose {@code issuer} must be the configured one),
 * read on first use and kept once found. Fetching blocks.
 */
public final class TransmitterKeysLocation implements Supplier<URI> {

	private final RestClient restClient;

	private final URI configurationUri;

	private final String issuer;

	private final HttpsRequirement httpsRequirement;

	private volatile @Nullable URI jwksUri;

	/**
	 * Creates the location.
	 * @param restClient fetches the configuration document
	 * @param configurationUri the SSF configuration document
	 * @param issuer the transmitter's issuer
	 * @param jwksUri the configured JWKS, or {@code null} to read it from the document
	 * @param httpsRequirement whether plain http is allowed
	 */
	public TransmitterKeysLocation(RestClient restClient, URI configurationUri, String issuer, @Nullable URI jwksUri,
			HttpsRequirement httpsRequirement) {
		this.restClient = restClient;
		this.configurationUri = configurationUri;
		this.issuer = issuer;
		this.jwksUri = jwksUri;
		this.httpsRequirement = httpsRequirement;
	}

	/**
	 * The default location of an issuer's SSF configuration document.
	 * @param issuer the transmitter's issuer
	 * @return {@code <issuer>/.well-known/ssf-configuration}
	 */
	public static URI configurationOf(String issuer) {
		return URI.create(issuer.replaceAll("/+$", "") + "/.well-known/ssf-configuration");
	}

	@Override
	public URI get() {
		URI known = this.jwksUri;
		if (known != null) {
			return known;
		}
		URI found = fromConfiguration();
		this.jwksUri = found;
		return found;
	}

	private URI fromConfiguration() {
		this.httpsRequirement.check(this.configurationUri);
		JsonNode document;
		try {
			document = this.restClient.get().uri(this.configurationUri).retrieve().body(JsonNode.class);
		}
		catch (RestClientException ex) {
			throw new IllegalStateException(
					"The transmitter's SSF configuration cannot be read from " + this.configurationUri, ex);
		}
		if (document == null || !this.issuer.equals(text(document, "issuer"))) {
			throw new IllegalStateException("The SSF configuration at " + this.configurationUri + " is not the issuer "
					+ this.issuer + "'s (its issuer differs)");
		}
		String jwks = text(document, "jwks_uri");
		if (jwks == null) {
			throw new IllegalStateException("The SSF configuration at " + this.configurationUri + " has no jwks_uri");
		}
		URI uri = URI.create(jwks);
		this.httpsRequirement.check(uri);
		return uri;
	}

	private static @Nullable String text(JsonNode document, String member) {
		JsonNode value = document.get(member);
		return (value != null && value.isString()) ? value.stringValue() : null;
	}

}
