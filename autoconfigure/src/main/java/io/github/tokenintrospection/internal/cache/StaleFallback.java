package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.time.Duration;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.resilience.CircuitOpenException;
import io.github.tokenintrospection.observation.CacheStatus;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * The stale-if-error rule, shared by the blocking
 * ({@link StaleIfErrorIntrospectionClient}) and the reactive pipeline: when a lookup
 * failed because the authorization server could not answer, the last result it gave for
 * the token is used, if recent enough (see {@link LastValidatedTokens}). Every use is
 * logged and reported to the listener.
 */
public final class StaleFallback {

	private static final Log logger = LogFactory.getLog(StaleFallback.class);

	private final LastValidatedTokens lastValidated;

	private final StaleResultListener listener;

	private final Clock clock;

	/**
	 * Creates the rule.
	 * @param lastValidated the store of recent answers, filled beneath the cache
	 * @param listener told of every stale result used
	 * @param clock the wall clock, to report the result's age
	 */
	public StaleFallback(LastValidatedTokens lastValidated, StaleResultListener listener, Clock clock) {
		Assert.notNull(lastValidated, "lastValidated must not be null");
		Assert.notNull(listener, "listener must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.lastValidated = lastValidated;
		this.listener = listener;
		this.clock = clock;
	}

	/**
	 * What to answer when a lookup failed: the last result the server gave, if recent
	 * enough.
	 * @param token the raw token
	 * @param failure the lookup's failure
	 * @param alsoTell a listener for this request only (the reactive response), or
	 * {@code null}
	 * @return the stale result
	 * @throws OAuth2IntrospectionException the failure, when it says the token is bad or
	 * there is no usable result
	 */
	public TokenLookup.Lookup apply(String token, OAuth2IntrospectionException failure,
			@Nullable StaleResultListener alsoTell) {
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
		return new TokenLookup.Lookup(stale.token(), CacheStatus.STALE, IntrospectionCacheControl.fingerprint(token));
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
