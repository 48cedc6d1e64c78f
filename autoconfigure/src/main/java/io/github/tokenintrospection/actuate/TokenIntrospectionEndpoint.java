package io.github.tokenintrospection.actuate;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.actuate.endpoint.Access;
import org.springframework.boot.actuate.endpoint.InvalidEndpointRequestException;
import org.springframework.boot.actuate.endpoint.SecurityContext;
import org.springframework.boot.actuate.endpoint.annotation.DeleteOperation;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.actuate.endpoint.annotation.ReadOperation;
import org.springframework.boot.actuate.endpoint.annotation.WriteOperation;
import org.springframework.security.access.AccessDeniedException;
import org.springframework.security.core.Authentication;
import org.springframework.util.Assert;

/**
 * Actuator endpoint {@code tokenintrospection}, off unless access is granted
 * ({@code management.endpoint.tokenintrospection.access=unrestricted}) and exposed: GET
 * shows cache statistics, POST with {@code {"token": "..."}} or {@code {"fingerprint":
 * "..."}} evicts one token, with {@code {"subject": "..."}} every answer of a user
 * ({@code sub}), with {@code {"session": "..."}} every answer of a session ({@code sid}),
 * DELETE evicts everything. The token travels in the request body, never in a URL that
 * access logs would keep. Both evictions answer in one shape: {@code evicted} (how many
 * cached answers this instance dropped), {@code fingerprint} (when one token was named),
 * and {@code scope}: {@code all-instances}, or {@code this-instance-only} with the
 * {@code reason} (no shared cache, or Redis did not answer and the eviction is sent once
 * it does).
 * <p>
 * Evicting is refused over HTTP unless the caller's authentication holds the write
 * authority ({@code token-introspection.endpoint.write-authority}): Spring Boot's default
 * security lets any authenticated caller reach an exposed endpoint, and any valid token
 * would do. JMX calls are left to JMX's own access control.
 */
@Endpoint(id = "tokenintrospection", defaultAccess = Access.NONE)
public class TokenIntrospectionEndpoint {

	private final IntrospectionCacheControl cacheControl;

	private final String writeAuthority;

	/**
	 * Creates the endpoint.
	 * @param cacheControl the caches to act on
	 * @param writeAuthority the authority an HTTP caller needs to evict
	 */
	public TokenIntrospectionEndpoint(IntrospectionCacheControl cacheControl, String writeAuthority) {
		Assert.notNull(cacheControl, "cacheControl must not be null");
		Assert.hasText(writeAuthority, "writeAuthority must not be empty");
		this.cacheControl = cacheControl;
		this.writeAuthority = writeAuthority;
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
	 * Evicts one token, given the token or its fingerprint, or every answer of a user or
	 * of a session; the first of these given is used, in that order.
	 * @param caller who asks (its authentication must hold the write authority over HTTP)
	 * @param token the raw token, or {@code null}
	 * @param fingerprint the token's fingerprint from the audit trail, or {@code null}
	 * @param subject a user's {@code sub}, or {@code null}
	 * @param session a session's {@code sid}, or {@code null}
	 * @return what was evicted ({@code evicted}: how many cached answers;
	 * {@code fingerprint}) and how far ({@code scope}, and {@code reason} when not every
	 * instance was reached)
	 * @throws InvalidEndpointRequestException (HTTP 400) when none is given, the
	 * fingerprint is malformed, or a cache cannot be searched
	 * @throws AccessDeniedException (HTTP 403, or 401 without authentication) when an
	 * HTTP caller lacks the write authority
	 */
	@WriteOperation
	public Map<String, Object> evict(SecurityContext caller, @Nullable String token, @Nullable String fingerprint,
			@Nullable String subject, @Nullable String session) {
		requireWriteAuthority(caller);
		try {
			if (isGiven(token)) {
				return reply(this.cacheControl.evict(token), IntrospectionCacheControl.fingerprint(token));
			}
			if (isGiven(fingerprint)) {
				return reply(this.cacheControl.evictByFingerprint(fingerprint), fingerprint);
			}
			if (isGiven(subject)) {
				return reply(this.cacheControl.evictSubject(subject), null);
			}
			if (isGiven(session)) {
				return reply(this.cacheControl.evictSession(session), null);
			}
		}
		catch (IllegalArgumentException | UnsupportedOperationException ex) {
			// A malformed fingerprint, or a cache that cannot be searched: 400, not 500.
			throw new InvalidEndpointRequestException(ex.getMessage(), ex.getMessage(), ex);
		}
		String nothing = "Send a token, a fingerprint, a subject or a session";
		throw new InvalidEndpointRequestException(nothing, nothing);
	}

	private static boolean isGiven(@Nullable String value) {
		return value != null && !value.isBlank();
	}

	/**
	 * Evicts everything.
	 * @param caller who asks (its authentication must hold the write authority over HTTP)
	 * @return what was evicted ({@code evicted}: how many cached answers this instance
	 * held) and how far ({@code scope}, and {@code reason} when not every instance was
	 * reached)
	 * @throws AccessDeniedException (HTTP 403, or 401 without authentication) when an
	 * HTTP caller lacks the write authority
	 */
	@DeleteOperation
	public Map<String, Object> evictAll(SecurityContext caller) {
		requireWriteAuthority(caller);
		return reply(this.cacheControl.evictAll(), null);
	}

	private void requireWriteAuthority(SecurityContext caller) {
		if (caller == SecurityContext.NONE) {
			// Not an HTTP request: JMX, whose own access control applies.
			return;
		}
		if (caller.getPrincipal() instanceof Authentication authentication && authentication.isAuthenticated()
				&& authentication.getAuthorities()
					.stream()
					.anyMatch((authority) -> this.writeAuthority.equals(authority.getAuthority()))) {
			return;
		}
		throw new AccessDeniedException("Evicting needs the authority " + this.writeAuthority
				+ " (token-introspection.endpoint.write-authority)");
	}

	private static Map<String, Object> reply(CacheEviction eviction, @Nullable String fingerprint) {
		Map<String, Object> reply = new LinkedHashMap<>();
		reply.put("evicted", eviction.evicted());
		if (fingerprint != null) {
			reply.put("fingerprint", fingerprint);
		}
		reply.put("scope", eviction.scope().value());
		if (eviction.reason() != null) {
			reply.put("reason", eviction.reason());
		}
		return reply;
	}

}
