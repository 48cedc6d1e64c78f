package io.github.tokenintrospection.cache;

import java.time.Clock;
import java.time.Duration;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.resilience.CircuitOpenException;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Stale-if-error: when the authorization server cannot answer, falls back on the last
 * result it gave for the token, if that is recent enough (see {@link LastValidatedTokens}).
 * <p>
 * Sits above the cache, so that a stale result is never cached as a fresh one. The
 * result's claims are validated afterwards like any other, and it is never used past the
 * token's {@code exp}. Every use is reported to a {@link StaleResultListener} and logged.
 */
public final class StaleIfErrorIntrospectionClient implements IntrospectionClient, TokenLookup {

	private static final Log logger = LogFactory.getLog(StaleIfErrorIntrospectionClient.class);

	private final TokenLookup delegate;

	private final LastValidatedTokens lastValidated;

	private final StaleResultListener listener;

	private final Clock clock;

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
		Assert.notNull(lastValidated, "lastValidated must not be null");
		Assert.notNull(listener, "listener must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.delegate = delegate;
		this.lastValidated = lastValidated;
		this.listener = listener;
		this.clock = clock;
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
			return fallback(token, ex, null);
		}
	}

	/**
	 * What to answer when the lookup failed because the authorization server could not
	 * answer: the last result it gave, if recent enough. The reactive pipeline calls this on
	 * its failures, so both stacks follow the same rules.
	 * @param token the raw token
	 * @param failure the lookup's failure
	 * @param alsoTell a listener for this request only (the reactive response), or
	 * {@code null}
	 * @return the stale result
	 * @throws OAuth2IntrospectionException the failure, when there is no usable result
	 */
	public Lookup fallback(String token, OAuth2IntrospectionException failure, StaleResultListener alsoTell) {
		if (failure instanceof BadOpaqueTokenException) {
			throw failure;
		}
		LastValidatedTokens.Validated stale = this.lastValidated.get(token);
		if (stale == null) {
			throw failure;
		}
		Duration age = Duration.between(stale.validatedAt(), this.clock.instant());
		log(age, failure);
		this.listener.staleResultUsed(stale.token(), age, failure);
		if (alsoTell != null) {
			alsoTell.staleResultUsed(stale.token(), age, failure);
		}
		return new Lookup(stale.token(), CacheStatus.STALE, IntrospectionCacheControl.fingerprint(token));
	}

	private static void log(Duration age, OAuth2IntrospectionException failure) {
		String message = "Using an introspection result " + age.toSeconds()
				+ "s old (stale-if-error): the authorization server could not answer: " + failure.getMessage();
		// While the circuit breaker is open its opening was logged already; do not flood.
		if (failure instanceof CircuitOpenException) {
			logger.debug(message);
		}
		else {
			logger.warn(message);
		}
	}

}
