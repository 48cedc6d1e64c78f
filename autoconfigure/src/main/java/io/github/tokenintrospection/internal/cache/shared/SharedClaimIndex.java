package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Set;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenHash;
import org.jspecify.annotations.Nullable;

import org.springframework.data.redis.core.Cursor;
import org.springframework.data.redis.core.ScanOptions;
import org.springframework.data.redis.core.StringRedisTemplate;
import org.springframework.data.redis.core.script.DefaultRedisScript;
import org.springframework.data.redis.core.script.RedisScript;

/**
 * The index in Redis from a user ({@code sub}) and a session ({@code sid}) to the keys of
 * their cached answers, so that an eviction by user or session reaches answers that
 * another instance loaded. One sorted set per user and per session,
 * {@code <prefix>index:<claim>:<hash of the value>}, each member scored with the time
 * until which a copy of its answer may live (in Redis, then in an instance's local
 * cache): members past it are dropped whenever the set is written, so a set holds the
 * live answers only, however long its user keeps getting new tokens. The value's hash is
 * an HMAC under a key derived from the cache's encryption key when one is set (a plain
 * SHA-256 otherwise, which a dictionary of known user names can reverse).
 */
final class SharedClaimIndex {

	/**
	 * Adds a member scored with its end, drops the members past their end, and makes the
	 * set live as long as its longest member.
	 */
	private static final RedisScript<Long> ADD = new DefaultRedisScript<>(
			"redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1]) redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])"
					+ " return redis.call('EXPIRE', KEYS[1], ARGV[4])",
			Long.class);

	/** The claims an answer is indexed by. */
	static final List<String> CLAIMS = List.of("sub", "sid");

	private final StringRedisTemplate redis;

	private final String keyPrefix;

	private final Duration ttl;

	private final byte @Nullable [] hashKey;

	private final Clock clock;

	/**
	 * @param ttl the longest time an answer lives in Redis, and so in a local cache
	 * (whose TTL is shorter) after it was read from Redis
	 * @param encryptionKey the cache's encryption key, or {@code null}
	 */
	SharedClaimIndex(StringRedisTemplate redis, String keyPrefix, Duration ttl, byte @Nullable [] encryptionKey,
			Clock clock) {
		this.redis = redis;
		this.keyPrefix = keyPrefix;
		this.ttl = ttl;
		// A key of its own, not the encryption key itself.
		this.hashKey = (encryptionKey != null) ? TokenHash.hmacSha256(encryptionKey, "token-introspection claim index")
				: null;
		this.clock = clock;
	}

	/**
	 * Indexes an answer under its user and session: a script per index, one round trip
	 * each on the shared connection (a pipeline would open a connection of its own; one
	 * script over both keys would fail on a Redis Cluster, where they live in different
	 * slots).
	 */
	void add(String key, IntrospectedToken token) {
		Instant now = this.clock.instant();
		// Its end in Redis, and a local copy read just before may live one TTL more.
		long end = now.plus(IntrospectionCaches.lifetime(this.ttl, token, this.clock)).plus(this.ttl).getEpochSecond();
		String setLifetime = Long.toString(Math.max(1, end - now.getEpochSecond()));
		for (String claim : CLAIMS) {
			String value = token.stringClaim(claim);
			if (value != null && !value.isEmpty()) {
				this.redis.execute(ADD, List.of(indexKey(claim, value)), key, Long.toString(end),
						Long.toString(now.getEpochSecond()), setLifetime);
			}
		}
	}

	List<String> keys(String claim, String value) {
		Set<String> members = this.redis.opsForZSet()
			.rangeByScore(indexKey(claim, value), this.clock.instant().getEpochSecond(), Double.POSITIVE_INFINITY);
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
		return this.keyPrefix + "index:" + claim + ":" + hash(value);
	}

	private String hash(String value) {
		return (this.hashKey != null) ? HexFormat.of().formatHex(TokenHash.hmacSha256(this.hashKey, value))
				: TokenHash.sha256Hex(value);
	}

}
