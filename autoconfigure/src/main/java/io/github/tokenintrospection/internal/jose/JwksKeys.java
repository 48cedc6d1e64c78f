package io.github.tokenintrospection.internal.jose;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Duration;
import java.util.function.Supplier;

import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.JWKMatcher;
import com.nimbusds.jose.jwk.JWKSelector;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.source.CachingJWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSetBasedJWKSource;
import com.nimbusds.jose.jwk.source.JWKSetCacheRefreshEvaluator;
import com.nimbusds.jose.jwk.source.JWKSetSource;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.OutageTolerantJWKSetSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.jwk.source.RateLimitedJWKSetSource;
import com.nimbusds.jose.proc.SecurityContext;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.http.MediaType;
import org.springframework.http.client.ClientHttpResponse;
import org.springframework.util.Assert;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * An authorization server's signing keys (its JWKS), fetched on first use and kept with
 * Nimbus's own sources: a cache ({@link CachingJWKSetSource}), a refresh on an unknown
 * {@code kid} at most once per interval ({@link RateLimitedJWKSetSource}), and the last
 * keys served while the server cannot answer ({@link OutageTolerantJWKSetSource}). Public
 * keys only: a private key in the document is dropped.
 * <p>
 * Kept apart from what is verified with them: the local JWT path and signed introspection
 * answers share one instance per location. The keys are fetched with the starter's
 * {@link RestClient} (its TLS material, timeouts, no redirects); fetching blocks.
 */
public final class JwksKeys {

	private static final Log logger = LogFactory.getLog(JwksKeys.class);

	/** How long keys are used before they are fetched again. */
	public static final Duration CACHE_TIME_TO_LIVE = Duration.ofMinutes(5);

	/** Least time between two fetches caused by unknown key ids. */
	public static final Duration MIN_REFRESH_INTERVAL = Duration.ofSeconds(30);

	/** How long the last keys are served while the server cannot be reached. */
	public static final Duration OUTAGE_TIME_TO_LIVE = Duration.ofHours(12);

	/** Largest JWKS document read: a key set is small; the bound caps memory. */
	static final int MAX_DOCUMENT_BYTES = 512 * 1024;

	private static final MediaType JWK_SET = MediaType.parseMediaType("application/jwk-set+json");

	/** A cache entry this close to its end counts as expired: its next use may fetch. */
	private static final long EXPIRY_MARGIN_MILLIS = 10_000;

	private static final long REFRESH_TIMEOUT_MILLIS = 15_000;

	private final JWKSetBasedJWKSource<SecurityContext> source;

	private final LoadRecorder loads;

	/**
	 * Creates the keys of one server.
	 * @param restClient the client that fetches the document
	 * @param jwkSetUri the JWKS location, resolved on first use (it may be discovered)
	 */
	public JwksKeys(RestClient restClient, Supplier<URI> jwkSetUri) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(jwkSetUri, "jwkSetUri must not be null");
		JWKSetSource<SecurityContext> fetching = new RestClientJwkSetSource(restClient, jwkSetUri);
		JWKSetSource<SecurityContext> outageTolerant = new OutageTolerantJWKSetSource<>(fetching,
				OUTAGE_TIME_TO_LIVE.toMillis(), null);
		JWKSetSource<SecurityContext> rateLimited = new RateLimitedJWKSetSource<>(outageTolerant,
				MIN_REFRESH_INTERVAL.toMillis(), null);
		this.loads = new LoadRecorder(rateLimited);
		this.source = new JWKSetBasedJWKSource<>(
				new CachingJWKSetSource<>(this.loads, CACHE_TIME_TO_LIVE.toMillis(), REFRESH_TIMEOUT_MILLIS, null));
	}

	/**
	 * The keys as Nimbus's source, for a JWT processor.
	 * @return the source
	 */
	public JWKSource<SecurityContext> source() {
		return this.source;
	}

	/**
	 * Finds a key id, fetching the document when it is not cached or does not hold the id
	 * (at most once per {@link #MIN_REFRESH_INTERVAL}). May block.
	 * @param kid the key id
	 * @return whether the key is there, unknown, or the keys cannot be had
	 */
	public KeyStatus find(String kid) {
		try {
			return this.source.get(new JWKSelector(new JWKMatcher.Builder().keyID(kid).build()), null).isEmpty()
					? KeyStatus.UNKNOWN : KeyStatus.FOUND;
		}
		catch (RateLimitReachedException ex) {
			// Fetched moments ago for another unknown id: still unknown.
			return KeyStatus.UNKNOWN;
		}
		catch (KeySourceException ex) {
			logger.warn("The authorization server's signing keys cannot be fetched: " + ex.getMessage());
			return KeyStatus.UNAVAILABLE;
		}
	}

	/**
	 * Whether the cached keys hold the id and are fresh, so that finding it and verifying
	 * with it will not fetch anything (and so not block).
	 * @param kid the key id
	 * @return whether the key is cached
	 */
	public boolean isCached(String kid) {
		Loaded loaded = this.loads.last;
		return loaded != null
				&& System.currentTimeMillis() < loaded.atMillis() + CACHE_TIME_TO_LIVE.toMillis() - EXPIRY_MARGIN_MILLIS
				&& loaded.keys().getKeyByKeyId(kid) != null;
	}

	/** The outcome of looking a key id up. */
	public enum KeyStatus {

		/** The JWKS holds the key. */
		FOUND,

		/** The JWKS, fetched again if allowed, does not hold the key. */
		UNKNOWN,

		/** No JWKS can be had: never fetched and the server cannot answer. */
		UNAVAILABLE

	}

	private record Loaded(JWKSet keys, long atMillis) {
	}

	/**
	 * Sits beneath the cache and remembers each set the cache loaded, and when: what the
	 * cache holds, which Nimbus does not expose.
	 */
	private static final class LoadRecorder implements JWKSetSource<SecurityContext> {

		private final JWKSetSource<SecurityContext> delegate;

		private volatile @Nullable Loaded last;

		LoadRecorder(JWKSetSource<SecurityContext> delegate) {
			this.delegate = delegate;
		}

		@Override
		public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime,
				@Nullable SecurityContext context) throws KeySourceException {
			JWKSet keys = this.delegate.getJWKSet(refreshEvaluator, currentTime, context);
			this.last = new Loaded(keys, currentTime);
			return keys;
		}

		@Override
		public void close() throws IOException {
			this.delegate.close();
		}

	}

	/**
	 * Fetches the document with the starter's client, reading at most
	 * {@link #MAX_DOCUMENT_BYTES}.
	 */
	private static final class RestClientJwkSetSource implements JWKSetSource<SecurityContext> {

		private final RestClient restClient;

		private final Supplier<URI> jwkSetUri;

		RestClientJwkSetSource(RestClient restClient, Supplier<URI> jwkSetUri) {
			this.restClient = restClient;
			this.jwkSetUri = jwkSetUri;
		}

		@Override
		public JWKSet getJWKSet(JWKSetCacheRefreshEvaluator refreshEvaluator, long currentTime,
				@Nullable SecurityContext context) throws KeySourceException {
			URI uri;
			try {
				uri = this.jwkSetUri.get();
			}
			catch (RuntimeException ex) {
				throw new KeySourceException("No JWKS location: " + ex.getMessage(), ex);
			}
			String document;
			try {
				document = this.restClient.get()
					.uri(uri)
					.accept(JWK_SET, MediaType.APPLICATION_JSON)
					.exchange((request, response) -> read(uri, response), true);
			}
			catch (RestClientException ex) {
				throw new KeySourceException("JWKS at " + uri + " could not be fetched: " + ex.getMessage(), ex);
			}
			try {
				return JWKSet.parse(document).toPublicJWKSet();
			}
			catch (ParseException ex) {
				throw new KeySourceException("JWKS at " + uri + " is not a JWK set: " + ex.getMessage(), ex);
			}
		}

		/** An {@link IOException} here reaches the caller as a RestClientException. */
		private static String read(URI uri, ClientHttpResponse response) throws IOException {
			if (response.getStatusCode().value() != 200) {
				throw new IOException("JWKS at " + uri + " answered HTTP " + response.getStatusCode().value());
			}
			try (InputStream in = response.getBody()) {
				byte[] body = in.readNBytes(MAX_DOCUMENT_BYTES + 1);
				if (body.length == 0 || body.length > MAX_DOCUMENT_BYTES) {
					throw new IOException(
							"JWKS at " + uri + " is empty or larger than " + MAX_DOCUMENT_BYTES + " bytes");
				}
				return new String(body, StandardCharsets.UTF_8);
			}
		}

		@Override
		public void close() {
		}

	}

}
