package io.github.tokenintrospection.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;

/**
 * Actuator endpoint {@code tokenintrospection}, off unless access is granted
 * ({@code management.endpoint.tokenintrospection.access=unrestricted}) and exposed: GET shows
 * cache statistics, POST with {@code {"token": "..."}} or {@code {"fingerprint": "..."}}
 * evicts one token, DELETE evicts everything. The token travels in the request body, never
 * in a URL that access logs would keep. Each eviction answers with its {@code scope}:
 * {@code all-instances}, or {@code this-instance-only} with the {@code reason} (no shared
 * cache, or Redis did not answer and the eviction is sent once it does).
 */
@Endpoint(id = "tokenintrospection", defaultAccess = Access.NONE)
public class TokenIntrospectionEndpoint {

	private final IntrospectionCacheControl cacheControl;

	/**
	 * Creates the endpoint.
	 * @param cacheControl the caches to act on
	 */
	public TokenIntrospectionEndpoint(IntrospectionCacheControl cacheControl) {
		this.cacheControl = cacheControl;
	}

	/**
	 * Shows the caches' sizes and statistics.
	 * @return the statistics
	 */
	@ReadOperation
	public Map<String, Map<String, Object>> statistics() {
		return this.cacheControl.statistics();
	}

	/**
	 * Evicts one token, given either the token or its fingerprint.
	 * @param token the raw token, or {@code null}
	 * @param fingerprint the token's fingerprint from the audit trail, or {@code null}
	 * @return what was evicted ({@code evicted}: the fingerprint, or how many tokens the
	 * fingerprint matched) and how far ({@code scope}, and {@code reason} when not every
	 * instance was reached)
	 * @throws InvalidEndpointRequestException (HTTP 400) when neither is given or the
	 * fingerprint is malformed
	 */
	@WriteOperation
	public Map<String, Object> evict(@Nullable String token, @Nullable String fingerprint) {
		Map<String, Object> result = new LinkedHashMap<>();
		if (token != null && !token.isBlank()) {
			CacheEviction eviction = this.cacheControl.evict(token);
			result.put("evicted", IntrospectionCacheControl.fingerprint(token));
			putScope(result, eviction);
		}
		else if (fingerprint != null && !fingerprint.isBlank()) {
			try {
				CacheEviction eviction = this.cacheControl.evictByFingerprint(fingerprint);
				result.put("evicted", eviction.evicted());
				putScope(result, eviction);
			}
			catch (IllegalArgumentException | UnsupportedOperationException ex) {
				// A malformed fingerprint, or a cache that cannot be searched: 400, not 500.
				throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage(), ex);
			}
		}
		else {
			throw new InvalidEndpointRequestException("Send a token or a fingerprint", "Send a token or a fingerprint");
		}
		return result;
	}

	/**
	 * Evicts everything.
	 * @return how far the eviction reached ({@code scope}, and {@code reason} when not every
	 * instance was reached)
	 */
	@DeleteOperation
	public Map<String, Object> evictAll() {
		Map<String, Object> result = new LinkedHashMap<>();
		putScope(result, this.cacheControl.evictAll());
		return result;
	}

	private static void putScope(Map<String, Object> result, CacheEviction eviction) {
		result.put("scope", eviction.scope().value());
		if (eviction.reason() != null) {
			result.put("reason", eviction.reason());
		}
	}

}
