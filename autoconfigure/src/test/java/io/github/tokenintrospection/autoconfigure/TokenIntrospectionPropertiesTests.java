package io.github.tokenintrospection.autoconfigure;

import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.github.tokenintrospection.client.ClientAuthenticationMethod;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.EnableConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.cache.concurrent.ConcurrentMapCacheManager;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.unit.DataSize;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Binding and validation of {@code token-introspection.*} and of the opaque-token
 * properties the starter requires.
 */
class TokenIntrospectionPropertiesTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String URI = OPAQUETOKEN + "introspection-uri=https://idp.example/introspect";

	private static final String ID = OPAQUETOKEN + "client-id=notes-api";

	private static final String SECRET = OPAQUETOKEN + "client-secret=s3cret";

	/** A non-default value for every property of the starter. */
	/** Base64 of a 256-bit key. */
	static final String ENCRYPTION_KEY = "MDEyMzQ1Njc4OWFiY2RlZjAxMjM0NTY3ODlhYmNkZWY=";

	static final Map<String, String> NON_DEFAULT_VALUES = nonDefaultValues();

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class));

	private static Map<String, String> nonDefaultValues() {
		Map<String, String> values = new LinkedHashMap<>();
		values.put("token-introspection.enabled", "false");
		values.put("token-introspection.token-type-hint", "urn:example:hint");
		values.put("token-introspection.client-authentication-method", "client-secret-post");
		values.put("token-introspection.connect-timeout", "750ms");
		values.put("token-introspection.read-timeout", "3s");
		values.put("token-introspection.principal-claim-name", "preferred_username");
		values.put("token-introspection.issuer-uri", "https://login.example.com/realms/shop");
		values.put("token-introspection.allow-insecure-http", "true");
		values.put("token-introspection.ssl-bundle", "login");
		values.put("token-introspection.client-assertion.audience", "https://login.example.com");
		values.put("token-introspection.client-assertion.lifetime", "30s");
		values.put("token-introspection.client-assertion.private-key-location", "classpath:keys/rs.pem");
		values.put("token-introspection.client-assertion.key-bundle", "assertion-key");
		values.put("token-introspection.client-assertion.key-id", "key-1");
		values.put("token-introspection.bearer.token", "static-value");
		values.put("token-introspection.bearer.token-uri", "https://login.example.com/token");
		values.put("token-introspection.bearer.scope", "introspect");
		values.put("token-introspection.bearer.refresh-before-expiry", "10s");
		values.put("token-introspection.cache.enabled", "false");
		values.put("token-introspection.audit.enabled", "false");
		values.put("token-introspection.audit.include-cache-hits", "true");
		values.put("token-introspection.signed-answers.mode", "require");
		values.put("token-introspection.signed-answers.format", "keycloak-jwt-member");
		values.put("token-introspection.signed-answers.jwks-uri", "https://login.example.com/jwks");
		values.put("token-introspection.signed-answers.issuer", "https://login.example.com/realms/shop");
		values.put("token-introspection.signed-answers.audience", "notes-api");
		values.put("token-introspection.signed-answers.algorithms", "ES256");
		values.put("token-introspection.signed-answers.max-age", "30s");
		values.put("token-introspection.signed-answers.decryption-key-location", "classpath:keys/rs-decryption.pem");
		values.put("token-introspection.signed-answers.decryption-key-bundle", "rs-decryption");
		values.put("token-introspection.signed-answers.keep-evidence", "true");
		values.put("token-introspection.resource-metadata.enabled", "false");
		values.put("token-introspection.resource-metadata.scopes-supported", "notes:read");
		values.put("token-introspection.health.down-when-unavailable", "true");
		values.put("token-introspection.endpoint.write-authority", "ROLE_OPERATOR");
		values.put("token-introspection.cache.ttl", "2m");
		values.put("token-introspection.cache.max-size", "123");
		values.put("token-introspection.cache.negative-ttl", "3s");
		values.put("token-introspection.cache.negative-max-size", "45");
		values.put("token-introspection.cache.name", "tokens");
		values.put("token-introspection.cache.redis.enabled", "true");
		values.put("token-introspection.cache.redis.key-prefix", "orders:ti:");
		values.put("token-introspection.cache.redis.channel", "orders:ti:evictions");
		values.put("token-introspection.cache.redis.local-ttl", "3s");
		values.put("token-introspection.cache.redis.timeout", "200ms");
		values.put("token-introspection.cache.redis.encryption-key", ENCRYPTION_KEY);
		values.put("token-introspection.validation.clock-skew", "5s");
		values.put("token-introspection.validation.allowed-issuers", "https://a.example,https://b.example");
		values.put("token-introspection.validation.required-audiences", "notes-api");
		values.put("token-introspection.validation.required-scopes", "read,write");
		values.put("token-introspection.validation.allowed-token-types", "Bearer");
		values.put("token-introspection.authorities.scope-claim-names", "scp");
		values.put("token-introspection.authorities.scope-prefix", "");
		values.put("token-introspection.authorities.role-claim-paths",
				"realm_access.roles,resource_access.notes-api.roles");
		values.put("token-introspection.authorities.role-prefix", "APP_");
		values.put("token-introspection.limits.max-token-length", "512");
		values.put("token-introspection.limits.max-response-size", "8KB");
		values.put("token-introspection.resilience.retry-after", "7s");
		values.put("token-introspection.resilience.retry.enabled", "false");
		values.put("token-introspection.resilience.retry.max-retries", "4");
		values.put("token-introspection.resilience.retry.delay", "20ms");
		values.put("token-introspection.resilience.retry.multiplier", "1.5");
		values.put("token-introspection.resilience.retry.max-delay", "300ms");
		values.put("token-introspection.resilience.retry.jitter", "5ms");
		values.put("token-introspection.resilience.retry.time-budget", "900ms");
		values.put("token-introspection.resilience.circuit-breaker.enabled", "false");
		values.put("token-introspection.resilience.circuit-breaker.failure-rate-threshold", "75");
		values.put("token-introspection.resilience.circuit-breaker.sliding-window-size", "40");
		values.put("token-introspection.resilience.circuit-breaker.minimum-number-of-calls", "30");
		values.put("token-introspection.resilience.circuit-breaker.wait-duration-in-open-state", "45s");
		values.put("token-introspection.resilience.circuit-breaker.permitted-number-of-calls-in-half-open-state", "2");
		values.put("token-introspection.resilience.stale-if-error.enabled", "true");
		values.put("token-introspection.resilience.stale-if-error.window", "2m");
		values.put("token-introspection.resilience.stale-if-error.max-size", "99");
		values.put("token-introspection.jwt.enabled", "true");
		values.put("token-introspection.jwt.jwk-set-uri", "https://login.example.com/realms/shop/certs");
		values.put("token-introspection.jwt.algorithms", "ES256,PS256");
		values.put("token-introspection.jwt.types", "at+jwt");
		values.put("token-introspection.jwt.required-claims", "realm_access,preferred_username");
		values.put("token-introspection.jwt.introspect-paths", "/admin/**,/accounts/{id}/close");
		values.put("token-introspection.jwt.revalidate-after", "2m");
		values.put("token-introspection.route.paths", "/partners/**");
		values.put("token-introspection.route.hosts", "partners.example.com");
		values.put("token-introspection.route.headers[X-Tenant]", "partners");
		values.put("token-introspection.sender-constraint.required", "true");
		values.put("token-introspection.sender-constraint.required-paths", "/payments/**");
		values.put("token-introspection.sender-constraint.certificate-header", "X-Client-Cert");
		values.put("token-introspection.sender-constraint.dpop.enabled", "false");
		values.put("token-introspection.sender-constraint.dpop.algorithms", "ES256");
		values.put("token-introspection.sender-constraint.dpop.max-age", "30s");
		values.put("token-introspection.sender-constraint.dpop.clock-skew", "2s");
		values.put("token-introspection.sender-constraint.dpop.max-proofs", "500");
		values.put("token-introspection.sender-constraint.dpop.nonce.enabled", "true");
		values.put("token-introspection.sender-constraint.dpop.nonce.lifetime", "2m");
		values.put("token-introspection.sender-constraint.dpop.nonce.secret", ENCRYPTION_KEY);
		values.put("token-introspection.cache.refresh-ahead.enabled", "true");
		values.put("token-introspection.cache.refresh-ahead.fraction", "0.7");
		values.put("token-introspection.cache.refresh-ahead.jitter", "0.05");
		values.put("token-introspection.cache.refresh-ahead.max-per-second", "5");
		values.put("token-introspection.security-events.enabled", "true");
		values.put("token-introspection.security-events.issuer", "https://sso.example.com/realms/notes");
		values.put("token-introspection.security-events.configuration-uri",
				"https://sso.example.com/realms/notes/.well-known/ssf-configuration");
		values.put("token-introspection.security-events.jwks-uri",
				"https://sso.example.com/realms/notes/protocol/openid-connect/certs");
		values.put("token-introspection.security-events.audience", "notes-api-events");
		values.put("token-introspection.security-events.algorithms", "RS256");
		values.put("token-introspection.security-events.max-age", "10m");
		values.put("token-introspection.security-events.clock-skew", "5s");
		values.put("token-introspection.security-events.max-events", "1000");
		values.put("token-introspection.security-events.push.path", "/ssf/events");
		values.put("token-introspection.security-events.push.authorization", "Bearer transmitter-secret");
		values.put("token-introspection.security-events.push.max-body-size", "16KB");
		values.put("token-introspection.security-events.delivery", "poll");
		values.put("token-introspection.security-events.poll.endpoint",
				"https://sso.example.com/realms/notes/ssf/transmitter/receivers/notes-events/streams/s-1/poll");
		values.put("token-introspection.security-events.poll.interval", "2s");
		values.put("token-introspection.security-events.poll.max-events", "50");
		values.put("token-introspection.security-events.poll.token-uri",
				"https://sso.example.com/realms/notes/protocol/openid-connect/token");
		values.put("token-introspection.security-events.poll.client-id", "notes-events");
		values.put("token-introspection.security-events.poll.client-secret", "notes-events-secret");
		values.put("token-introspection.security-events.poll.scope", "ssf.read");
		values.put("token-introspection.probe.enabled", "true");
		values.put("token-introspection.probe.max-servers", "2");
		values.put("token-introspection.authorization-servers.partners.introspection-uri",
				"https://partners.example.com/introspect");
		values.put("token-introspection.authorization-servers.partners.client-id", "partners-api");
		values.put("token-introspection.authorization-servers.partners.client-secret", "partners-s3cret");
		values.put("token-introspection.authorization-servers.partners.cache.ttl", "30s");
		return values;
	}

	@Test
	void bindingWhenEveryPropertySetThenAllBound() {
		String[] pairs = NON_DEFAULT_VALUES.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		// enabled=false switches the auto-configuration off, so bind the class on its
		// own.
		this.contextRunner.withUserConfiguration(PropertiesOnlyConfiguration.class)
			.withPropertyValues(pairs)
			.run((context) -> {
				TokenIntrospectionProperties properties = context.getBean(TokenIntrospectionProperties.class);
				assertThat(properties.isEnabled()).isFalse();
				assertThat(properties.getTokenTypeHint()).isEqualTo("urn:example:hint");
				assertThat(properties.getClientAuthenticationMethod())
					.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_POST);
				assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofMillis(750));
				assertThat(properties.getReadTimeout()).isEqualTo(Duration.ofSeconds(3));
				assertThat(properties.getPrincipalClaimName()).isEqualTo("preferred_username");
				assertThat(properties.getIssuerUri()).isEqualTo("https://login.example.com/realms/shop");
				assertThat(properties.isAllowInsecureHttp()).isTrue();
				assertThat(properties.getSslBundle()).isEqualTo("login");
				TokenIntrospectionProperties.SenderConstraint senderConstraint = properties.getSenderConstraint();
				assertThat(senderConstraint.isRequired()).isTrue();
				assertThat(senderConstraint.getRequiredPaths()).containsExactly("/payments/**");
				assertThat(senderConstraint.getDpop().isEnabled()).isFalse();
				assertThat(senderConstraint.getDpop().getAlgorithms()).containsExactly("ES256");
				assertThat(senderConstraint.getDpop().getMaxAge()).isEqualTo(Duration.ofSeconds(30));
				assertThat(senderConstraint.getDpop().getClockSkew()).isEqualTo(Duration.ofSeconds(2));
				assertThat(senderConstraint.getDpop().getMaxProofs()).isEqualTo(500);
				assertThat(senderConstraint.getDpop().getNonce().isEnabled()).isTrue();
				assertThat(senderConstraint.getDpop().getNonce().getLifetime()).isEqualTo(Duration.ofMinutes(2));
				assertThat(properties.getRoute().getPaths()).containsExactly("/partners/**");
				assertThat(properties.getRoute().getHeaders()).containsEntry("X-Tenant", "partners");
				assertThat(properties.getProbe().getMaxServers()).isEqualTo(2);
				assertThat(properties.getAuthorizationServers().get("partners").getClientId())
					.isEqualTo("partners-api");
				TokenIntrospectionProperties.ClientAssertion assertion = properties.getClientAssertion();
				assertThat(assertion.getAudience()).isEqualTo("https://login.example.com");
				assertThat(assertion.getLifetime()).isEqualTo(Duration.ofSeconds(30));
				assertThat(assertion.getPrivateKeyLocation().getFilename()).isEqualTo("rs.pem");
				assertThat(assertion.getKeyBundle()).isEqualTo("assertion-key");
				assertThat(assertion.getKeyId()).isEqualTo("key-1");
				TokenIntrospectionProperties.Bearer bearer = properties.getBearer();
				assertThat(bearer.getToken()).isEqualTo("static-value");
				assertThat(bearer.getTokenUri()).isEqualTo("https://login.example.com/token");
				assertThat(bearer.getScope()).isEqualTo("introspect");
				assertThat(bearer.getRefreshBeforeExpiry()).isEqualTo(Duration.ofSeconds(10));
				assertThat(properties.getAudit().isEnabled()).isFalse();
				assertThat(properties.getAudit().isIncludeCacheHits()).isTrue();
				assertThat(properties.getHealth().isDownWhenUnavailable()).isTrue();
				assertThat(properties.getEndpoint().getWriteAuthority()).isEqualTo("ROLE_OPERATOR");
				TokenIntrospectionProperties.Cache cache = properties.getCache();
				assertThat(cache.isEnabled()).isFalse();
				assertThat(cache.getTtl()).isEqualTo(Duration.ofMinutes(2));
				assertThat(cache.getMaxSize()).isEqualTo(123);
				assertThat(cache.getNegativeTtl()).isEqualTo(Duration.ofSeconds(3));
				assertThat(cache.getNegativeMaxSize()).isEqualTo(45);
				assertThat(cache.getName()).isEqualTo("tokens");
				TokenIntrospectionProperties.Cache.Redis redis = cache.getRedis();
				assertThat(redis.isEnabled()).isTrue();
				assertThat(redis.getKeyPrefix()).isEqualTo("orders:ti:");
				assertThat(redis.getChannel()).isEqualTo("orders:ti:evictions");
				assertThat(redis.getLocalTtl()).isEqualTo(Duration.ofSeconds(3));
				assertThat(redis.getTimeout()).isEqualTo(Duration.ofMillis(200));
				assertThat(TokenIntrospectionPropertiesValidator.encryptionKey(redis)).hasSize(32);
				TokenIntrospectionProperties.Validation validation = properties.getValidation();
				assertThat(validation.getClockSkew()).isEqualTo(Duration.ofSeconds(5));
				assertThat(validation.getAllowedIssuers()).containsExactly("https://a.example", "https://b.example");
				assertThat(validation.getRequiredAudiences()).containsExactly("notes-api");
				assertThat(validation.getRequiredScopes()).containsExactly("read", "write");
				assertThat(validation.getAllowedTokenTypes()).containsExactly("Bearer");
				TokenIntrospectionProperties.Authorities authorities = properties.getAuthorities();
				assertThat(authorities.getScopeClaimNames()).containsExactly("scp");
				assertThat(authorities.getScopePrefix()).isEmpty();
				assertThat(authorities.getRoleClaimPaths()).containsExactly("realm_access.roles",
						"resource_access.notes-api.roles");
				assertThat(authorities.getRolePrefix()).isEqualTo("APP_");
			});
	}

	@Test
	void bindingWhenLimitsAndResilienceSetThenBound() {
		String[] pairs = NON_DEFAULT_VALUES.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		this.contextRunner.withUserConfiguration(PropertiesOnlyConfiguration.class)
			.withPropertyValues(pairs)
			.run((context) -> {
				TokenIntrospectionProperties properties = context.getBean(TokenIntrospectionProperties.class);
				assertThat(properties.getLimits().getMaxTokenLength()).isEqualTo(512);
				assertThat(properties.getLimits().getMaxResponseSize()).isEqualTo(DataSize.ofKilobytes(8));
				TokenIntrospectionProperties.Resilience resilience = properties.getResilience();
				assertThat(resilience.getRetryAfter()).isEqualTo(Duration.ofSeconds(7));
				TokenIntrospectionProperties.Resilience.Retry retry = resilience.getRetry();
				assertThat(retry.isEnabled()).isFalse();
				assertThat(retry.getMaxRetries()).isEqualTo(4);
				assertThat(retry.getDelay()).isEqualTo(Duration.ofMillis(20));
				assertThat(retry.getMultiplier()).isEqualTo(1.5);
				assertThat(retry.getMaxDelay()).isEqualTo(Duration.ofMillis(300));
				assertThat(retry.getJitter()).isEqualTo(Duration.ofMillis(5));
				assertThat(retry.getTimeBudget()).isEqualTo(Duration.ofMillis(900));
				TokenIntrospectionProperties.Resilience.CircuitBreaker circuitBreaker = resilience.getCircuitBreaker();
				assertThat(circuitBreaker.isEnabled()).isFalse();
				assertThat(circuitBreaker.getFailureRateThreshold()).isEqualTo(75);
				assertThat(circuitBreaker.getSlidingWindowSize()).isEqualTo(40);
				assertThat(circuitBreaker.getMinimumNumberOfCalls()).isEqualTo(30);
				assertThat(circuitBreaker.getWaitDurationInOpenState()).isEqualTo(Duration.ofSeconds(45));
				assertThat(circuitBreaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(2);
				TokenIntrospectionProperties.Resilience.StaleIfError staleIfError = resilience.getStaleIfError();
				assertThat(staleIfError.isEnabled()).isTrue();
				assertThat(staleIfError.getWindow()).isEqualTo(Duration.ofMinutes(2));
				assertThat(staleIfError.getMaxSize()).isEqualTo(99);
			});
	}

	@Test
	void bindingWhenJwtSetThenBound() {
		String[] pairs = NON_DEFAULT_VALUES.entrySet()
			.stream()
			.map((entry) -> entry.getKey() + "=" + entry.getValue())
			.toArray(String[]::new);
		this.contextRunner.withUserConfiguration(PropertiesOnlyConfiguration.class)
			.withPropertyValues(pairs)
			.run((context) -> {
				TokenIntrospectionProperties.Jwt jwt = context.getBean(TokenIntrospectionProperties.class).getJwt();
				assertThat(jwt.isEnabled()).isTrue();
				assertThat(jwt.getJwkSetUri()).isEqualTo("https://login.example.com/realms/shop/certs");
				assertThat(jwt.getAlgorithms()).containsExactly("ES256", "PS256");
				assertThat(jwt.getTypes()).containsExactly("at+jwt");
				assertThat(jwt.getRequiredClaims()).containsExactly("realm_access", "preferred_username");
				assertThat(jwt.getIntrospectPaths()).containsExactly("/admin/**", "/accounts/{id}/close");
				assertThat(jwt.getRevalidateAfter()).isEqualTo(Duration.ofMinutes(2));
			});
	}

	@Test
	void bindingWhenNothingSetThenJwtOffWithAsymmetricAlgorithms() {
		this.contextRunner.withPropertyValues(URI, ID, SECRET).run((context) -> {
			TokenIntrospectionProperties.Jwt jwt = context.getBean(TokenIntrospectionProperties.class).getJwt();
			assertThat(jwt.isEnabled()).isFalse();
			assertThat(jwt.getJwkSetUri()).isNull();
			assertThat(jwt.getAlgorithms()).containsExactly("RS256", "RS384", "RS512", "ES256", "ES384", "ES512",
					"PS256", "PS384", "PS512");
			assertThat(jwt.getTypes()).containsExactly("JWT", "at+jwt");
			assertThat(jwt.getRequiredClaims()).isEmpty();
			assertThat(jwt.getIntrospectPaths()).isEmpty();
			assertThat(jwt.getRevalidateAfter()).isNull();
		});
	}

	@Test
	void bindingWhenNothingSetThenLimitsAndResilienceDefaults() {
		this.contextRunner.withPropertyValues(URI, ID, SECRET).run((context) -> {
			TokenIntrospectionProperties properties = context.getBean(TokenIntrospectionProperties.class);
			assertThat(properties.getLimits().getMaxTokenLength()).isEqualTo(4096);
			assertThat(properties.getLimits().getMaxResponseSize()).isEqualTo(DataSize.ofKilobytes(64));
			TokenIntrospectionProperties.Resilience resilience = properties.getResilience();
			assertThat(resilience.getRetryAfter()).isEqualTo(Duration.ofSeconds(5));
			TokenIntrospectionProperties.Resilience.Retry retry = resilience.getRetry();
			assertThat(retry.isEnabled()).isTrue();
			assertThat(retry.getMaxRetries()).isEqualTo(2);
			assertThat(retry.getDelay()).isEqualTo(Duration.ofMillis(100));
			assertThat(retry.getMultiplier()).isEqualTo(2);
			assertThat(retry.getMaxDelay()).isEqualTo(Duration.ofSeconds(1));
			assertThat(retry.getJitter()).isEqualTo(Duration.ofMillis(50));
			assertThat(retry.getTimeBudget()).isEqualTo(Duration.ofSeconds(2));
			TokenIntrospectionProperties.Resilience.CircuitBreaker circuitBreaker = resilience.getCircuitBreaker();
			assertThat(circuitBreaker.isEnabled()).isTrue();
			assertThat(circuitBreaker.getFailureRateThreshold()).isEqualTo(50);
			assertThat(circuitBreaker.getSlidingWindowSize()).isEqualTo(20);
			assertThat(circuitBreaker.getMinimumNumberOfCalls()).isEqualTo(10);
			assertThat(circuitBreaker.getWaitDurationInOpenState()).isEqualTo(Duration.ofSeconds(30));
			assertThat(circuitBreaker.getPermittedNumberOfCallsInHalfOpenState()).isEqualTo(3);
			TokenIntrospectionProperties.Resilience.StaleIfError staleIfError = resilience.getStaleIfError();
			assertThat(staleIfError.isEnabled()).isFalse();
			assertThat(staleIfError.getWindow()).isEqualTo(Duration.ofMinutes(5));
			assertThat(staleIfError.getMaxSize()).isEqualTo(10_000);
		});
	}

	@Test
	void bindingWhenNothingSetThenDefaults() {
		this.contextRunner.withPropertyValues(URI, ID, SECRET).run((context) -> {
			TokenIntrospectionProperties properties = context.getBean(TokenIntrospectionProperties.class);
			assertThat(properties.isEnabled()).isTrue();
			assertThat(properties.getTokenTypeHint()).isEqualTo("access_token");
			assertThat(properties.getClientAuthenticationMethod())
				.isEqualTo(ClientAuthenticationMethod.CLIENT_SECRET_BASIC);
			assertThat(properties.getConnectTimeout()).isEqualTo(Duration.ofSeconds(2));
			assertThat(properties.getReadTimeout()).isEqualTo(Duration.ofSeconds(5));
			assertThat(properties.getPrincipalClaimName()).isEqualTo("sub");
			assertThat(properties.getIssuerUri()).isNull();
			assertThat(properties.isAllowInsecureHttp()).isFalse();
			assertThat(properties.getClientAssertion().getLifetime()).isEqualTo(Duration.ofSeconds(60));
			assertThat(properties.getBearer().getRefreshBeforeExpiry()).isEqualTo(Duration.ofSeconds(30));
			TokenIntrospectionProperties.Cache cache = properties.getCache();
			assertThat(cache.isEnabled()).isTrue();
			assertThat(cache.getTtl()).isEqualTo(Duration.ofSeconds(60));
			assertThat(cache.getMaxSize()).isEqualTo(10_000);
			assertThat(cache.getNegativeTtl()).isEqualTo(Duration.ofSeconds(10));
			assertThat(cache.getNegativeMaxSize()).isEqualTo(10_000);
			assertThat(cache.getName()).isNull();
			TokenIntrospectionProperties.Cache.Redis redis = cache.getRedis();
			assertThat(redis.isEnabled()).isFalse();
			assertThat(redis.getKeyPrefix()).isEqualTo("token-introspection:");
			assertThat(redis.getChannel()).isEqualTo("token-introspection:evictions");
			assertThat(redis.getLocalTtl()).isEqualTo(Duration.ofSeconds(10));
			assertThat(redis.getTimeout()).isEqualTo(Duration.ofMillis(500));
			assertThat(redis.getEncryptionKey()).isNull();
			TokenIntrospectionProperties.Validation validation = properties.getValidation();
			assertThat(validation.getClockSkew()).isEqualTo(Duration.ofSeconds(60));
			assertThat(validation.getAllowedIssuers()).isEmpty();
			assertThat(validation.getRequiredAudiences()).isEmpty();
			assertThat(validation.getRequiredScopes()).isEmpty();
			assertThat(validation.getAllowedTokenTypes()).containsExactly("Bearer", "DPoP", "access_token",
					"urn:ietf:params:oauth:token-type:access_token");
			TokenIntrospectionProperties.Authorities authorities = properties.getAuthorities();
			assertThat(authorities.getScopeClaimNames()).containsExactly("scope", "scp");
			assertThat(authorities.getScopePrefix()).isEqualTo("SCOPE_");
			assertThat(authorities.getRoleClaimPaths()).isEmpty();
			assertThat(authorities.getRolePrefix()).isEqualTo("ROLE_");
		});
	}

	@Test
	void startupWhenEveryPropertyValidAndEnabledThenContextStarts() {
		this.contextRunner.withUserConfiguration(CacheManagerConfiguration.class)
			.withPropertyValues(URI, ID, SECRET)
			.withPropertyValues(NON_DEFAULT_VALUES.entrySet()
				.stream()
				.filter((entry) -> !entry.getKey().endsWith(".enabled"))
				// Names of resources that this context does not have.
				.filter((entry) -> !entry.getKey().endsWith("-bundle") && !entry.getKey().endsWith("-location"))
				.map((entry) -> entry.getKey() + "=" + entry.getValue())
				.toArray(String[]::new))
			.run((context) -> assertThat(context).hasNotFailed());
	}

	static Stream<Arguments> invalidSettings() {
		return Stream.of(Arguments.of(new String[] { URI, ID }, OPAQUETOKEN + "client-secret"),
				Arguments.of(new String[] { URI, SECRET }, OPAQUETOKEN + "client-id"),
				Arguments.of(new String[] { URI, ID, SECRET, OPAQUETOKEN + "client-secret= " },
						OPAQUETOKEN + "client-secret"),
				Arguments.of(new String[] { OPAQUETOKEN + "introspection-uri=idp.example/introspect", ID, SECRET },
						OPAQUETOKEN + "introspection-uri"),
				Arguments.of(
						new String[] { OPAQUETOKEN + "introspection-uri=ftp://idp.example/introspect", ID, SECRET },
						OPAQUETOKEN + "introspection-uri"),
				invalid("cache.ttl=-1s"), invalid("cache.ttl=0s"), invalid("cache.negative-ttl=0s"),
				invalid("cache.max-size=0"), invalid("cache.negative-max-size=-5"),
				invalid("validation.clock-skew=-1s"), invalid("read-timeout=0s"), invalid("connect-timeout=-1s"),
				invalid("principal-claim-name= "), invalid("validation.allowed-token-types="),
				invalid("authorities.scope-claim-names="), invalid("authorities.role-claim-paths=a..b"),
				invalid("authorities.role-claim-paths=.roles"), invalid("authorities.role-claim-paths=roles."),
				invalid("authorities.role-claim-paths=$.realm_access.roles"),
				invalid("authorities.role-claim-paths=realm_access/roles"),
				invalid("authorities.role-claim-paths=['https://example.com/roles"), invalid("cache.name=missing"),
				invalid("client-assertion.lifetime=0s"), invalid("bearer.refresh-before-expiry=-1s"));
	}

	static Stream<Arguments> invalidRedisSettings() {
		return Stream.of(invalid("cache.redis.encryption-key=not base64!"),
				invalid("cache.redis.encryption-key=MDEyMzQ1Njc4OWFiY2RlZg=="),
				redisInvalid("cache.redis.local-ttl=0s"), redisInvalid("cache.redis.timeout=-1ms"),
				redisInvalid("cache.redis.key-prefix="), redisInvalid("cache.redis.key-prefix=orders:*"),
				redisInvalid("cache.redis.key-prefix=orders?:"), redisInvalid("cache.redis.key-prefix=orders[1]:"),
				redisInvalid("cache.redis.channel= "));
	}

	private static Arguments redisInvalid(String setting) {
		String property = "token-introspection." + setting.substring(0, setting.indexOf('='));
		return Arguments.of(new String[] { URI, ID, SECRET, "token-introspection.cache.redis.enabled=true",
				"token-introspection." + setting }, property);
	}

	@Test
	void startupWhenSecretIsAnUnresolvedPlaceholderThenFailsNamingTheVariable() {
		this.contextRunner.withPropertyValues(URI, ID, OPAQUETOKEN + "client-secret=${ORDERS_API_SECRET_NOT_SET}")
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining(OPAQUETOKEN + "client-secret")
				.hasMessageContaining("unresolved placeholder: set ORDERS_API_SECRET_NOT_SET"));
	}

	@Test
	void startupWhenPlaceholderResolvedThenStarts() {
		this.contextRunner
			.withPropertyValues(URI, ID, OPAQUETOKEN + "client-secret=${orders.secret}", "orders.secret=s3cret")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	@Test
	void startupWhenSecretMissingThenMessageSpellsTheMethodAsConfigured() {
		this.contextRunner.withPropertyValues(URI, ID)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("token-introspection.client-authentication-method=client_secret_basic"));
	}

	@Test
	void startupWhenEncryptionKeyInvalidThenMessageDoesNotShowIt() {
		String key = "c2VjcmV0LWJ1dC1zaG9ydA==";
		this.contextRunner.withPropertyValues(URI, ID, SECRET, "token-introspection.cache.redis.encryption-key=" + key)
			.run((context) -> assertThat(context.getStartupFailure()).rootCause()
				.hasMessageContaining("token-introspection.cache.redis.encryption-key")
				.hasMessageContaining("256-bit")
				.message()
				.doesNotContain(key));
	}

	static Stream<Arguments> invalidLimitsAndResilienceSettings() {
		return Stream.of(invalid("limits.max-token-length=0"), invalid("limits.max-response-size=0B"),
				invalid("limits.max-response-size=17MB"), invalid("resilience.retry-after=0s"),
				invalid("resilience.retry.max-retries=0"), invalid("resilience.retry.delay=-1ms"),
				invalid("resilience.retry.multiplier=0.5"), invalid("resilience.retry.max-delay=0s"),
				invalid("resilience.retry.max-delay=50ms"), invalid("resilience.retry.jitter=-1ms"),
				invalid("resilience.retry.time-budget=0s"),
				invalid("resilience.circuit-breaker.failure-rate-threshold=0"),
				invalid("resilience.circuit-breaker.failure-rate-threshold=101"),
				invalid("resilience.circuit-breaker.sliding-window-size=0"),
				invalid("resilience.circuit-breaker.minimum-number-of-calls=0"),
				invalid("resilience.circuit-breaker.wait-duration-in-open-state=0s"),
				invalid("resilience.circuit-breaker.permitted-number-of-calls-in-half-open-state=0"),
				invalid("resilience.stale-if-error.window=0s"), invalid("resilience.stale-if-error.max-size=0"));
	}

	static Stream<Arguments> invalidJwtSettings() {
		return Stream.of(invalid("jwt.algorithms=HS256"), invalid("jwt.algorithms=none"),
				invalid("jwt.algorithms=RS256,HS512"), invalid("jwt.algorithms="), invalid("jwt.types="),
				invalid("jwt.required-claims=sub, "), invalid("jwt.introspect-paths=/accounts/{id"),
				invalid("jwt.revalidate-after=0s"), invalid("jwt.revalidate-after=-1m"),
				invalid("sender-constraint.dpop.algorithms=HS256"), invalid("sender-constraint.dpop.algorithms="),
				invalid("sender-constraint.dpop.max-age=0s"), invalid("sender-constraint.dpop.clock-skew=-1s"),
				invalid("sender-constraint.dpop.max-proofs=0"), invalid("sender-constraint.required-paths=/a/{b"),
				invalid("sender-constraint.dpop.nonce.lifetime=0s"),
				invalid("sender-constraint.dpop.nonce.secret=c2hvcnQ="),
				invalid("sender-constraint.dpop.nonce.secret=not base64!"),
				// No issuer whose tokens the JWKS would verify.
				invalid("jwt.enabled=true"),
				Arguments.of(
						new String[] { URI, ID, SECRET, "token-introspection.jwt.enabled=true",
								"token-introspection.validation.allowed-issuers=https://a.example,https://b.example" },
						"token-introspection.jwt.enabled"),
				// An issuer but no JWKS location: no issuer-uri to discover it from.
				Arguments.of(
						new String[] { URI, ID, SECRET, "token-introspection.jwt.enabled=true",
								"token-introspection.validation.allowed-issuers=https://a.example" },
						"token-introspection.jwt.jwk-set-uri"),
				Arguments.of(
						new String[] { URI, ID, SECRET, "token-introspection.jwt.enabled=true",
								"token-introspection.issuer-uri=https://a.example",
								"token-introspection.jwt.jwk-set-uri=http://keys.example/certs" },
						"token-introspection.jwt.jwk-set-uri"));
	}

	static Stream<Arguments> invalidSecurityEventSettings() {
		String on = "token-introspection.security-events.enabled=true";
		String issuer = "token-introspection.security-events.issuer=https://sso.example.com/realms/notes";
		String audience = "token-introspection.security-events.audience=notes-api-events";
		return Stream.of(events(new String[] { on, audience }, "issuer"),
				events(new String[] { on, issuer }, "audience"),
				events(new String[] { on, audience, "token-introspection.security-events.issuer=sso.example.com" },
						"issuer"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.algorithms=HS256" },
						"algorithms"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.max-age=0s" },
						"max-age"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.push.path=events" },
						"push.path"),
				events(new String[] { on, issuer, audience,
						"token-introspection.security-events.push.max-body-size=100MB" }, "push.max-body-size"),
				events(new String[] { on, issuer, audience,
						"token-introspection.security-events.jwks-uri=ftp://sso.example.com/keys" }, "jwks-uri"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.delivery=poll" },
						"poll.endpoint"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.max-age=30s" },
						"max-age"),
				Arguments.of(new String[] { URI, ID, SECRET, "token-introspection.cache.refresh-ahead.fraction=1" },
						"token-introspection.cache.refresh-ahead.fraction"),
				Arguments.of(new String[] { URI, ID, SECRET, "token-introspection.cache.refresh-ahead.jitter=0.9" },
						"token-introspection.cache.refresh-ahead.jitter"),
				Arguments.of(
						new String[] { URI, ID, SECRET, "token-introspection.cache.refresh-ahead.max-per-second=0" },
						"token-introspection.cache.refresh-ahead.max-per-second"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.delivery=poll",
						"token-introspection.security-events.poll.endpoint=https://sso.example.com/poll",
						"token-introspection.security-events.poll.token-uri=https://sso.example.com/token",
						"token-introspection.security-events.poll.client-id=notes-events" }, "poll.client-secret"),
				events(new String[] { on, issuer, audience, "token-introspection.security-events.delivery=poll",
						"token-introspection.security-events.poll.endpoint=https://sso.example.com/poll",
						"token-introspection.security-events.poll.token-uri=https://sso.example.com/token",
						"token-introspection.security-events.poll.client-id=notes-events",
						"token-introspection.security-events.poll.client-secret=s",
						"token-introspection.security-events.poll.max-events=5000" }, "poll.max-events"));
	}

	private static Arguments events(String[] settings, String property) {
		String[] all = new String[settings.length + 3];
		all[0] = URI;
		all[1] = ID;
		all[2] = SECRET;
		System.arraycopy(settings, 0, all, 3, settings.length);
		return Arguments.of(all, "token-introspection.security-events." + property);
	}

	private static Arguments invalid(String setting) {
		String property = "token-introspection." + setting.substring(0, setting.indexOf('='));
		return Arguments.of(new String[] { URI, ID, SECRET, "token-introspection." + setting }, property);
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource({ "invalidSettings", "invalidLimitsAndResilienceSettings", "invalidRedisSettings",
			"invalidJwtSettings", "invalidSecurityEventSettings" })
	void startupWhenSettingInvalidThenFailsNamingTheProperty(String[] settings, String property) {
		this.contextRunner.withPropertyValues(settings).run((context) -> {
			assertThat(context).hasFailed();
			assertThat(context.getStartupFailure()).rootCause()
				.isInstanceOf(InvalidConfigurationPropertyValueException.class)
				.hasMessageContaining("Property " + property + " ");
			assertThat(((InvalidConfigurationPropertyValueException) rootCause(context.getStartupFailure())).getName())
				.isEqualTo(property);
		});
	}

	@Test
	void startupWhenCacheNameUnknownToCacheManagerThenFailsNamingTheProperty() {
		this.contextRunner.withUserConfiguration(CacheManagerConfiguration.class)
			.withPropertyValues(URI, ID, SECRET, "token-introspection.cache.name=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.cache.name")
				.hasMessageContaining("no cache of that name"));
	}

	@Test
	void startupWhenRefreshAheadWithAnApplicationCacheThenFailsNamingTheProperty() {
		this.contextRunner.withUserConfiguration(CacheManagerConfiguration.class)
			.withPropertyValues(URI, ID, SECRET, "token-introspection.cache.name=tokens",
					"token-introspection.cache.refresh-ahead.enabled=true")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.cache.refresh-ahead.enabled")
				.hasMessageContaining("cannot be used with cache.name"));
	}

	@Test
	void startupWhenNoCacheManagerForCacheNameThenFailsExplainingWhy() {
		this.contextRunner.withPropertyValues(URI, ID, SECRET, "token-introspection.cache.name=missing")
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.cache.name")
				.hasMessageContaining("no CacheManager"));
	}

	@Test
	void startupWhenClientSecretMissingThenMessageSaysItMustBeSet() {
		this.contextRunner.withPropertyValues(URI, ID)
			.run((context) -> assertThat(context).getFailure()
				.rootCause()
				.hasMessageContaining(OPAQUETOKEN + "client-secret")
				.hasMessageContaining("must be set"));
	}

	private static Throwable rootCause(Throwable throwable) {
		Throwable cause = throwable;
		while (cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	@Configuration(proxyBeanMethods = false)
	@EnableConfigurationProperties(TokenIntrospectionProperties.class)
	static class PropertiesOnlyConfiguration {

	}

	@Configuration(proxyBeanMethods = false)
	static class CacheManagerConfiguration {

		@Bean
		ConcurrentMapCacheManager cacheManager() {
			return new ConcurrentMapCacheManager("tokens");
		}

	}

}
