package io.github.tokenintrospection.autoconfigure;

import java.time.Duration;
import java.util.Base64;
import java.util.List;

import io.github.tokenintrospection.internal.authority.ClaimPath;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.routing.RequestRules;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.unit.DataSize;

/**
 * The rules for {@link TokenIntrospectionProperties}' values, each failure naming its
 * property. Kept apart from the properties class so that it stays plain data.
 */
final class TokenIntrospectionPropertiesValidator {

	/** Length of an AES-256 key in bytes. */
	static final int ENCRYPTION_KEY_LENGTH = 32;

	/** Largest introspection response that {@code limits.max-response-size} may allow. */
	static final DataSize LARGEST_RESPONSE_SIZE = DataSize.ofMegabytes(16);

	/** Shown instead of a secret in error messages. */
	private static final String MASKED = "******";

	private TokenIntrospectionPropertiesValidator() {
	}

	/**
	 * Checks every value.
	 * @param properties the bound properties
	 * @throws InvalidConfigurationPropertyValueException naming the first invalid
	 * property
	 */
	static void validate(TokenIntrospectionProperties properties) {
		requirePositive("connect-timeout", properties.getConnectTimeout());
		requirePositive("read-timeout", properties.getReadTimeout());
		requireText("principal-claim-name", properties.getPrincipalClaimName());
		requireText("endpoint.write-authority", properties.getEndpoint().getWriteAuthority());
		requirePositive("client-assertion.lifetime", properties.getClientAssertion().getLifetime());
		requireNotNegative("bearer.refresh-before-expiry", properties.getBearer().getRefreshBeforeExpiry());
		validateCache(properties.getCache());
		validateValidationAndAuthorities(properties);
		validateLimits(properties.getLimits());
		validateResilience(properties.getResilience());
		validateJwt(properties);
		validateRouting(properties);
		validateSenderConstraint(properties.getSenderConstraint());
		validateSecurityEvents(properties.getSecurityEvents(), properties.getCache());
	}

	private static void validateSecurityEvents(TokenIntrospectionProperties.SecurityEvents events,
			TokenIntrospectionProperties.Cache cache) {
		if (!events.isEnabled()) {
			return;
		}
		requireHttpUri("security-events.issuer", events.getIssuer());
		requireText("security-events.audience", events.getAudience());
		if (events.getConfigurationUri() != null) {
			requireHttpUri("security-events.configuration-uri", events.getConfigurationUri().toString());
		}
		if (events.getJwksUri() != null) {
			requireHttpUri("security-events.jwks-uri", events.getJwksUri().toString());
		}
		if (events.getAlgorithms().isEmpty()) {
			throw invalid("security-events.algorithms", "[]", "must name at least one algorithm");
		}
		for (String algorithm : events.getAlgorithms()) {
			if (!LocalJwtRouter.Settings.isAsymmetric(algorithm)) {
				throw invalid("security-events.algorithms", algorithm,
						"must be one of RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512 (never none or HMAC)");
			}
		}
		requirePositive("security-events.max-age", events.getMaxAge());
		if (cache.isEnabled() && events.getMaxAge().compareTo(cache.getTtl()) < 0) {
			throw invalid("security-events.max-age", events.getMaxAge(), "must be at least cache.ttl (" + cache.getTtl()
					+ "): an event older than an answer still cached would be refused, and lost");
		}
		requireNotNegative("security-events.clock-skew", events.getClockSkew());
		requirePositive("security-events.max-events", events.getMaxEvents());
		String path = events.getPush().getPath();
		if (path == null || !path.startsWith("/") || path.length() < 2 || path.contains("*") || path.contains("{")) {
			throw invalid("security-events.push.path", path, "must be a path such as /security-events (no patterns)");
		}
		if (events.getPush().getAuthorization() != null && events.getPush().getAuthorization().isBlank()) {
			throw invalid("security-events.push.authorization", "", "must not be empty when set");
		}
		if (events.getDelivery() == TokenIntrospectionProperties.SecurityEvents.Delivery.POLL) {
			TokenIntrospectionProperties.SecurityEvents.Poll poll = events.getPoll();
			requireHttpUri("security-events.poll.endpoint",
					(poll.getEndpoint() != null) ? poll.getEndpoint().toString() : null);
			requireHttpUri("security-events.poll.token-uri",
					(poll.getTokenUri() != null) ? poll.getTokenUri().toString() : null);
			requireText("security-events.poll.client-id", poll.getClientId());
			if (poll.getClientSecret() == null || poll.getClientSecret().isBlank()) {
				throw invalid("security-events.poll.client-secret", null, "must not be empty");
			}
			requirePositive("security-events.poll.interval", poll.getInterval());
			if (poll.getMaxEvents() < 1 || poll.getMaxEvents() > 1000) {
				throw invalid("security-events.poll.max-events", poll.getMaxEvents(), "must be between 1 and 1000");
			}
		}
		long maxBody = (events.getPush().getMaxBodySize() != null) ? events.getPush().getMaxBodySize().toBytes() : -1;
		if (maxBody < 1024 || maxBody > 1024 * 1024) {
			throw invalid("security-events.push.max-body-size", events.getPush().getMaxBodySize(),
					"must be between 1KB and 1MB");
		}
	}

	private static void requireHttpUri(String name, @Nullable String value) {
		requireText(name, value);
		try {
			java.net.URI uri = new java.net.URI(value);
			if (!("https".equals(uri.getScheme()) || "http".equals(uri.getScheme())) || uri.getHost() == null) {
				throw invalid(name, value, "must be an absolute http(s) URL");
			}
		}
		catch (java.net.URISyntaxException ex) {
			throw invalid(name, value, "must be an absolute http(s) URL");
		}
	}

	private static void validateSenderConstraint(TokenIntrospectionProperties.SenderConstraint senderConstraint) {
		try {
			LocalJwtRouter.parsePaths(senderConstraint.getRequiredPaths());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("sender-constraint.required-paths", senderConstraint.getRequiredPaths(), ex.getMessage());
		}
		TokenIntrospectionProperties.SenderConstraint.Dpop dpop = senderConstraint.getDpop();
		if (dpop.getAlgorithms().isEmpty()) {
			throw invalid("sender-constraint.dpop.algorithms", "[]", "must name at least one algorithm");
		}
		for (String algorithm : dpop.getAlgorithms()) {
			if (!LocalJwtRouter.Settings.isAsymmetric(algorithm)) {
				throw invalid("sender-constraint.dpop.algorithms", algorithm,
						"must be one of RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512 (never none or HMAC)");
			}
		}
		requirePositive("sender-constraint.dpop.max-age", dpop.getMaxAge());
		requireNotNegative("sender-constraint.dpop.clock-skew", dpop.getClockSkew());
		if (dpop.getMaxProofs() < 1) {
			throw invalid("sender-constraint.dpop.max-proofs", dpop.getMaxProofs(), "must be at least 1");
		}
		requirePositive("sender-constraint.dpop.nonce.lifetime", dpop.getNonce().getLifetime());
		nonceSecret(dpop.getNonce());
	}

	private static void validateRouting(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Route route = properties.getRoute();
		try {
			RequestRules.of(route.getPaths(), route.getHosts(), route.getHeaders());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("route", route.getPaths() + " " + route.getHosts() + " " + route.getHeaders().keySet(),
					ex.getMessage());
		}
		if (properties.getProbe().getMaxServers() < 1) {
			throw invalid("probe.max-servers", properties.getProbe().getMaxServers(), "must be at least 1");
		}
	}

	private static void validateJwt(TokenIntrospectionProperties properties) {
		TokenIntrospectionProperties.Jwt jwt = properties.getJwt();
		if (jwt.getAlgorithms().isEmpty()) {
			throw invalid("jwt.algorithms", "[]", "must name at least one algorithm");
		}
		for (String algorithm : jwt.getAlgorithms()) {
			if (!LocalJwtRouter.Settings.isAsymmetric(algorithm)) {
				throw invalid("jwt.algorithms", algorithm,
						"must be one of RS256, RS384, RS512, ES256, ES384, ES512, PS256, PS384, PS512 (never none or HMAC)");
			}
		}
		if (jwt.getTypes().isEmpty() || jwt.getTypes().stream().anyMatch((type) -> type == null || type.isBlank())) {
			throw invalid("jwt.types", jwt.getTypes(), "must name at least one typ value, none empty");
		}
		if (jwt.getRequiredClaims().stream().anyMatch((claim) -> claim == null || claim.isBlank())) {
			throw invalid("jwt.required-claims", jwt.getRequiredClaims(), "must not contain an empty claim name");
		}
		try {
			LocalJwtRouter.parsePaths(jwt.getIntrospectPaths());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("jwt.introspect-paths", jwt.getIntrospectPaths(), ex.getMessage());
		}
		Duration revalidateAfter = jwt.getRevalidateAfter();
		if (revalidateAfter != null && (revalidateAfter.isNegative() || revalidateAfter.isZero())) {
			throw invalid("jwt.revalidate-after", revalidateAfter, "must be positive (leave it unset for none)");
		}
	}

	/**
	 * Decodes {@code cache.redis.encryption-key}.
	 * @param redis the shared cache's properties
	 * @return the 256-bit key, or {@code null} when none is configured
	 * @throws InvalidConfigurationPropertyValueException when it is not Base64 of 32
	 * bytes (the message never shows the value)
	 */
	static byte @Nullable [] encryptionKey(TokenIntrospectionProperties.Cache.Redis redis) {
		String encoded = redis.getEncryptionKey();
		if (encoded == null || encoded.isBlank()) {
			return null;
		}
		byte[] key;
		try {
			key = Base64.getDecoder().decode(encoded.strip());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("cache.redis.encryption-key", MASKED, "must be Base64");
		}
		if (key.length != ENCRYPTION_KEY_LENGTH) {
			throw invalid("cache.redis.encryption-key", MASKED,
					"must be a 256-bit key (32 bytes, Base64-encoded), not " + (key.length * 8) + " bits");
		}
		return key;
	}

	/**
	 * The secret of the DPoP server nonces: Base64, at least 256 bits.
	 * @return the secret, or {@code null} when none is configured
	 */
	static byte @Nullable [] nonceSecret(TokenIntrospectionProperties.SenderConstraint.Dpop.Nonce nonce) {
		String encoded = nonce.getSecret();
		if (encoded == null || encoded.isBlank()) {
			return null;
		}
		byte[] secret;
		try {
			secret = Base64.getDecoder().decode(encoded.strip());
		}
		catch (IllegalArgumentException ex) {
			throw invalid("sender-constraint.dpop.nonce.secret", MASKED, "must be Base64");
		}
		if (secret.length < ENCRYPTION_KEY_LENGTH) {
			throw invalid("sender-constraint.dpop.nonce.secret", MASKED,
					"must be at least 256 bits (32 bytes, Base64-encoded), not " + (secret.length * 8) + " bits");
		}
		return secret;
	}

	private static void validateCache(TokenIntrospectionProperties.Cache cache) {
		TokenIntrospectionProperties.Cache.RefreshAhead refreshAhead = cache.getRefreshAhead();
		if (!(refreshAhead.getFraction() > 0 && refreshAhead.getFraction() < 1)) {
			throw invalid("cache.refresh-ahead.fraction", refreshAhead.getFraction(), "must be between 0 and 1");
		}
		if (!(refreshAhead.getJitter() >= 0 && refreshAhead.getJitter() < refreshAhead.getFraction())) {
			throw invalid("cache.refresh-ahead.jitter", refreshAhead.getJitter(),
					"must be at least 0 and below cache.refresh-ahead.fraction");
		}
		requirePositive("cache.refresh-ahead.max-per-second", refreshAhead.getMaxPerSecond());
		requirePositive("cache.ttl", cache.getTtl());
		requirePositive("cache.negative-ttl", cache.getNegativeTtl());
		requirePositive("cache.max-size", cache.getMaxSize());
		requirePositive("cache.negative-max-size", cache.getNegativeMaxSize());
		TokenIntrospectionProperties.Cache.Redis redis = cache.getRedis();
		encryptionKey(redis);
		if (!redis.isEnabled()) {
			return;
		}
		requireText("cache.redis.key-prefix", redis.getKeyPrefix());
		// Clearing the cache deletes the keys matching <prefix>active:* (SCAN MATCH).
		if (redis.getKeyPrefix().chars().anyMatch((c) -> "*?[]\\".indexOf(c) >= 0)) {
			throw invalid("cache.redis.key-prefix", redis.getKeyPrefix(),
					"must not contain * ? [ ] or \\ (it is used in a key pattern when clearing the cache)");
		}
		requireText("cache.redis.channel", redis.getChannel());
		requirePositive("cache.redis.local-ttl", redis.getLocalTtl());
		requirePositive("cache.redis.timeout", redis.getTimeout());
	}

	private static void validateValidationAndAuthorities(TokenIntrospectionProperties properties) {
		requireNotNegative("validation.clock-skew", properties.getValidation().getClockSkew());
		if (properties.getValidation().getAllowedTokenTypes().isEmpty()) {
			throw invalid("validation.allowed-token-types", "[]",
					"must name at least one access token type, or every token would be rejected");
		}
		if (properties.getAuthorities().getScopeClaimNames().isEmpty()) {
			throw invalid("authorities.scope-claim-names", "[]", "must name at least one claim");
		}
		for (String path : properties.getAuthorities().getRoleClaimPaths()) {
			try {
				ClaimPath.parse(path);
			}
			catch (IllegalArgumentException ex) {
				throw invalid("authorities.role-claim-paths", path, ex.getMessage());
			}
		}
	}

	private static void validateLimits(TokenIntrospectionProperties.Limits limits) {
		requirePositive("limits.max-token-length", limits.getMaxTokenLength());
		DataSize maxResponseSize = limits.getMaxResponseSize();
		if (maxResponseSize == null || maxResponseSize.toBytes() <= 0
				|| maxResponseSize.toBytes() > LARGEST_RESPONSE_SIZE.toBytes()) {
			throw invalid("limits.max-response-size", maxResponseSize, "must be between 1B and 16MB");
		}
	}

	private static void validateResilience(TokenIntrospectionProperties.Resilience resilience) {
		requirePositive("resilience.retry-after", resilience.getRetryAfter());
		TokenIntrospectionProperties.Resilience.Retry retry = resilience.getRetry();
		requirePositive("resilience.retry.max-retries", retry.getMaxRetries());
		requireNotNegative("resilience.retry.delay", retry.getDelay());
		if (retry.getMultiplier() < 1) {
			throw invalid("resilience.retry.multiplier", retry.getMultiplier(), "must be at least 1");
		}
		requirePositive("resilience.retry.max-delay", retry.getMaxDelay());
		if (retry.getDelay().compareTo(retry.getMaxDelay()) > 0) {
			throw invalid("resilience.retry.max-delay", retry.getMaxDelay(),
					"must not be shorter than the retry delay");
		}
		requireNotNegative("resilience.retry.jitter", retry.getJitter());
		requirePositive("resilience.retry.time-budget", retry.getTimeBudget());
		TokenIntrospectionProperties.Resilience.CircuitBreaker circuitBreaker = resilience.getCircuitBreaker();
		if (!(circuitBreaker.getFailureRateThreshold() > 0 && circuitBreaker.getFailureRateThreshold() <= 100)) {
			throw invalid("resilience.circuit-breaker.failure-rate-threshold", circuitBreaker.getFailureRateThreshold(),
					"must be a percentage greater than 0 and at most 100");
		}
		requirePositive("resilience.circuit-breaker.sliding-window-size", circuitBreaker.getSlidingWindowSize());
		requirePositive("resilience.circuit-breaker.minimum-number-of-calls", circuitBreaker.getMinimumNumberOfCalls());
		requirePositive("resilience.circuit-breaker.wait-duration-in-open-state",
				circuitBreaker.getWaitDurationInOpenState());
		requirePositive("resilience.circuit-breaker.permitted-number-of-calls-in-half-open-state",
				circuitBreaker.getPermittedNumberOfCallsInHalfOpenState());
		requirePositive("resilience.stale-if-error.window", resilience.getStaleIfError().getWindow());
		requirePositive("resilience.stale-if-error.max-size", resilience.getStaleIfError().getMaxSize());
	}

	private static void requireNotNegative(String name, @Nullable Duration value) {
		if (value == null || value.isNegative()) {
			throw invalid(name, value, "must not be negative");
		}
	}

	private static void requirePositive(String name, @Nullable Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(name, value, "must be a positive duration");
		}
	}

	private static void requirePositive(String name, long value) {
		if (value <= 0) {
			throw invalid(name, value, "must be greater than zero");
		}
	}

	private static void requireText(String name, @Nullable String value) {
		if (value == null || value.isBlank()) {
			throw invalid(name, value, "must not be empty");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, @Nullable Object value,
			String reason) {
		return new InvalidConfigurationPropertyValueException(TokenIntrospectionProperties.PREFIX + "." + name, value,
				reason);
	}

}
