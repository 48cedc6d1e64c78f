package io.github.tokenintrospection.internal.reactive;

import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.jwt.JwtRoute;
import io.github.tokenintrospection.internal.jwt.LocalJwtLookup;
import io.github.tokenintrospection.internal.jwt.LocalJwtRejectedException;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;
import reactor.util.context.ContextView;

import org.springframework.util.Assert;
import org.springframework.web.filter.reactive.ServerWebExchangeContextFilter;

/**
 * The reactive pipeline's local JWT stage, as {@link LocalJwtLookup} is the blocking
 * one's. Routing and verifying with cached keys run where the request is (CPU only); when
 * the keys must be fetched, which blocks, the work moves to the bounded elastic scheduler
 * and the result back to the parallel one, as the other blocking preparation does. The
 * request path comes from the exchange in the Reactor context (the starter's WebFlux
 * filter puts it there). With revalidation on, an accepted token is also looked up
 * beneath without the request waiting, and a token the server said is inactive goes on to
 * the lookup beneath.
 */
public final class ReactiveLocalJwtLookup implements ReactiveTokenLookup {

	private static final Log logger = LogFactory.getLog(ReactiveLocalJwtLookup.class);

	private final ReactiveTokenLookup delegate;

	private final LocalJwtRouter router;

	/**
	 * Creates the stage.
	 * @param delegate the introspecting lookup
	 * @param router decides and verifies
	 */
	public ReactiveLocalJwtLookup(ReactiveTokenLookup delegate, LocalJwtRouter router) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(router, "router must not be null");
		this.delegate = delegate;
		this.router = router;
	}

	@Override
	public Mono<Lookup> lookup(String token) {
		return Mono.deferContextual((context) -> {
			JwtRoute route = this.router.route(token, requestPath(context));
			if (route instanceof JwtRoute.Verify verify) {
				if (this.router.canVerifyWithoutBlocking(verify)) {
					return finish(this.router.verify(verify), token);
				}
				return Mono.fromCallable(() -> this.router.verify(verify))
					.subscribeOn(Schedulers.boundedElastic())
					.publishOn(Schedulers.parallel())
					.flatMap((verified) -> finish(verified, token));
			}
			return finish(route, token);
		});
	}

	private Mono<Lookup> finish(JwtRoute route, String token) {
		if (route instanceof JwtRoute.Accepted accepted) {
			switch (this.router.afterAcceptance(accepted)) {
				case INTROSPECT -> {
					return this.delegate.lookup(token);
				}
				case ACCEPT_AND_REVALIDATE -> revalidate(token, accepted);
				case ACCEPT -> {
				}
			}
			return Mono.just(LocalJwtLookup.local(accepted));
		}
		if (route instanceof JwtRoute.Rejected rejected) {
			return Mono.error(new LocalJwtRejectedException(rejected));
		}
		return this.delegate.lookup(token);
	}

	/**
	 * Introspects the token without the request waiting; a failure leaves it accepted
	 * locally until the next period (counted and logged where the call failed).
	 */
	private void revalidate(String token, JwtRoute.Accepted accepted) {
		this.delegate.lookup(token)
			.subscribe((lookup) -> this.router.revalidated(accepted, lookup.token()), (ex) -> logger
				.debug("Background introspection of token " + accepted.fingerprint() + " failed", ex));
	}

	private static @Nullable String requestPath(ContextView context) {
		return ServerWebExchangeContextFilter.getExchange(context)
			.map((exchange) -> exchange.getRequest().getPath().pathWithinApplication().value())
			.orElse(null);
	}

}
