package io.github.tokenintrospection.internal.cache.shared;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.client.IntrospectionResponseReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.data.redis.serializer.RedisSerializer;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

/**
 * Writes a {@link SharedEntry} as JSON, never with Java serialization:
 * <pre>{"format":1,"key":"&lt;sha-256&gt;","stored":1767222000,"claims":{"active":true,"exp":1767225600,...}}</pre>
 * plus {@code "signed":true} for a result read from a verified signed answer (RFC 9701).
 * {@code stored} is when the value was written (epoch seconds): a value older than the
 * cache's TTL, which Redis would have dropped by then, or one from the future is a value
 * put back into Redis (an old copy replayed after a revocation, even an encrypted one)
 * and is ignored. The claims are in RFC 7662's own format (times in epoch seconds) and
 * are read back by the same strict parser as the authorization server's answers. A value
 * of another format (an instance of another version during a rolling upgrade), one that
 * does not decrypt with this instance's key, or one that cannot be parsed reads as
 * absent: the token is then introspected again and the value overwritten.
 */
final class SharedEntrySerializer implements RedisSerializer<Object> {

	/** Version of the value format; a reader of another version ignores the value. */
	static final int FORMAT = 1;

	/**
	 * Tolerated clock difference between the instance that wrote a value and the reader.
	 */
	static final Duration CLOCK_SKEW = Duration.ofSeconds(30);

	private static final Log logger = LogFactory.getLog(SharedEntrySerializer.class);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final IntrospectionResponseReader reader = new IntrospectionResponseReader();

	private final @Nullable ClaimsCipher cipher;

	private final AtomicLong unreadable = new AtomicLong();

	private final Duration ttl;

	private final Clock clock;

	/**
	 * @param cipher encrypts values at rest, or {@code null} to store them as plain JSON
	 * @param ttl the longest time a value lives in Redis
	 * @param clock the wall clock that the time a value was stored is taken from
	 */
	SharedEntrySerializer(@Nullable ClaimsCipher cipher, Duration ttl, Clock clock) {
		this.cipher = cipher;
		this.ttl = ttl;
		this.clock = clock;
	}

	/** How many values read from Redis were ignored as unreadable. */
	long unreadable() {
		return this.unreadable.get();
	}

	@Override
	public byte[] serialize(Object value) {
		SharedEntry entry = (SharedEntry) value;
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("active", true);
		entry.token().getClaims().forEach((name, claim) -> {
			if (!"active".equals(name)) {
				claims.put(name, (claim instanceof Instant instant) ? instant.getEpochSecond() : claim);
			}
		});
		Map<String, Object> envelope = new LinkedHashMap<>();
		envelope.put("format", FORMAT);
		envelope.put("key", entry.key());
		envelope.put("stored", this.clock.instant().getEpochSecond());
		envelope.put("claims", claims);
		if (entry.token().isSignedAnswer()) {
			// Evidence kept for the audit trail of the instances that read it
			// (format=jwt, answer_sha256).
			envelope.put("signed", true);
			if (entry.token().signedAnswerSha256() != null) {
				envelope.put("answer_sha256", entry.token().signedAnswerSha256());
				envelope.put("answer", entry.token().signedAnswer());
			}
		}
		byte[] json = this.jsonMapper.writeValueAsBytes(envelope);
		return (this.cipher != null) ? this.cipher.encrypt(json) : json;
	}

	private static IntrospectedToken signedAnswer(JsonNode envelope, IntrospectedToken token) {
		JsonNode signed = envelope.path("signed");
		if (!signed.isBoolean() || !signed.booleanValue()) {
			return token;
		}
		JsonNode digest = envelope.path("answer_sha256");
		JsonNode answer = envelope.path("answer");
		if (digest.isString()) {
			return token.asSignedAnswer(digest.stringValue(), answer.isString() ? answer.stringValue() : null);
		}
		return token.asSignedAnswer();
	}

	@Override
	public @Nullable Object deserialize(byte @Nullable [] bytes) {
		if (bytes == null) {
			return null;
		}
		byte[] json = (this.cipher != null) ? this.cipher.decrypt(bytes) : bytes;
		if (json == null) {
			return ignored("it does not decrypt with the configured key");
		}
		try {
			JsonNode envelope = this.jsonMapper.readTree(json);
			if (envelope == null || !envelope.isObject() || !envelope.path("format").isInt()
					|| envelope.path("format").intValue() != FORMAT) {
				return ignored("it is not in format " + FORMAT);
			}
			JsonNode key = envelope.path("key");
			JsonNode claims = envelope.path("claims");
			JsonNode stored = envelope.path("stored");
			// canConvertToLong: a larger number would wrap into the accepted window.
			if (!key.isString() || !stored.isIntegralNumber() || !stored.canConvertToLong()
					|| !(claims instanceof ObjectNode claimsObject)) {
				return ignored("it lacks the key, the time it was stored or the claims");
			}
			if (!storedRecently(stored.longValue())) {
				return ignored("it was stored longer than the cache's TTL ago, or in the future: a replayed value");
			}
			IntrospectedToken token = this.reader.read(claimsObject);
			if (!token.isActive()) {
				return ignored("it does not hold an active result");
			}
			return new SharedEntry(key.stringValue(), signedAnswer(envelope, token), stored.longValue());
		}
		catch (JacksonException | OAuth2IntrospectionException ex) {
			return ignored("it is malformed");
		}
	}

	private boolean storedRecently(long storedEpochSecond) {
		long now = this.clock.instant().getEpochSecond();
		long ttlSeconds = (this.ttl.toMillis() + 999) / 1000;
		return storedEpochSecond >= now - ttlSeconds && storedEpochSecond <= now + CLOCK_SKEW.toSeconds();
	}

	private @Nullable Object ignored(String reason) {
		if (this.unreadable.getAndIncrement() == 0) {
			logger.warn("Ignoring a cached introspection result in Redis: " + reason
					+ " (logged once; the token is introspected again)");
		}
		else if (logger.isDebugEnabled()) {
			logger.debug("Ignoring a cached introspection result in Redis: " + reason);
		}
		return null;
	}

}
