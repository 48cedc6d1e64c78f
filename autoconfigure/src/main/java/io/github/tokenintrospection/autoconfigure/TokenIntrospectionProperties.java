package io.github.tokenintrospection.autoconfigure;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.client.ClientAuthenticationMethod;

import org.springframework.beans.factory.InitializingBean;
import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.core.io.Resource;

/**
 * Settings of the token introspection starter. The endpoint and the client credentials come
 * from Spring Boot's own {@code spring.security.oauth2.resourceserver.opaquetoken.*}
 * properties.
 */
@ConfigurationProperties(TokenIntrospectionProperties.PREFIX)
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
	private String issuerUri;

	/**
	 * Whether plain http URIs are accepted for hosts other than loopback; RFC 7662 requires
	 * TLS, so only for trusted networks.
	 */
	private boolean allowInsecureHttp;

	/**
	 * Name of an SSL bundle (spring.ssl.bundle.*) with the trust material for the
	 * authorization server and, for tls_client_auth, the client certificate and key.
	 */
	private String sslBundle;

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
	 * Claim whose value becomes the authenticated principal's name; sub is used when a token
	 * lacks it.
	 */
	private String principalClaimName = "sub";

	private final ClientAssertion clientAssertion = new ClientAssertion();

	private final Bearer bearer = new Bearer();

	private final Cache cache = new Cache();

	private final Audit audit = new Audit();

	private final Validation validation = new Validation();

	private final Authorities authorities = new Authorities();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getIssuerUri() {
		return this.issuerUri;
	}

	public void setIssuerUri(String issuerUri) {
		this.issuerUri = issuerUri;
	}

	public boolean isAllowInsecureHttp() {
		return this.allowInsecureHttp;
	}

	public void setAllowInsecureHttp(boolean allowInsecureHttp) {
		this.allowInsecureHttp = allowInsecureHttp;
	}

	public String getSslBundle() {
		return this.sslBundle;
	}

	public void setSslBundle(String sslBundle) {
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

	public Validation getValidation() {
		return this.validation;
	}

	public Authorities getAuthorities() {
		return this.authorities;
	}

	@Override
	public void afterPropertiesSet() {
		requirePositive("connect-timeout", this.connectTimeout);
		requirePositive("read-timeout", this.readTimeout);
		requireText("principal-claim-name", this.principalClaimName);
		requirePositive("client-assertion.lifetime", this.clientAssertion.lifetime);
		if (this.bearer.refreshBeforeExpiry == null || this.bearer.refreshBeforeExpiry.isNegative()) {
			throw invalid("bearer.refresh-before-expiry", this.bearer.refreshBeforeExpiry, "must not be negative");
		}
		requirePositive("cache.ttl", this.cache.ttl);
		requirePositive("cache.negative-ttl", this.cache.negativeTtl);
		requirePositive("cache.max-size", this.cache.maxSize);
		requirePositive("cache.negative-max-size", this.cache.negativeMaxSize);
		if (this.validation.clockSkew == null || this.validation.clockSkew.isNegative()) {
			throw invalid("validation.clock-skew", this.validation.clockSkew, "must not be negative");
		}
		if (this.validation.allowedTokenTypes.isEmpty()) {
			throw invalid("validation.allowed-token-types", "[]",
					"must name at least one access token type, or every token would be rejected");
		}
		if (this.authorities.scopeClaimNames.isEmpty()) {
			throw invalid("authorities.scope-claim-names", "[]", "must name at least one claim");
		}
		for (String path : this.authorities.roleClaimPaths) {
			if (path == null || path.isBlank() || path.startsWith(".") || path.endsWith(".") || path.contains("..")) {
				throw invalid("authorities.role-claim-paths", path,
						"must be dot-separated claim names such as realm_access.roles");
			}
		}
	}

	private static void requirePositive(String name, Duration value) {
		if (value == null || value.isNegative() || value.isZero()) {
			throw invalid(name, value, "must be a positive duration");
		}
	}

	private static void requirePositive(String name, long value) {
		if (value <= 0) {
			throw invalid(name, value, "must be greater than zero");
		}
	}

	private static void requireText(String name, String value) {
		if (value == null || value.isBlank()) {
			throw invalid(name, value, "must not be empty");
		}
	}

	private static InvalidConfigurationPropertyValueException invalid(String name, Object value, String reason) {
		return new InvalidConfigurationPropertyValueException(PREFIX + "." + name, value, reason);
	}

	/**
	 * Client assertions for client_secret_jwt and private_key_jwt (RFC 7523).
	 */
	public static class ClientAssertion {

		/**
		 * Audience (aud) of each assertion; defaults to the issuer-uri when set, otherwise
		 * to the URI of the endpoint being called.
		 */
		private String audience;

		/**
		 * How long each assertion is valid; a new one is made for every request.
		 */
		private Duration lifetime = Duration.ofSeconds(60);

		/**
		 * Location of the PEM (PKCS#8) private key that signs assertions for
		 * private_key_jwt; RS256 for an RSA key, ES256 for a P-256 EC key.
		 */
		private Resource privateKeyLocation;

		/**
		 * Name of an SSL bundle whose key store holds the private key for private_key_jwt,
		 * instead of private-key-location; the bundle's key alias picks the entry.
		 */
		private String keyBundle;

		/**
		 * Key id (kid) put in the assertion header, so the server can pick the right
		 * registered key.
		 */
		private String keyId;

		public String getAudience() {
			return this.audience;
		}

		public void setAudience(String audience) {
			this.audience = audience;
		}

		public Duration getLifetime() {
			return this.lifetime;
		}

		public void setLifetime(Duration lifetime) {
			this.lifetime = lifetime;
		}

		public Resource getPrivateKeyLocation() {
			return this.privateKeyLocation;
		}

		public void setPrivateKeyLocation(Resource privateKeyLocation) {
			this.privateKeyLocation = privateKeyLocation;
		}

		public String getKeyBundle() {
			return this.keyBundle;
		}

		public void setKeyBundle(String keyBundle) {
			this.keyBundle = keyBundle;
		}

		public String getKeyId() {
			return this.keyId;
		}

		public void setKeyId(String keyId) {
			this.keyId = keyId;
		}

	}

	/**
	 * The resource server's own access token for client-authentication-method bearer.
	 */
	public static class Bearer {

		/**
		 * Fixed token to send; when not set, a token is obtained with the client_credentials
		 * grant using the client id and secret.
		 */
		private String token;

		/**
		 * Token endpoint for the client_credentials grant; discovered from the issuer-uri
		 * when not set.
		 */
		private String tokenUri;

		/**
		 * Scope to ask for with the client_credentials grant.
		 */
		private String scope;

		/**
		 * How long before its expiry the obtained token is replaced.
		 */
		private Duration refreshBeforeExpiry = Duration.ofSeconds(30);

		public String getToken() {
			return this.token;
		}

		public void setToken(String token) {
			this.token = token;
		}

		public String getTokenUri() {
			return this.tokenUri;
		}

		public void setTokenUri(String tokenUri) {
			this.tokenUri = tokenUri;
		}

		public String getScope() {
			return this.scope;
		}

		public void setScope(String scope) {
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
	 * The audit trail: one structured log event per decision.
	 */
	public static class Audit {

		/**
		 * Whether each decision is logged on the io.github.tokenintrospection.audit logger and
		 * sent to the audit event repository when the application has one.
		 */
		private boolean enabled = true;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
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
		 * Longest time an active token's result is reused; never past the token's exp. This
		 * bounds how long a token revoked at the authorization server keeps working.
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
		 * Name of a cache of the application's CacheManager to keep active tokens in instead
		 * of the starter's own Caffeine cache; that cache's own settings then decide its
		 * size and lifetime, and entries are still never used past the token's exp.
		 */
		private String name;

		public boolean isEnabled() {
			return this.enabled;
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

		public String getName() {
			return this.name;
		}

		public void setName(String name) {
			this.name = name;
		}

	}

	/**
	 * Checks of an active token's claims, made on every request.
	 */
	public static class Validation {

		/**
		 * Tolerated difference between this service's clock and the authorization server's
		 * when checking exp, nbf and iat.
		 */
		private Duration clockSkew = Duration.ofSeconds(60);

		/**
		 * Issuers (iss) to accept; empty to accept any.
		 */
		private List<String> allowedIssuers = new ArrayList<>();

		/**
		 * Audiences of which a token's aud must name at least one; empty to skip the check.
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

}
