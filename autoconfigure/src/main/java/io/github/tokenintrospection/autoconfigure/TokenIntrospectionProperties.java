package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.client.ClientAuthenticationMethod;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.io.Resource;
import org.springframework.util.unit.DataSize;

/**
 * Settings of the token introspection starter. The endpoint and the client credentials
 * come from Spring Boot's own {@code spring.security.oauth2.resourceserver.opaquetoken.*}
 * properties.
 */
@ConfigurationProperties(prefix = TokenIntrospectionProperties.PREFIX, ignoreUnknownFields = false)
public class TokenIntrospectionProperties implements InitializingBean {

	/** Prefix of the starter's properties. */
	public static final String PREFIX = "token-introspection";

	/**
	 * Whether the starter configures the caching, claim-validating introspector.
	 */
	private boolean enabled = true;

	/**
	 * Issuer identifier of the authorization server. Without an introspection-uri, the
	 * introspection endpoint is discovered from its metadata on first use; it is also the
	 * default allowed issuer.
	 */
	private @Nullable String issuerUri;

	/**
	 * Whether plain http URIs are accepted for hosts other than loopback; RFC 7662
	 * requires TLS, so only for trusted networks.
	 */
	private boolean allowInsecureHttp;

	/**
	 * Name of an SSL bundle (spring.ssl.bundle.*) with the trust material for the
	 * authorization server and, for tls_client_auth, the client certificate and key.
	 */
	private @Nullable String sslBundle;

	/**
	 * Value of the token_type_hint parameter sent with each request; empty to send none.
	 */
	private String tokenTypeHint = "access_token";

	/**
	 * How the resource server authenticates to the introspection endpoint.
	 */
	private ClientAuthenticationMethod clientAuthenticationMethod = ClientAuthenticationMethod.CLIENT_SECRET_BASIC;

	/**
	 * Longest time to wait for a connection to the introspection endpoint.
	 */
	private Duration connectTimeout = Duration.ofSeconds(2);

	/**
	 * Longest time to wait for the introspection response.
	 */
	private Duration readTimeout = Duration.ofSeconds(5);

	/**
	 * Claim whose value becomes the authenticated principal's name; sub is used when a
	 * token lacks it.
	 */
	private String principalClaimName = "sub";

	private final ClientAssertion clientAssertion = new ClientAssertion();

	private final Bearer bearer = new Bearer();

	private final Cache cache = new Cache();

	private final Audit audit = new Audit();

	private final SignedAnswers signedAnswers = new SignedAnswers();

	private final Health health = new Health();

	private final Endpoint endpoint = new Endpoint();

	private final Validation validation = new Validation();

	private final Authorities authorities = new Authorities();

	private final Limits limits = new Limits();

	private final Resilience resilience = new Resilience();

	private final Jwt jwt = new Jwt();

	private final ResourceMetadata resourceMetadata = new ResourceMetadata();

	private final Route route = new Route();

	private final Probe probe = new Probe();

	private final SenderConstraint senderConstraint = new SenderConstraint();

	private final SecurityEvents securityEvents = new SecurityEvents();

	/**
	 * Further authorization servers by name, each configured like the default one under
	 * its own prefix (its introspection-uri or issuer-uri, client-id, client-secret,
	 * route, and any per-server setting), starting from the starter's defaults.
	 */
	private final Map<String, AuthorizationServer> authorizationServers = new LinkedHashMap<>();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public @Nullable String getIssuerUri() {
		return this.issuerUri;
	}

	public void setIssuerUri(@Nullable String issuerUri) {
		this.issuerUri = issuerUri;
	}

	public boolean isAllowInsecureHttp() {
		return this.allowInsecureHttp;
	}

	public void setAllowInsecureHttp(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	public @Nullable String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(@Nullable String sslBundle) {
		this.sslBundle = sslBundle;
	}

	public ClientAssertion getClientAssertion() {
		return this.clientAssertion;
	}

	public Bearer getBearer() {
		return this.bearer;
	}

	public String getTokenTypeHint() {
		return this.tokenTypeHint;
	}

	public void setTokenTypeHint(String tokenTypeHint) {
		this.tokenTypeHint = tokenTypeHint;
	}

	public ClientAuthenticationMethod getClientAuthenticationMethod() {
		return this.clientAuthenticationMethod;
	}

	public void setClientAuthenticationMethod(ClientAuthenticationMethod clientAuthenticationMethod) {
		this.clientAuthenticationMethod = clientAuthenticationMethod;
	}

	public Duration getConnectTimeout() {
		return this.connectTimeout;
	}

	public void setConnectTimeout(Duration connectTimeout) {
		this.connectTimeout = connectTimeout;
	}

	public Duration getReadTimeout() {
		return this.readTimeout;
	}

	public void setReadTimeout(Duration readTimeout) {
		this.readTimeout = readTimeout;
	}

	public String getPrincipalClaimName() {
		return this.principalClaimName;
	}

	public void setPrincipalClaimName(String principalClaimName) {
		this.principalClaimName = principalClaimName;
	}

	public Cache getCache() {
		return this.cache;
	}

	public Audit getAudit() {
		return this.audit;
	}

	public SignedAnswers getSignedAnswers() {
		return this.signedAnswers;
	}

	public Health getHealth() {
		return this.health;
	}

	public Endpoint getEndpoint() {
		return this.endpoint;
	}

	public Validation getValidation() {
		return this.validation;
	}

	public Authorities getAuthorities() {
		return this.authorities;
	}

	public Limits getLimits() {
		return this.limits;
	}

	public Resilience getResilience() {
		return this.resilience;
	}

	public Jwt getJwt() {
		return this.jwt;
	}

	public ResourceMetadata getResourceMetadata() {
		return this.resourceMetadata;
	}

	public Route getRoute() {
		return this.route;
	}

	public Probe getProbe() {
		return this.probe;
	}

	public SenderConstraint getSenderConstraint() {
		return this.senderConstraint;
	}

	public SecurityEvents getSecurityEvents() {
		return this.securityEvents;
	}

	public Map<String, AuthorizationServer> getAuthorizationServers() {
		return this.authorizationServers;
	}

	/**
	 * Checks the bound values, so that an impossible one stops the application at
	 * start-up naming its property. The rules live in
	 * {@link TokenIntrospectionPropertiesValidator}.
	 */
	@Override
	public void afterPropertiesSet() {
		TokenIntrospectionPropertiesValidator.validate(this);
	}

	/**
	 * Client assertions for client_secret_jwt and private_key_jwt (RFC 7523).
	 */
	public static class ClientAssertion {

		/**
		 * Audience (aud) of each assertion; defaults to the issuer-uri when set,
		 * otherwise to the URI of the endpoint being called.
		 */
		private @Nullable String audience;

		/**
		 * How long each assertion is valid; a new one is made for every request.
		 */
		private Duration lifetime = Duration.ofSeconds(60);

		/**
		 * Location of the PEM (PKCS#8) private key that signs assertions for
		 * private_key_jwt; RS256 for an RSA key, ES256 for a P-256 EC key.
		 */
		private @Nullable Resource privateKeyLocation;

		/**
		 * Name of an SSL bundle whose key store holds the private key for
		 * private_key_jwt, instead of private-key-location; the bundle's key alias picks
		 * the entry.
		 */
		private @Nullable String keyBundle;

		/**
		 * Key id (kid) put in the assertion header, so the server can pick the right
		 * registered key.
		 */
		private @Nullable String keyId;

		public @Nullable String getAudience() {
			return this.audience;
		}

		public void setAudience(@Nullable String audience) {
			this.audience = audience;
		}

		public Duration getLifetime() {
			return this.lifetime;
		}

		public void setLifetime(Duration lifetime) {
			this.lifetime = lifetime;
		}

		public @Nullable Resource getPrivateKeyLocation() {
			return this.privateKeyLocation;
		}

		public void setPrivateKeyLocation(@Nullable Resource privateKeyLocation) {
			this.privateKeyLocation = privateKeyLocation;
		}

		public @Nullable String getKeyBundle() {
			return this.keyBundle;
		}

		public void setKeyBundle(@Nullable String keyBundle) {
			this.keyBundle = keyBundle;
		}

		public @Nullable String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(@Nullable String keyId) {
			this.keyId = keyId;
		}

	}

	/**
	 * The resource server's own access token for client-authentication-method bearer.
	 */
	public static class Bearer {

		/**
		 * Fixed token to send; when not set, a token is obtained with the
		 * client_credentials grant using the client id and secret.
		 */
		private @Nullable String token;

		/**
		 * Token endpoint for the client_credentials grant; discovered from the issuer-uri
		 * when not set.
		 */
		private @Nullable String tokenUri;

		/**
		 * Scope to ask for with the client_credentials grant.
		 */
		private @Nullable String scope;

		/**
		 * How long before its expiry the obtained token is replaced.
		 */
		private Duration refreshBeforeExpiry = Duration.ofSeconds(30);

		public @Nullable String getToken() {
			return this.token;
		}

		public void setToken(@Nullable String token) {
			this.token = token;
		}

		public @Nullable String getTokenUri() {
			return this.tokenUri;
		}

		public void setTokenUri(@Nullable String tokenUri) {
			this.tokenUri = tokenUri;
		}

		public @Nullable String getScope() {
			return this.scope;
		}

		public void setScope(@Nullable String scope) {
			this.scope = scope;
		}

		public Duration getRefreshBeforeExpiry() {
			return this.refreshBeforeExpiry;
		}

		public void setRefreshBeforeExpiry(Duration refreshBeforeExpiry) {
			this.refreshBeforeExpiry = refreshBeforeExpiry;
		}

	}

	/**
	 * Signed introspection answers (RFC 9701): JWTs signed by the authorization server.
	 */
	public static class SignedAnswers {

		/**
		 * Whether introspection answers are asked for as signed JWTs: off, prefer (plain
		 * JSON answers are accepted too) or require (a plain JSON answer is a server
		 * fault).
		 */
		private Mode mode = Mode.OFF;

		/**
		 * Which signed answers: rfc9701 (the whole answer a signed JWT) or
		 * keycloak-jwt-member (Keycloak's proprietary 'jwt' member of a JSON answer, the
		 * token's claims signed by the realm key).
		 */
		private Format format = Format.RFC9701;

		/**
		 * Location of the authorization server's JSON Web Key Set. Defaults to the
		 * jwks_uri of the metadata of token-introspection.issuer-uri.
		 */
		private @Nullable String jwksUri;

		/**
		 * Issuer that signed answers must name in iss. Defaults to
		 * token-introspection.issuer-uri.
		 */
		private @Nullable String issuer;

		/**
		 * Value that the aud of a signed answer must hold to identify this resource
		 * server. Defaults to the client id of the introspection client.
		 */
		private @Nullable String audience;

		/**
		 * Signature algorithms accepted; asymmetric ones only (never none, never an
		 * HMAC).
		 */
		private List<String> algorithms = new ArrayList<>(
				List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512", "EdDSA"));

		/**
		 * Oldest signed answer accepted, by its iat, beyond the validation clock skew.
		 */
		private Duration maxAge = Duration.ofMinutes(2);

		/**
		 * PEM (PKCS#8) private key, RSA or EC, that decrypts encrypted answers; without
		 * it, encrypted answers are refused.
		 */
		private @Nullable Resource decryptionKeyLocation;

		/**
		 * Name of an SSL bundle (spring.ssl.bundle.*) whose key store holds the private
		 * key that decrypts encrypted answers (the entry of the bundle's key alias, or
		 * its only private key); instead of decryption-key-location.
		 */
		private @Nullable String decryptionKeyBundle;

		/**
		 * Whether each verified signed answer is kept with its cached result (RFC 9701:
		 * the answer itself; Keycloak's jwt member: its digest only, never the member,
		 * which is a copy of the token) and its SHA-256 written in the audit trail as
		 * answer_sha256.
		 */
		private boolean keepEvidence;

		public boolean isKeepEvidence() {
			return this.keepEvidence;
		}

		public void setKeepEvidence(boolean keepEvidence) {
			this.keepEvidence = keepEvidence;
		}

		public @Nullable String getDecryptionKeyBundle() {
			return this.decryptionKeyBundle;
		}

		public void setDecryptionKeyBundle(@Nullable String decryptionKeyBundle) {
			this.decryptionKeyBundle = decryptionKeyBundle;
		}

		public @Nullable Resource getDecryptionKeyLocation() {
			return this.decryptionKeyLocation;
		}

		public void setDecryptionKeyLocation(@Nullable Resource decryptionKeyLocation) {
			this.decryptionKeyLocation = decryptionKeyLocation;
		}

		public Mode getMode() {
			return this.mode;
		}

		public Format getFormat() {
			return this.format;
		}

		public void setFormat(Format format) {
			this.format = format;
		}

		public void setMode(Mode mode) {
			this.mode = mode;
		}

		public @Nullable String getJwksUri() {
			return this.jwksUri;
		}

		public void setJwksUri(@Nullable String jwksUri) {
			this.jwksUri = jwksUri;
		}

		public @Nullable String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(@Nullable String issuer) {
			this.issuer = issuer;
		}

		public @Nullable String getAudience() {
			return this.audience;
		}

		public void setAudience(@Nullable String audience) {
			this.audience = audience;
		}

		public List<String> getAlgorithms() {
			return this.algorithms;
		}

		public void setAlgorithms(List<String> algorithms) {
			this.algorithms = algorithms;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		/**
		 * Whether introspection answers are asked for as signed JWTs.
		 */
		public enum Mode {

			/** Plain JSON answers only (RFC 7662). */
			OFF,

			/** Signed answers asked for; plain JSON answers accepted too. */
			PREFER,

			/** Signed answers only; a plain JSON answer is a server fault. */
			REQUIRE

		}

		/**
		 * Which kind of signed answer is asked for.
		 */
		public enum Format {

			/** RFC 9701: the answer is a JWT signed by the authorization server. */
			RFC9701,

			/**
			 * Keycloak's {@code jwt} member of a JSON answer (asked with
			 * {@code Accept: application/jwt}), bound to the token by its {@code jti}.
			 */
			KEYCLOAK_JWT_MEMBER

		}

	}

	/**
	 * The audit trail: one structured log event per decision.
	 */
	public static class Audit {

		/**
		 * Whether each decision is logged on the io.github.tokenintrospection.audit
		 * logger and sent to the audit event repository when the application has one.
		 */
		private boolean enabled = true;

		/**
		 * Whether tokens accepted from the cache are recorded too. Off: the trail has one
		 * event per call to the authorization server and one per rejection.
		 */
		private boolean includeCacheHits;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public boolean isIncludeCacheHits() {
			return this.includeCacheHits;
		}

		public void setIncludeCacheHits(boolean includeCacheHits) {
			this.includeCacheHits = includeCacheHits;
		}

	}

	/**
	 * The {@code tokenintrospection} actuator endpoint.
	 */
	public static class Endpoint {

		/**
		 * Authority a caller needs for the endpoint's write operations (cache eviction)
		 * over HTTP. A token with only ordinary scopes cannot evict. JMX callers are not
		 * checked (JMX has its own access control).
		 */
		private String writeAuthority = "SCOPE_token-introspection:manage";

		public String getWriteAuthority() {
			return this.writeAuthority;
		}

		public void setWriteAuthority(String writeAuthority) {
			this.writeAuthority = writeAuthority;
		}

	}

	/**
	 * The health indicator of the authorization server.
	 */
	public static class Health {

		/**
		 * Whether an unavailable authorization server reports the health component DOWN,
		 * which turns the application's overall health DOWN. Off: it reports DEGRADED,
		 * which Spring Boot's health aggregation ignores, so that instances still serving
		 * cached tokens stay in the load balancer.
		 */
		private boolean downWhenUnavailable;

		public boolean isDownWhenUnavailable() {
			return this.downWhenUnavailable;
		}

		public void setDownWhenUnavailable(boolean downWhenUnavailable) {
			this.downWhenUnavailable = downWhenUnavailable;
		}

	}

	/**
	 * Caching of introspection results.
	 */
	public static class Cache {

		/**
		 * Whether introspection results are cached.
		 */
		private boolean enabled = true;

		/**
		 * Longest time an active token's result is reused; never past the token's exp.
		 * This bounds how long a token revoked at the authorization server keeps working.
		 */
		private Duration ttl = Duration.ofSeconds(60);

		/**
		 * Most active tokens kept in the cache.
		 */
		private long maxSize = 10_000;

		/**
		 * How long a token the authorization server called inactive is rejected without
		 * asking again.
		 */
		private Duration negativeTtl = Duration.ofSeconds(10);

		/**
		 * Most inactive tokens kept, separately from the active ones so that a flood of
		 * invalid tokens cannot evict valid entries.
		 */
		private long negativeMaxSize = 10_000;

		/**
		 * Name of a cache of the application's CacheManager to keep active tokens in
		 * instead of the starter's own Caffeine cache; that cache's own settings then
		 * decide its size and lifetime, and entries are still never used past the token's
		 * exp.
		 */
		private @Nullable String name;

		private final Redis redis = new Redis();

		private final RefreshAhead refreshAhead = new RefreshAhead();

		public RefreshAhead getRefreshAhead() {
			return this.refreshAhead;
		}

		/**
		 * Refresh-ahead: an active answer used after a fraction of its lifetime is
		 * introspected again in the background, once, while requests go on being served
		 * from it.
		 */
		public static class RefreshAhead {

			/**
			 * Whether answers in use are refreshed before they end.
			 */
			private boolean enabled;

			/**
			 * Fraction of an answer's lifetime (min of the cache TTL and the time to exp)
			 * after which a use refreshes it.
			 */
			private double fraction = 0.8;

			/**
			 * The most taken off the fraction, per token, so that answers obtained
			 * together are not refreshed together.
			 */
			private double jitter = 0.1;

			/**
			 * The most refreshes started per second (per authorization server).
			 */
			private int maxPerSecond = 20;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public double getFraction() {
				return this.fraction;
			}

			public void setFraction(double fraction) {
				this.fraction = fraction;
			}

			public double getJitter() {
				return this.jitter;
			}

			public void setJitter(double jitter) {
				this.jitter = jitter;
			}

			public int getMaxPerSecond() {
				return this.maxPerSecond;
			}

			public void setMaxPerSecond(int maxPerSecond) {
				this.maxPerSecond = maxPerSecond;
			}

		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public Redis getRedis() {
			return this.redis;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public Duration getTtl() {
			return this.ttl;
		}

		public void setTtl(Duration ttl) {
			this.ttl = ttl;
		}

		public long getMaxSize() {
			return this.maxSize;
		}

		public void setMaxSize(long maxSize) {
			this.maxSize = maxSize;
		}

		public Duration getNegativeTtl() {
			return this.negativeTtl;
		}

		public void setNegativeTtl(Duration negativeTtl) {
			this.negativeTtl = negativeTtl;
		}

		public long getNegativeMaxSize() {
			return this.negativeMaxSize;
		}

		public void setNegativeMaxSize(long negativeMaxSize) {
			this.negativeMaxSize = negativeMaxSize;
		}

		public @Nullable String getName() {
			return this.name;
		}

		public void setName(@Nullable String name) {
			this.name = name;
		}

		/**
		 * A cache shared by all instances of the application in Redis (Spring Boot's
		 * spring.data.redis.* connection), behind each instance's own short-lived cache.
		 */
		public static class Redis {

			/**
			 * Whether active tokens' results are shared through Redis, and evictions sent
			 * to every instance. Needs spring-boot-starter-data-redis.
			 */
			private boolean enabled;

			/**
			 * Prefix of the keys in Redis; a key is the prefix, "active:" and the SHA-256
			 * of the token.
			 */
			private String keyPrefix = "token-introspection:";

			/**
			 * Redis pub/sub channel on which evictions reach every instance.
			 */
			private String channel = "token-introspection:evictions";

			/**
			 * Longest time a result stays in an instance's own cache (never longer than
			 * cache.ttl); bounds how long a missed eviction message leaves a token
			 * working on one instance.
			 */
			private Duration localTtl = Duration.ofSeconds(10);

			/**
			 * Longest wait for Redis on a request; beyond it the request goes on without
			 * the shared cache.
			 */
			private Duration timeout = Duration.ofMillis(500);

			/**
			 * Base64 of a 256-bit AES key to encrypt cached claims with in Redis
			 * (AES-GCM); unset to store them as plain JSON. All instances need the same
			 * key.
			 */
			private @Nullable String encryptionKey;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public String getKeyPrefix() {
				return this.keyPrefix;
			}

			public void setKeyPrefix(String keyPrefix) {
				this.keyPrefix = keyPrefix;
			}

			public String getChannel() {
				return this.channel;
			}

			public void setChannel(String channel) {
				this.channel = channel;
			}

			public Duration getLocalTtl() {
				return this.localTtl;
			}

			public void setLocalTtl(Duration localTtl) {
				this.localTtl = localTtl;
			}

			public Duration getTimeout() {
				return this.timeout;
			}

			public void setTimeout(Duration timeout) {
				this.timeout = timeout;
			}

			public @Nullable String getEncryptionKey() {
				return this.encryptionKey;
			}

			public void setEncryptionKey(@Nullable String encryptionKey) {
				this.encryptionKey = encryptionKey;
			}

		}

	}

	/**
	 * Checks of an active token's claims, made on every request.
	 */
	public static class Validation {

		/**
		 * Tolerated difference between this service's clock and the authorization
		 * server's when checking exp, nbf and iat.
		 */
		private Duration clockSkew = Duration.ofSeconds(60);

		/**
		 * Issuers (iss) to accept; empty to accept any.
		 */
		private List<String> allowedIssuers = new ArrayList<>();

		/**
		 * Audiences of which a token's aud must name at least one; empty to skip the
		 * check.
		 */
		private List<String> requiredAudiences = new ArrayList<>();

		/**
		 * Scopes every token must grant; empty to skip the check.
		 */
		private List<String> requiredScopes = new ArrayList<>();

		/**
		 * Values of token_type (and Keycloak's typ) that name an access token, compared
		 * ignoring case; tokens of any other type, such as refresh tokens, are rejected.
		 */
		private List<String> allowedTokenTypes = new ArrayList<>(
				List.of("Bearer", "DPoP", "access_token", "urn:ietf:params:oauth:token-type:access_token"));

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public List<String> getAllowedIssuers() {
			return this.allowedIssuers;
		}

		public void setAllowedIssuers(List<String> allowedIssuers) {
			this.allowedIssuers = allowedIssuers;
		}

		public List<String> getRequiredAudiences() {
			return this.requiredAudiences;
		}

		public void setRequiredAudiences(List<String> requiredAudiences) {
			this.requiredAudiences = requiredAudiences;
		}

		public List<String> getRequiredScopes() {
			return this.requiredScopes;
		}

		public void setRequiredScopes(List<String> requiredScopes) {
			this.requiredScopes = requiredScopes;
		}

		public List<String> getAllowedTokenTypes() {
			return this.allowedTokenTypes;
		}

		public void setAllowedTokenTypes(List<String> allowedTokenTypes) {
			this.allowedTokenTypes = allowedTokenTypes;
		}

	}

	/**
	 * Mapping of scopes and roles to Spring Security authorities.
	 */
	public static class Authorities {

		/**
		 * Claims that carry scopes, as space-delimited strings or arrays.
		 */
		private List<String> scopeClaimNames = new ArrayList<>(List.of("scope", "scp"));

		/**
		 * Prefix of the authority made from each scope.
		 */
		private String scopePrefix = "SCOPE_";

		/**
		 * Dot-separated paths to claims that carry roles, such as realm_access.roles or
		 * resource_access.my-client.roles.
		 */
		private List<String> roleClaimPaths = new ArrayList<>();

		/**
		 * Prefix of the authority made from each role.
		 */
		private String rolePrefix = "ROLE_";

		public List<String> getScopeClaimNames() {
			return this.scopeClaimNames;
		}

		public void setScopeClaimNames(List<String> scopeClaimNames) {
			this.scopeClaimNames = scopeClaimNames;
		}

		public String getScopePrefix() {
			return this.scopePrefix;
		}

		public void setScopePrefix(String scopePrefix) {
			this.scopePrefix = scopePrefix;
		}

		public List<String> getRoleClaimPaths() {
			return this.roleClaimPaths;
		}

		public void setRoleClaimPaths(List<String> roleClaimPaths) {
			this.roleClaimPaths = roleClaimPaths;
		}

		public String getRolePrefix() {
			return this.rolePrefix;
		}

		public void setRolePrefix(String rolePrefix) {
			this.rolePrefix = rolePrefix;
		}

	}

	/**
	 * Limits on what is accepted from clients and from the authorization server.
	 */
	public static class Limits {

		/**
		 * Longest bearer token accepted, in characters; longer ones are rejected with 401
		 * without calling the authorization server.
		 */
		private int maxTokenLength = 4096;

		/**
		 * Largest introspection response accepted; a larger one is a server fault (503).
		 */
		private DataSize maxResponseSize = DataSize.ofKilobytes(64);

		public int getMaxTokenLength() {
			return this.maxTokenLength;
		}

		public void setMaxTokenLength(int maxTokenLength) {
			this.maxTokenLength = maxTokenLength;
		}

		public DataSize getMaxResponseSize() {
			return this.maxResponseSize;
		}

		public void setMaxResponseSize(DataSize maxResponseSize) {
			this.maxResponseSize = maxResponseSize;
		}

	}

	/**
	 * Behaviour when the authorization server fails: retries, circuit breaker,
	 * stale-if-error.
	 */
	public static class Resilience {

		/**
		 * Retry-After sent with a 503 when neither the authorization server nor the
		 * circuit breaker says how long to wait; rounded up to whole seconds.
		 */
		private Duration retryAfter = Duration.ofSeconds(5);

		private final Retry retry = new Retry();

		private final CircuitBreaker circuitBreaker = new CircuitBreaker();

		private final StaleIfError staleIfError = new StaleIfError();

		public Duration getRetryAfter() {
			return this.retryAfter;
		}

		public void setRetryAfter(Duration retryAfter) {
			this.retryAfter = retryAfter;
		}

		public Retry getRetry() {
			return this.retry;
		}

		public CircuitBreaker getCircuitBreaker() {
			return this.circuitBreaker;
		}

		public StaleIfError getStaleIfError() {
			return this.staleIfError;
		}

		/**
		 * Retries of introspection requests that failed to connect or got 502, 503 or
		 * 504.
		 */
		public static class Retry {

			/**
			 * Whether failed introspection requests are retried.
			 */
			private boolean enabled = true;

			/**
			 * Most retries after the first attempt.
			 */
			private long maxRetries = 2;

			/**
			 * Backoff before the first retry.
			 */
			private Duration delay = Duration.ofMillis(100);

			/**
			 * Factor applied to the backoff after each retry.
			 */
			private double multiplier = 2;

			/**
			 * Longest backoff between two attempts.
			 */
			private Duration maxDelay = Duration.ofSeconds(1);

			/**
			 * Random variation added to or subtracted from each backoff, so that many
			 * instances do not retry in step.
			 */
			private Duration jitter = Duration.ofMillis(50);

			/**
			 * Longest time spent on one introspection, retries included; no retry starts
			 * that would end after it.
			 */
			private Duration timeBudget = Duration.ofSeconds(2);

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public long getMaxRetries() {
				return this.maxRetries;
			}

			public void setMaxRetries(long maxRetries) {
				this.maxRetries = maxRetries;
			}

			public Duration getDelay() {
				return this.delay;
			}

			public void setDelay(Duration delay) {
				this.delay = delay;
			}

			public double getMultiplier() {
				return this.multiplier;
			}

			public void setMultiplier(double multiplier) {
				this.multiplier = multiplier;
			}

			public Duration getMaxDelay() {
				return this.maxDelay;
			}

			public void setMaxDelay(Duration maxDelay) {
				this.maxDelay = maxDelay;
			}

			public Duration getJitter() {
				return this.jitter;
			}

			public void setJitter(Duration jitter) {
				this.jitter = jitter;
			}

			public Duration getTimeBudget() {
				return this.timeBudget;
			}

			public void setTimeBudget(Duration timeBudget) {
				this.timeBudget = timeBudget;
			}

		}

		/**
		 * Circuit breaker that stops calling a failing authorization server for a while.
		 */
		public static class CircuitBreaker {

			/**
			 * Whether a circuit breaker guards the introspection endpoint.
			 */
			private boolean enabled = true;

			/**
			 * Failure percentage over the sliding window at which the circuit breaker
			 * opens.
			 */
			private float failureRateThreshold = 50;

			/**
			 * Number of most recent introspection calls the failure rate is computed
			 * over.
			 */
			private int slidingWindowSize = 20;

			/**
			 * Calls needed in the sliding window before the failure rate is acted on.
			 */
			private int minimumNumberOfCalls = 10;

			/**
			 * How long an open circuit breaker fails fast before letting probe calls
			 * through.
			 */
			private Duration waitDurationInOpenState = Duration.ofSeconds(30);

			/**
			 * Probe calls let through after the wait; their failure rate decides whether
			 * the circuit breaker closes or opens again.
			 */
			private int permittedNumberOfCallsInHalfOpenState = 3;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public float getFailureRateThreshold() {
				return this.failureRateThreshold;
			}

			public void setFailureRateThreshold(float failureRateThreshold) {
				this.failureRateThreshold = failureRateThreshold;
			}

			public int getSlidingWindowSize() {
				return this.slidingWindowSize;
			}

			public void setSlidingWindowSize(int slidingWindowSize) {
				this.slidingWindowSize = slidingWindowSize;
			}

			public int getMinimumNumberOfCalls() {
				return this.minimumNumberOfCalls;
			}

			public void setMinimumNumberOfCalls(int minimumNumberOfCalls) {
				this.minimumNumberOfCalls = minimumNumberOfCalls;
			}

			public Duration getWaitDurationInOpenState() {
				return this.waitDurationInOpenState;
			}

			public void setWaitDurationInOpenState(Duration waitDurationInOpenState) {
				this.waitDurationInOpenState = waitDurationInOpenState;
			}

			public int getPermittedNumberOfCallsInHalfOpenState() {
				return this.permittedNumberOfCallsInHalfOpenState;
			}

			public void setPermittedNumberOfCallsInHalfOpenState(int permittedNumberOfCallsInHalfOpenState) {
				this.permittedNumberOfCallsInHalfOpenState = permittedNumberOfCallsInHalfOpenState;
			}

		}

		/**
		 * Use of a recent introspection result while the authorization server fails.
		 */
		public static class StaleIfError {

			/**
			 * Whether a token the authorization server recently called active is still
			 * accepted while the server cannot answer; responses are marked with the
			 * X-Token-Introspection-Stale header.
			 */
			private boolean enabled;

			/**
			 * Longest time after the authorization server last called a token active that
			 * the answer may be used during an outage; never past the token's exp.
			 */
			private Duration window = Duration.ofMinutes(5);

			/**
			 * Most tokens whose last answer is kept for stale-if-error.
			 */
			private long maxSize = 10_000;

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public Duration getWindow() {
				return this.window;
			}

			public void setWindow(Duration window) {
				this.window = window;
			}

			public long getMaxSize() {
				return this.maxSize;
			}

			public void setMaxSize(long maxSize) {
				this.maxSize = maxSize;
			}

		}

	}

	/**
	 * Local verification of the issuer's JWT access tokens with its published keys; other
	 * tokens are introspected.
	 */
	public static class Jwt {

		/**
		 * Whether the issuer's JWT access tokens are verified locally with its JWKS
		 * instead of being introspected.
		 */
		private boolean enabled;

		/**
		 * Location of the issuer's JWKS; without it, jwks_uri from the issuer's discovery
		 * metadata.
		 */
		private @Nullable String jwkSetUri;

		/**
		 * JWS algorithms accepted for local verification (RS, ES and PS families only);
		 * the issuer's tokens signed otherwise (none, HMAC) are rejected.
		 */
		private List<String> algorithms = new ArrayList<>(
				List.of("RS256", "RS384", "RS512", "ES256", "ES384", "ES512", "PS256", "PS384", "PS512"));

		/**
		 * JOSE typ header values verified locally, ignoring case and an application/
		 * prefix; tokens of other or no typ are introspected.
		 */
		private List<String> types = new ArrayList<>(List.of("JWT", "at+jwt"));

		/**
		 * Claims a locally verified token must carry; a token without one of them (such
		 * as a lightweight token) is introspected.
		 */
		private List<String> requiredClaims = new ArrayList<>();

		/**
		 * Request path patterns (Spring PathPattern syntax) whose tokens are always
		 * introspected, so that a revoked token stops at once there.
		 */
		private List<String> introspectPaths = new ArrayList<>();

		/**
		 * Introspect each locally accepted token in the background, when first accepted
		 * and on its first use after each such period, so that a revocation at the
		 * authorization server ends it within about this time; requests never wait for
		 * it. Unset: no background introspection.
		 */
		private @Nullable Duration revalidateAfter;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getJwkSetUri() {
			return this.jwkSetUri;
		}

		public void setJwkSetUri(@Nullable String jwkSetUri) {
			this.jwkSetUri = jwkSetUri;
		}

		public List<String> getAlgorithms() {
			return this.algorithms;
		}

		public void setAlgorithms(List<String> algorithms) {
			this.algorithms = algorithms;
		}

		public List<String> getTypes() {
			return this.types;
		}

		public void setTypes(List<String> types) {
			this.types = types;
		}

		public List<String> getRequiredClaims() {
			return this.requiredClaims;
		}

		public void setRequiredClaims(List<String> requiredClaims) {
			this.requiredClaims = requiredClaims;
		}

		public List<String> getIntrospectPaths() {
			return this.introspectPaths;
		}

		public void setIntrospectPaths(List<String> introspectPaths) {
			this.introspectPaths = introspectPaths;
		}

		public @Nullable Duration getRevalidateAfter() {
			return this.revalidateAfter;
		}

		public void setRevalidateAfter(@Nullable Duration revalidateAfter) {
			this.revalidateAfter = revalidateAfter;
		}

	}

	/**
	 * Protected resource metadata (RFC 9728): what the resource server says of itself at
	 * /.well-known/oauth-protected-resource and names in the WWW-Authenticate of a 401.
	 */
	public static class ResourceMetadata {

		/**
		 * Whether the metadata names the authorization servers (issuer-uri, else
		 * validation.allowed-issuers) and scopes-supported: on the servlet stack by
		 * completing Spring Security's document, on WebFlux by serving it and adding
		 * resource_metadata to the 401 challenge.
		 */
		private boolean enabled = true;

		/**
		 * Scopes to advertise as scopes_supported.
		 */
		private List<String> scopesSupported = new ArrayList<>();

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public List<String> getScopesSupported() {
			return this.scopesSupported;
		}

		public void setScopesSupported(List<String> scopesSupported) {
			this.scopesSupported = scopesSupported;
		}

	}

	/**
	 * Which requests an authorization server takes: a request that matches any rule of a
	 * server goes to it; a server without rules takes the requests no server's rules
	 * match.
	 */
	public static class Route {

		/**
		 * Path patterns (Spring's PathPattern syntax, such as /partners/**) within the
		 * application.
		 */
		private List<String> paths = new ArrayList<>();

		/**
		 * Host names, compared without case and port (the Host header, or the forwarded
		 * host when the application honors forwarded headers).
		 */
		private List<String> hosts = new ArrayList<>();

		/**
		 * Request headers and the value that selects this server, such as X-Tenant:
		 * partners.
		 */
		private Map<String, String> headers = new LinkedHashMap<>();

		public List<String> getPaths() {
			return this.paths;
		}

		public void setPaths(List<String> paths) {
			this.paths = paths;
		}

		public List<String> getHosts() {
			return this.hosts;
		}

		public void setHosts(List<String> hosts) {
			this.hosts = hosts;
		}

		public Map<String, String> getHeaders() {
			return this.headers;
		}

		public void setHeaders(Map<String, String> headers) {
			this.headers = headers;
		}

	}

	/**
	 * Asking several authorization servers in turn about an opaque token that request and
	 * issuer leave to more than one. Every probed server sees the token: only for servers
	 * of one trust domain.
	 */
	public static class Probe {

		/**
		 * Whether an opaque token that several servers may have issued is introspected at
		 * each in declaration order (default server first) until one answers active.
		 */
		private boolean enabled;

		/**
		 * Most servers one token is sent to.
		 */
		private int maxServers = 3;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public int getMaxServers() {
			return this.maxServers;
		}

		public void setMaxServers(int maxServers) {
			this.maxServers = maxServers;
		}

	}

	/**
	 * The receiver of security events (Shared Signals, CAEP and RISC, pushed as RFC 8935
	 * Security Event Tokens): revocations by user or session evict the cached answers at
	 * once.
	 */
	public static class SecurityEvents {

		/**
		 * Whether the push endpoint receives security events.
		 */
		private boolean enabled;

		/**
		 * The transmitter's issuer: the iss of its SETs (Keycloak: the realm's URL).
		 */
		private @Nullable String issuer;

		/**
		 * The transmitter's SSF configuration document, where its jwks_uri is read;
		 * issuer + /.well-known/ssf-configuration when unset.
		 */
		private @Nullable URI configurationUri;

		/**
		 * The transmitter's JWKS, when it is not to be read from the configuration
		 * document.
		 */
		private @Nullable URI jwksUri;

		/**
		 * The aud the transmitter gives this receiver's stream (Keycloak: the client
		 * attribute ssf.streamAudience, else client-id/stream-id).
		 */
		private @Nullable String audience;

		/**
		 * Accepted SET signature algorithms (asymmetric only).
		 */
		private List<String> algorithms = new ArrayList<>(
				List.of("RS256", "RS384", "RS512", "PS256", "PS384", "PS512", "ES256", "ES384", "ES512"));

		/**
		 * How old a SET's iat may be (a transmitter retries a delivery for a while); each
		 * jti is acted on once within it.
		 */
		private Duration maxAge = Duration.ofHours(1);

		/**
		 * How far in the future a SET's iat may be.
		 */
		private Duration clockSkew = Duration.ofSeconds(60);

		/**
		 * Most SET identifiers remembered for duplicate detection.
		 */
		private long maxEvents = 100_000;

		/**
		 * How SETs arrive: push (the transmitter POSTs them to push.path, RFC 8935) or
		 * poll (this application asks the stream's poll.endpoint, RFC 8936).
		 */
		private Delivery delivery = Delivery.PUSH;

		private final Push push = new Push();

		private final Poll poll = new Poll();

		public Delivery getDelivery() {
			return this.delivery;
		}

		public void setDelivery(Delivery delivery) {
			this.delivery = delivery;
		}

		public Poll getPoll() {
			return this.poll;
		}

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

		public @Nullable String getIssuer() {
			return this.issuer;
		}

		public void setIssuer(@Nullable String issuer) {
			this.issuer = issuer;
		}

		public @Nullable URI getConfigurationUri() {
			return this.configurationUri;
		}

		public void setConfigurationUri(@Nullable URI configurationUri) {
			this.configurationUri = configurationUri;
		}

		public @Nullable URI getJwksUri() {
			return this.jwksUri;
		}

		public void setJwksUri(@Nullable URI jwksUri) {
			this.jwksUri = jwksUri;
		}

		public @Nullable String getAudience() {
			return this.audience;
		}

		public void setAudience(@Nullable String audience) {
			this.audience = audience;
		}

		public List<String> getAlgorithms() {
			return this.algorithms;
		}

		public void setAlgorithms(List<String> algorithms) {
			this.algorithms = algorithms;
		}

		public Duration getMaxAge() {
			return this.maxAge;
		}

		public void setMaxAge(Duration maxAge) {
			this.maxAge = maxAge;
		}

		public Duration getClockSkew() {
			return this.clockSkew;
		}

		public void setClockSkew(Duration clockSkew) {
			this.clockSkew = clockSkew;
		}

		public long getMaxEvents() {
			return this.maxEvents;
		}

		public void setMaxEvents(long maxEvents) {
			this.maxEvents = maxEvents;
		}

		public Push getPush() {
			return this.push;
		}

		/**
		 * How SETs arrive.
		 */
		public enum Delivery {

			/** The transmitter POSTs each SET to this application (RFC 8935). */
			PUSH,

			/** This application asks the transmitter for the SETs waiting (RFC 8936). */
			POLL

		}

		/**
		 * Poll delivery (RFC 8936).
		 */
		public static class Poll {

			/**
			 * The stream's poll endpoint (its delivery.endpoint_url).
			 */
			private @Nullable URI endpoint;

			/**
			 * Time between two polls.
			 */
			private Duration interval = Duration.ofSeconds(5);

			/**
			 * Most SETs asked for at once.
			 */
			private int maxEvents = 100;

			/**
			 * Token endpoint where the receiver's access token is obtained
			 * (client_credentials).
			 */
			private @Nullable URI tokenUri;

			/**
			 * The receiver's client id at the transmitter (the stream's owner).
			 */
			private @Nullable String clientId;

			/**
			 * The receiver's client secret; never logged.
			 */
			private @Nullable String clientSecret;

			/**
			 * Scope asked for with client_credentials (Keycloak: ssf.read).
			 */
			private @Nullable String scope;

			public @Nullable URI getEndpoint() {
				return this.endpoint;
			}

			public void setEndpoint(@Nullable URI endpoint) {
				this.endpoint = endpoint;
			}

			public Duration getInterval() {
				return this.interval;
			}

			public void setInterval(Duration interval) {
				this.interval = interval;
			}

			public int getMaxEvents() {
				return this.maxEvents;
			}

			public void setMaxEvents(int maxEvents) {
				this.maxEvents = maxEvents;
			}

			public @Nullable URI getTokenUri() {
				return this.tokenUri;
			}

			public void setTokenUri(@Nullable URI tokenUri) {
				this.tokenUri = tokenUri;
			}

			public @Nullable String getClientId() {
				return this.clientId;
			}

			public void setClientId(@Nullable String clientId) {
				this.clientId = clientId;
			}

			public @Nullable String getClientSecret() {
				return this.clientSecret;
			}

			public void setClientSecret(@Nullable String clientSecret) {
				this.clientSecret = clientSecret;
			}

			public @Nullable String getScope() {
				return this.scope;
			}

			public void setScope(@Nullable String scope) {
				this.scope = scope;
			}

		}

		/**
		 * Push delivery (RFC 8935).
		 */
		public static class Push {

			/**
			 * Path within the application of the push endpoint (ahead of Spring Security:
			 * a transmitter authenticates by its signature).
			 */
			private String path = "/security-events";

			/**
			 * The Authorization header value the transmitter sends with each delivery
			 * (the stream's authorization_header); deliveries without it get 401. Unset:
			 * deliveries are authenticated by their signature only.
			 */
			private @Nullable String authorization;

			/**
			 * Largest request body read; a longer one gets 413.
			 */
			private DataSize maxBodySize = DataSize.ofKilobytes(64);

			public String getPath() {
				return this.path;
			}

			public void setPath(String path) {
				this.path = path;
			}

			public @Nullable String getAuthorization() {
				return this.authorization;
			}

			public void setAuthorization(@Nullable String authorization) {
				this.authorization = authorization;
			}

			public DataSize getMaxBodySize() {
				return this.maxBodySize;
			}

			public void setMaxBodySize(DataSize maxBodySize) {
				this.maxBodySize = maxBodySize;
			}

		}

	}

	/**
	 * Sender-constrained tokens: DPoP-bound (RFC 9449) and certificate-bound (RFC 8705).
	 * A bound token must always come with its proof; these settings say where unbound
	 * tokens are refused and how DPoP proofs are checked.
	 */
	public static class SenderConstraint {

		/**
		 * Whether every token must be sender-constrained (DPoP-bound or
		 * certificate-bound); unbound tokens get 401.
		 */
		private boolean required;

		/**
		 * Path patterns where tokens must be sender-constrained.
		 */
		private List<String> requiredPaths = new ArrayList<>();

		/**
		 * Request header in which a TLS-terminating proxy passes the client certificate
		 * (PEM, URL-encoded or not, or Base64 DER), read when the TLS session has none.
		 * Only behind a proxy that sets it and strips it from what clients send.
		 */
		private @Nullable String certificateHeader;

		private final Dpop dpop = new Dpop();

		public @Nullable String getCertificateHeader() {
			return this.certificateHeader;
		}

		public void setCertificateHeader(@Nullable String certificateHeader) {
			this.certificateHeader = certificateHeader;
		}

		public boolean isRequired() {
			return this.required;
		}

		public void setRequired(boolean required) {
			this.required = required;
		}

		public List<String> getRequiredPaths() {
			return this.requiredPaths;
		}

		public void setRequiredPaths(List<String> requiredPaths) {
			this.requiredPaths = requiredPaths;
		}

		public Dpop getDpop() {
			return this.dpop;
		}

		/**
		 * DPoP proofs (RFC 9449).
		 */
		public static class Dpop {

			/**
			 * Whether requests with the DPoP scheme are taken: their proofs checked
			 * before any lookup, their 401 challenges in the DPoP scheme. false leaves
			 * the scheme to the application (Spring Security's own DPoP support);
			 * DPoP-bound tokens presented as bearer tokens are refused either way.
			 */
			private boolean enabled = true;

			/**
			 * Accepted proof algorithms (asymmetric only).
			 */
			private List<String> algorithms = new ArrayList<>(
					List.of("ES256", "ES384", "ES512", "PS256", "PS384", "PS512", "RS256", "RS384", "RS512"));

			/**
			 * How old a proof's iat may be; each proof is accepted once within it.
			 */
			private Duration maxAge = Duration.ofSeconds(60);

			/**
			 * How far in the future a proof's iat may be.
			 */
			private Duration clockSkew = Duration.ofSeconds(5);

			/**
			 * Most proofs remembered by this instance for replay detection.
			 */
			private long maxProofs = 100_000;

			private final Nonce nonce = new Nonce();

			public Nonce getNonce() {
				return this.nonce;
			}

			public boolean isEnabled() {
				return this.enabled;
			}

			public void setEnabled(boolean enabled) {
				this.enabled = enabled;
			}

			public List<String> getAlgorithms() {
				return this.algorithms;
			}

			public void setAlgorithms(List<String> algorithms) {
				this.algorithms = algorithms;
			}

			public Duration getMaxAge() {
				return this.maxAge;
			}

			public void setMaxAge(Duration maxAge) {
				this.maxAge = maxAge;
			}

			public Duration getClockSkew() {
				return this.clockSkew;
			}

			public void setClockSkew(Duration clockSkew) {
				this.clockSkew = clockSkew;
			}

			public long getMaxProofs() {
				return this.maxProofs;
			}

			public void setMaxProofs(long maxProofs) {
				this.maxProofs = maxProofs;
			}

			/**
			 * Server nonces (RFC 9449 section 9): stateless, a time window and its MAC.
			 */
			public static class Nonce {

				/**
				 * Whether proofs must carry a nonce this server issued; a proof without
				 * one gets 401 use_dpop_nonce with a DPoP-Nonce header.
				 */
				private boolean enabled;

				/**
				 * How long a nonce is issued for; it stays valid one lifetime more.
				 */
				private Duration lifetime = Duration.ofMinutes(5);

				/**
				 * Base64 secret (at least 256 bits) that every instance shares, so that
				 * one accepts the nonces of another; each instance makes its own when
				 * unset.
				 */
				private @Nullable String secret;

				public boolean isEnabled() {
					return this.enabled;
				}

				public void setEnabled(boolean enabled) {
					this.enabled = enabled;
				}

				public Duration getLifetime() {
					return this.lifetime;
				}

				public void setLifetime(Duration lifetime) {
					this.lifetime = lifetime;
				}

				public @Nullable String getSecret() {
					return this.secret;
				}

				public void setSecret(@Nullable String secret) {
					this.secret = secret;
				}

			}

		}

	}

	/**
	 * A named authorization server: the connection settings that Spring Boot's
	 * {@code opaquetoken} properties give the default server, and every per-server
	 * setting of the starter.
	 */
	public static class AuthorizationServer extends TokenIntrospectionProperties {

		/**
		 * The server's introspection endpoint (or set issuer-uri to discover it).
		 */
		private @Nullable String introspectionUri;

		/**
		 * Client id the resource server authenticates with at this server.
		 */
		private @Nullable String clientId;

		/**
		 * Client secret the resource server authenticates with at this server.
		 */
		private @Nullable String clientSecret;

		public @Nullable String getIntrospectionUri() {
			return this.introspectionUri;
		}

		public void setIntrospectionUri(@Nullable String introspectionUri) {
			this.introspectionUri = introspectionUri;
		}

		public @Nullable String getClientId() {
			return this.clientId;
		}

		public void setClientId(@Nullable String clientId) {
			this.clientId = clientId;
		}

		public @Nullable String getClientSecret() {
			return this.clientSecret;
		}

		public void setClientSecret(@Nullable String clientSecret) {
			this.clientSecret = clientSecret;
		}

	}

}
