package io.github.tokenintrospection.internal.jwt;

import java.util.function.Supplier;

import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The blocking pipeline's local JWT stage: a token the {@link LocalJwtRouter} verifies is
 * answered here, one it refuses fails with {@link LocalJwtRejectedException}, and every
 * other token goes on to the lookup beneath (stale-if-error, cache, introspection).
 */
public final class LocalJwtLookup implements TokenLookup {

	private final TokenLookup delegate;

	private final LocalJwtRouter router;

	private final Supplier<@Nullable String> requestPath;

	/**
	 * Creates the stage.
	 * @param delegate the introspecting lookup
	 * @param router decides and verifies
	 * @param requestPath the current request's path within the application, {@code null}
	 * when there is no current request
	 */
	public LocalJwtLookup(TokenLookup delegate, LocalJwtRouter router, Supplier<@Nullable String> requestPath) {
		Assert.notNull(delegate, "delegate must not be null");
		Assert.notNull(router, "router must not be null");
		Assert.notNull(requestPath, "requestPath must not be null");
		this.delegate = delegate;
		this.router = router;
		this.requestPath = requestPath;
	}

	@Override
	public Lookup lookup(String token) {
		JwtRoute route = this.router.decide(token, this.requestPath.get());
		if (route instanceof JwtRoute.Accepted accepted) {
			return local(accepted);
		}
		if (route instanceof JwtRoute.Rejected rejected) {
			throw new LocalJwtRejectedException(rejected);
		}
		return this.delegate.lookup(token);
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
