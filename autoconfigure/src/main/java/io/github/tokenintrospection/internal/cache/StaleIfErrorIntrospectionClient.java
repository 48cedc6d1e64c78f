package io.github.tokenintrospection.internal.cache;

import java.time.Clock;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.client.IntrospectionClient;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Stale-if-error: when the authorization server cannot answer, falls back on the last
 * result it gave for the token, if that is recent enough (see
 * {@link LastValidatedTokens}).
 * <p>
 * Sits above the cache, so that a stale result is never cached as a fresh one. The
 * result's claims are validated afterwards like any other, and it is never used past the
 * token's {@code exp}. Every use is reported to a {@link StaleResultListener} and logged
 * ({@link StaleFallback}, the rule both stacks share).
 */
public final class StaleIfErrorIntrospectionClient implements IntrospectionClient, TokenLookup {

	private final TokenLookup delegate;

	private final StaleFallback fallback;

	/**
	 * Creates a client.
	 * @param delegate the (caching) lookup to ask first
	 * @param lastValidated the store of recent answers, filled beneath the cache by
	 * {@link LastValidatedTokens#recording(IntrospectionClient)}
	 * @param listener told of every stale result used
	 * @param clock the wall clock, to report the result's age
	 */
	public StaleIfErrorIntrospectionClient(TokenLookup delegate, LastValidatedTokens lastValidated,
			StaleResultListener listener, Clock clock) {
		Assert.notNull(delegate, "delegate must not be null");
		this.delegate = delegate;
		this.fallback = new StaleFallback(lastValidated, listener, clock);
	}

	@Override
	public IntrospectedToken introspect(String token) {
		return lookup(token).token();
	}

	@Override
	public Lookup lookup(String token) {
		try {
			return this.delegate.lookup(token);
		}
		catch (BadOpaqueTokenException ex) {
			throw ex;
		}
		catch (OAuth2IntrospectionException ex) {
			return this.fallback.apply(token, ex, null);
		}
	}

}
