package io.github.tokenintrospection.cache;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * What an eviction did: how many entries it dropped from this instance's caches and how
 * far it reached.
 *
 * @param evicted how many entries were dropped from this instance's own caches: for
 * {@link IntrospectionCacheControl#evict(String)} 1 when the token was cached here (0
 * also when a cache of the application's CacheManager cannot tell), for
 * {@link IntrospectionCacheControl#evictByFingerprint(String)} the tokens found, for
 * {@link IntrospectionCacheControl#evictAll()} Caffeine's estimate of the entries held
 * @param scope whether the other instances were reached
 * @param reason why the eviction reached this instance only, or {@code null} when it
 * reached all instances
 */
public record CacheEviction(int evicted, Scope scope, @Nullable String reason) {

	/**
	 * The {@link #reason()} of an eviction that stayed here because nothing is shared.
	 */
	public static final String NOT_SHARED = "no shared cache (token-introspection.cache.redis.enabled=false): "
			+ "every instance caches on its own";

	/** The {@link #reason()} of an eviction that Redis has not yet passed on. */
	public static final String REDIS_UNREACHABLE = "Redis did not answer: the eviction is sent to Redis and the other "
			+ "instances once Redis answers again, and this instance ignores older values from Redis meanwhile";

	/**
	 * The {@link #reason()} of an eviction by user or session whose index in Redis could
	 * not be read: the answers this instance holds were evicted, those only Redis knows
	 * of were not, and nothing is sent later.
	 */
	public static final String REDIS_INDEX_UNREACHABLE = "Redis did not answer: the answers this instance holds were "
			+ "evicted, those other instances loaded were not; evict again once Redis answers";

	public CacheEviction {
		Assert.notNull(scope, "scope must not be null");
		Assert.isTrue((scope == Scope.ALL_INSTANCES) == (reason == null),
				"a reason is given exactly when the eviction reached this instance only");
	}

	/**
	 * Whether the eviction reached the shared cache and every instance.
	 * @return {@code false} when it reached this instance only
	 */
	public boolean reachedAllInstances() {
		return this.scope == Scope.ALL_INSTANCES;
	}

	/**
	 * How far an eviction reached.
	 */
	public enum Scope {

		/**
		 * The shared cache (Redis) and, through its channel, every instance listening.
		 */
		ALL_INSTANCES("all-instances"),

		/** This instance's own caches only. */
		THIS_INSTANCE_ONLY("this-instance-only");

		private final String value;

		Scope(String value) {
			this.value = value;
		}

		/**
		 * Returns the scope as the actuator endpoint shows it.
		 * @return {@code all-instances} or {@code this-instance-only}
		 */
		public String value() {
			return this.value;
		}

	}

}
