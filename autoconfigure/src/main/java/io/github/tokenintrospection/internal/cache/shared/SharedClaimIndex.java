package io.github.tokenintrospection.internal.cache.shared;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenHash;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The index in Redis from a user ({@code sub}) and a session ({@code sid}) to the keys of
 * their cached answers, so that an eviction by user or session reaches answers that
 * another instance loaded. One set per user and per session,
 * {@code <prefix>index:<claim>:<SHA-256 of the value>} (no identifier in clear), living
 * as long as the longest entry (the cache's TTL) from its last addition: a member whose
 * entry is gone costs an eviction of nothing.
 */
final class SharedClaimIndex {

	/** Adds a key to an index set and makes the set live the TTL from now. */
	private static final RedisScript<Long> ADD = new DefaultRedisScript<>(
			"redis.call('SADD', KEYS[1], ARGV[1]) return redis.call('EXPIRE', KEYS[1], ARGV[2])", Long.class);

	/** The claims an answer is indexed by. */
	static final List<String> CLAIMS = List.of("sub", "sid");

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration ttl;

	SharedClaimIndex(StringRedisTemplate redis, String keyPrefix, Duration ttl) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.ttl = ttl;
	}

	/**
	 * Indexes an answer under its user and session: a script per index, so one round trip
	 * each on the shared connection (a pipeline would open a connection of its own; one
	 * script over both keys would fail on a Redis Cluster, where they live in different
	 * slots).
	 */
	void add(String key, IntrospectedToken token) {
		String seconds = Long.toString(Math.max(1, this.ttl.toSeconds()));
		for (String claim : CLAIMS) {
			String value = token.stringClaim(claim);
			if (value != null && !value.isEmpty()) {
				this.redis.execute(ADD, List.of(indexKey(claim, value)), key, seconds);
			}
		}
	}

	List<String> keys(String claim, String value) {
		Set<String> members = this.redis.opsForSet().members(indexKey(claim, value));
		return (members != null) ? List.copyOf(members) : List.of();
	}

	/** Deletes the whole index, with SCAN (KEYS would block a large Redis). */
	void clear() {
		ScanOptions pattern = ScanOptions.scanOptions().match(this.keyPrefix + "index:*").count(1000).build();
		List<String> keys = new ArrayList<>();
		try (Cursor<String> cursor = this.redis.scan(pattern)) {
			cursor.forEachRemaining(keys::add);
		}
		if (!keys.isEmpty()) {
			this.redis.delete(keys);
		}
	}

	String indexKey(String claim, String value) {
		return this.keyPrefix + "index:" + claim + ":" + TokenHash.sha256Hex(value);
	}

}
