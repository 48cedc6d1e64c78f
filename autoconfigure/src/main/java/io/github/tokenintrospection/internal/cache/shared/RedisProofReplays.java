package io.github.tokenintrospection.internal.cache.shared;

import java.time.Duration;

import io.github.tokenintrospection.internal.possession.ProofReplays;

import org.springframework.data.redis.connection.RedisConnectionFactory;
import org.springframework.data.redis.core.StringRedisTemplate;

/**
 * DPoP proofs used anywhere in the fleet, in the shared cache's Redis: a proof's key is
 * set once ({@code SET NX} with the proof's window as its TTL), so a proof replayed to
 * another instance is refused there too. While Redis does not answer, this instance's own
 * record still refuses proofs replayed to it (the check is narrowed, never off).
 */
public final class RedisProofReplays implements ProofReplays {

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final RedisAccess access;

	private final ProofReplays local;

	/**
	 * Creates the store.
	 * @param connectionFactory the shared cache's Redis
	 * @param keyPrefix the shared cache's key prefix
	 * @param access runs the calls to Redis with the shared cache's timeout
	 * @param local this instance's own record, also used while Redis does not answer
	 */
	public RedisProofReplays(RedisConnectionFactory connectionFactory, String keyPrefix, RedisAccess access,
			ProofReplays local) {
		this.redis = new StringRedisTemplate(connectionFactory);
		this.keyPrefix = keyPrefix + "dpop:";
		this.access = access;
		this.local = local;
	}

	@Override
	public boolean firstUse(String key, Duration window) {
		boolean firstHere = this.local.firstUse(key, window);
		Boolean firstInFleet = this.access.read("dpop-proof",
				() -> this.redis.opsForValue().setIfAbsent(this.keyPrefix + key, "1", window));
		return firstHere && (firstInFleet == null || firstInFleet);
	}

	@Override
	public boolean blocks() {
		return true;
	}

}
