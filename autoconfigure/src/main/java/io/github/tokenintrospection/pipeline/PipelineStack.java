package io.github.tokenintrospection.pipeline;

import java.time.Clock;
import java.util.List;

import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.LastValidatedTokens;
import io.github.tokenintrospection.internal.cache.RefreshAhead;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.introspector.IntrospectionDecider;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.resilience.CircuitBreakerGuard;
import io.github.tokenintrospection.internal.resilience.RetryingIntrospectionClient;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.jspecify.annotations.Nullable;

/**
 * What differs between the servlet and the reactive pipeline: how the authorization
 * server is called and how a result is waited for. Each method builds one {@link Stage}
 * in the stack's own types; which stages run, and in which order, is
 * {@link PipelineAssembler}'s business alone.
 *
 * @param <C> the client that asks the authorization server
 * @param <L> the lookup that says where a result came from
 * @param <I> the introspector
 */
interface PipelineStack<C, L, I> {

	/** {@link Stage#TRANSPORT}: the given client, or one over HTTP, wrapped as asked. */
	C transport(PipelineSettings settings);

	/** {@link Stage#OBSERVED}. */
	C observed(C client, IntrospectionListener listener);

	/** {@link Stage#CIRCUIT_BREAKER}. */
	C circuitBreaker(C client, CircuitBreakerGuard guard);

	/** {@link Stage#RETRY}. */
	C retrying(C client, RetryingIntrospectionClient.Settings retry);

	/** {@link Stage#RECORD_LAST_VALIDATED}. */
	C recording(C client, LastValidatedTokens lastValidated);

	/** {@link Stage#CACHE}, with refresh-ahead when given. */
	L cached(C client, TokenCaches caches, @Nullable RefreshAhead refreshAhead, Clock clock);

	/** A lookup without {@link Stage#CACHE}. */
	L uncached(C client);

	/** {@link Stage#STALE_IF_ERROR}; the stack may mark the response too. */
	L staleIfError(L lookup, LastValidatedTokens lastValidated, List<StaleResultListener> listeners, Clock clock);

	/** {@link Stage#LOCAL_JWT}. */
	L localJwt(L lookup, LocalJwtRouter router);

	/** {@link Stage#SYNTAX_GUARD}. */
	L syntaxGuarded(L lookup, int maxTokenLength);

	/**
	 * The introspector: the lookup, then the decision ({@link Stage#CLAIM_VALIDATION},
	 * {@link Stage#AUTHORITIES}).
	 */
	I introspector(L lookup, IntrospectionDecider decider);

}
