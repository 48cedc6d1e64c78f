package io.github.tokenintrospection.internal.jwt;

import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.Executor;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.scheduling.concurrent.CustomizableThreadFactory;
import org.springframework.util.Assert;

/**
 * The blocking pipeline's local JWT stage: a token the {@link LocalJwtRouter} verifies is
 * answered here, one it refuses fails with {@link LocalJwtRejectedException}, and every
 * other token goes on to the lookup beneath (stale-if-error, cache, introspection). With
 * revalidation on, an accepted token is also looked up beneath on a background thread,
 * and a token the server said is inactive goes on to the lookup beneath.
 */
public final class LocalJwtLookup implements TokenLookup {

	private static final Log logger = LogFactory.getLog(LocalJwtLookup.class);

	private final TokenLookup delegate;

	private final LocalJwtRouter router;

	private final Supplier<@Nullable String> requestPath;

	private final Executor background;

	/**
	 * Creates the stage.
	 * @param delegate the introspecting lookup
	 * @param router decides and verifies
	 * @param requestPath the current request's path within the application, {@code null}
	 * when there is no current request
	 */
	public LocalJwtLookup(TokenLookup delegate, LocalJwtRouter router, Supplier<@Nullable String> requestPath) {
		this(delegate, router, requestPath, revalidationExecutor());
	}

	/**
	 * Creates the stage with the executor of background revalidations.
	 * @param delegate the introspecting lookup
	 * @param router decides and verifies
	 * @param requestPath the current request's path within the application
	 * @param background runs revalidations; may refuse work when busy
	 */
	public LocalJwtLookup(TokenLookup delegate, LocalJwtRouter router, Supplier<@Nullable String> requestPath,
			Executor background) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(router, "router must not be null");
		Assert.notNull(requestPath, "requestPath must not be null");
		Assert.notNull(background, "background must not be null");
		this.delegate = delegate;
		this.router = router;
		this.requestPath = requestPath;
		this.background = background;
	}

	@Override
	public Lookup lookup(String token) {
		JwtRoute route = this.router.decide(token, this.requestPath.get());
		if (route instanceof JwtRoute.Accepted accepted) {
			switch (this.router.afterAcceptance(accepted)) {
				case INTROSPECT -> {
					return this.delegate.lookup(token);
				}
				case ACCEPT_AND_REVALIDATE -> revalidate(token, accepted);
				case ACCEPT -> {
				}
			}
			return local(accepted);
		}
		if (route instanceof JwtRoute.Rejected rejected) {
			throw new LocalJwtRejectedException(rejected);
		}
		return this.delegate.lookup(token);
	}

	private void revalidate(String token, JwtRoute.Accepted accepted) {
		try {
			this.background.execute(() -> {
				try {
					this.router.revalidated(accepted, this.delegate.lookup(token).token());
				}
				catch (RuntimeException ex) {
					// Accepted locally until the next period; the failure is counted and
					// logged where the call failed.
					logger.debug("Background introspection of token " + accepted.fingerprint() + " failed", ex);
				}
			});
		}
		catch (RejectedExecutionException ex) {
			this.router.revalidationNotStarted(accepted);
		}
	}

	/**
	 * A small pool with a bounded queue: revalidations beyond it are given back and
	 * claimed again by the token's next use, never queued without bound.
	 */
	private static Executor revalidationExecutor() {
		ThreadPoolExecutor executor = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS, new ArrayBlockingQueue<>(1000),
				new CustomizableThreadFactory("token-introspection-revalidation-"));
		executor.allowCoreThreadTimeOut(true);
		return executor;
	}

	/**
	 * The lookup result of a locally verified token.
	 * @param accepted the verified claims
	 * @return the result
	 */
	public static Lookup local(JwtRoute.Accepted accepted) {
		return new Lookup(accepted.token(), accepted.cacheStatus(), accepted.fingerprint(), Path.LOCAL);
	}

}
