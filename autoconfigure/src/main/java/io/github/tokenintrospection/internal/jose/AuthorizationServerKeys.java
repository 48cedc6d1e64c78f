package io.github.tokenintrospection.internal.jose;

import java.io.IOException;
import java.io.InputStream;
import java.net.MalformedURLException;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.function.Supplier;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jose.util.Resource;
import com.nimbusds.jose.util.ResourceRetriever;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The authorization server's public keys, from its JSON Web Key Set: fetched on first use
 * (the set's location may come from discovery) through the starter's HTTP client (its
 * timeouts and TLS settings), cached, and fetched again when a key id is unknown, at most
 * once per {@code minRefreshInterval}, so that key rotation is followed and a flood of
 * unknown key ids cannot turn into a flood of requests.
 */
public final class AuthorizationServerKeys implements JWKSource<SecurityContext> {

	/** A key set is small; refusing larger bodies bounds memory. */
	static final int MAX_JWKS_BYTES = 256 * 1024;

	private final RestClient restClient;

	private final Supplier<URI> jwksUri;

	private final Duration timeToLive;

	private final Duration minRefreshInterval;

	private volatile @Nullable JWKSource<SecurityContext> source;

	/**
	 * Creates the keys.
	 * @param restClient the client to fetch the key set with
	 * @param jwksUri gives the key set's location (it may be discovered on first use)
	 * @param timeToLive how long a fetched key set is used before it is fetched again
	 * @param minRefreshInterval the least time between two fetches for an unknown key id
	 */
	public AuthorizationServerKeys(RestClient restClient, Supplier<URI> jwksUri, Duration timeToLive,
			Duration minRefreshInterval) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(jwksUri, "jwksUri must not be null");
		Assert.isTrue(timeToLive.compareTo(minRefreshInterval) > 0,
				"timeToLive must be longer than minRefreshInterval");
		this.restClient = restClient;
		this.jwksUri = jwksUri;
		this.timeToLive = timeToLive;
		this.minRefreshInterval = minRefreshInterval;
	}

	@Override
	public List<JWK> get(JWKSelector selector, @Nullable SecurityContext context) throws KeySourceException {
		return source().get(selector, context);
	}

	private JWKSource<SecurityContext> source() throws KeySourceException {
		JWKSource<SecurityContext> current = this.source;
		if (current == null) {
			synchronized (this) {
				current = this.source;
				if (current == null) {
					current = JWKSourceBuilder.<SecurityContext>create(url(), this::retrieve)
						.cache(this.timeToLive.toMillis(), Math.min(this.timeToLive.toMillis(), 15_000))
						.refreshAheadCache(false)
						.rateLimited(this.minRefreshInterval.toMillis())
						.retrying(false)
						.outageTolerant(false)
						.build();
					this.source = current;
				}
			}
		}
		return current;
	}

	private URL url() throws KeySourceException {
		URI uri;
		try {
			uri = this.jwksUri.get();
		}
		catch (RuntimeException ex) {
			throw new KeySourceException("The authorization server's key set cannot be located: " + ex.getMessage(),
					ex);
		}
		try {
			return uri.toURL();
		}
		catch (MalformedURLException | IllegalArgumentException ex) {
			throw new KeySourceException("The key set location " + uri + " is not a URL", ex);
		}
	}

	/** Nimbus' {@link ResourceRetriever}, over the starter's HTTP client. */
	private Resource retrieve(URL url) throws IOException {
		try {
			return this.restClient.get()
				.uri(url.toURI())
				.accept(MediaType.parseMediaType("application/jwk-set+json"), MediaType.APPLICATION_JSON)
				.exchange((request, response) -> {
					if (response.getStatusCode().value() != 200) {
						throw new IOException(
								"The key set at " + url + " answered HTTP " + response.getStatusCode().value());
					}
					try (InputStream in = response.getBody()) {
						byte[] body = in.readNBytes(MAX_JWKS_BYTES + 1);
						if (body.length > MAX_JWKS_BYTES) {
							throw new IOException(
									"The key set at " + url + " is larger than " + MAX_JWKS_BYTES + " bytes");
						}
						MediaType contentType = response.getHeaders().getContentType();
						return new Resource(new String(body, StandardCharsets.UTF_8),
								(contentType != null) ? contentType.toString() : null);
					}
				}, true);
		}
		catch (RestClientException | URISyntaxException ex) {
			throw new IOException("The key set at " + url + " could not be fetched: " + ex.getMessage(), ex);
		}
	}

}
