package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

import io.github.tokenintrospection.internal.client.HttpsRequirement;
import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadataResolver;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.reactive.IntrospectionConnectors;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * How the starter reaches the authorization server: the HTTP client (timeouts, TLS, no
 * redirects), the checked endpoint URIs, and the metadata resolver when an issuer is
 * configured. One instance serves introspection, discovery, token requests and health.
 */
final class AuthorizationServerConnection {

	static final String OPAQUETOKEN_PREFIX = ConnectionSettingNames.OPAQUETOKEN_PREFIX;

	private final RestClient restClient;

	private final HttpClient httpClient;

	private final Duration connectTimeout;

	private final Duration readTimeout;

	private final @Nullable SslBundle sslBundle;

	private final HttpsRequirement httpsRequirement;

	private final @Nullable URI introspectionUri;

	private final @Nullable URI issuerUri;

	private final @Nullable AuthorizationServerMetadataResolver metadata;

	private final Map<String, JwksKeys> keys = new ConcurrentHashMap<>();

	/** Prefix of this server's properties, for messages raised after start-up. */
	private final String propertyPrefix;

	private AuthorizationServerConnection(RestClient restClient, HttpClient httpClient, Duration connectTimeout,
			Duration readTimeout, @Nullable SslBundle sslBundle, HttpsRequirement httpsRequirement,
			@Nullable URI introspectionUri, @Nullable URI issuerUri,
			@Nullable AuthorizationServerMetadataResolver metadata, String propertyPrefix) {
		this.propertyPrefix = propertyPrefix;
		this.restClient = restClient;
		this.httpClient = httpClient;
		this.connectTimeout = connectTimeout;
		this.readTimeout = readTimeout;
		this.sslBundle = sslBundle;
		this.httpsRequirement = httpsRequirement;
		this.introspectionUri = introspectionUri;
		this.issuerUri = issuerUri;
		this.metadata = metadata;
	}

	static AuthorizationServerConnection create(TokenIntrospectionConnectionDetails details,
			TokenIntrospectionProperties properties, RestClient.Builder restClientBuilder,
			@Nullable SslBundles sslBundles) {
		HttpsRequirement httpsRequirement = new HttpsRequirement(properties.isAllowInsecureHttp());
		ConnectionSettingNames names = new ConnectionSettingNames(details);
		URI introspectionUri = optionalUri(names.introspectionUri(), details.getIntrospectionUri(), httpsRequirement);
		URI issuerUri = optionalUri(names.issuerUri(), details.getIssuerUri(), httpsRequirement);
		if (introspectionUri == null && issuerUri == null) {
			throw new InvalidConfigurationPropertyValueException(names.introspectionUri(), null,
					"must be set, or " + names.issuerUri() + " to discover the endpoint");
		}
		SslBundle sslBundle = StringUtils.hasText(properties.getSslBundle()) ? ClientAuthenticationFactory.sslBundle(
				sslBundles, TokenIntrospectionProperties.PREFIX + ".ssl-bundle", properties.getSslBundle()) : null;
		HttpClient httpClient = httpClient(properties, sslBundle);
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(properties.getReadTimeout());
		RestClient restClient = restClientBuilder.requestFactory(requestFactory).build();
		AuthorizationServerMetadataResolver metadata = (issuerUri != null)
				? new AuthorizationServerMetadataResolver(restClient, issuerUri,
						properties.getClientAuthenticationMethod().metadataName(), httpsRequirement)
				: null;
		return new AuthorizationServerConnection(restClient, httpClient, properties.getConnectTimeout(),
				properties.getReadTimeout(), sslBundle, httpsRequirement, introspectionUri, issuerUri, metadata,
				(details instanceof NamedServerConnectionDetails named) ? named.prefix()
						: TokenIntrospectionProperties.PREFIX + ".");
	}

	RestClient restClient() {
		return this.restClient;
	}

	/**
	 * The JDK HTTP client behind {@link #restClient()}, which the reactive pipeline's
	 * {@code WebClient} uses too when Reactor Netty is not on the class path.
	 */
	HttpClient httpClient() {
		return this.httpClient;
	}

	Duration readTimeout() {
		return this.readTimeout;
	}

	/** Whether finding the introspection endpoint may call the server (discovery). */
	boolean discoversEndpoint() {
		return this.introspectionUri == null;
	}

	HttpsRequirement httpsRequirement() {
		return this.httpsRequirement;
	}

	@Nullable URI issuerUri() {
		return this.issuerUri;
	}

	/**
	 * The metadata of the configured issuer, fetched on first use; {@code null} without
	 * one.
	 */
	@Nullable Supplier<AuthorizationServerMetadata> metadata() {
		return this.metadata;
	}

	/** The configured introspection endpoint, or the discovered one. */
	Supplier<URI> introspectionEndpoint() {
		URI configured = this.introspectionUri;
		return (configured != null) ? () -> configured : () -> this.metadata.get().introspectionEndpoint();
	}

	/**
	 * The issuer's JWKS location: the configured one, checked now, or the discovered
	 * {@code jwks_uri}, found on first use.
	 * @param configured the value of {@code token-introspection.jwt.jwk-set-uri}, or
	 * {@code null}
	 */
	Supplier<URI> jwkSetUri(@Nullable String configured) {
		URI uri = optionalUri(this.propertyPrefix + "jwt.jwk-set-uri", configured, this.httpsRequirement);
		if (uri != null) {
			return () -> uri;
		}
		return () -> {
			URI discovered = this.metadata.get().jwksUri();
			if (discovered == null) {
				throw new IllegalStateException("The metadata of " + this.issuerUri + " has no jwks_uri: set "
						+ this.propertyPrefix + "jwt.jwk-set-uri");
			}
			return discovered;
		};
	}

	/**
	 * The server's signing keys at a location, one instance per location, so that the
	 * local JWT path and signed answers fetch and cache a shared key set once.
	 * @param configured the configured location, or {@code null} for the discovered
	 * {@code jwks_uri}
	 * @param location resolves the location (checked by the caller, whose property it is)
	 * @return the keys
	 */
	JwksKeys keys(@Nullable String configured, Supplier<URI> location) {
		String key = StringUtils.hasText(configured) ? configured.strip() : "";
		return this.keys.computeIfAbsent(key, (ignored) -> new JwksKeys(this.restClient, location));
	}

	/**
	 * The introspection endpoint as far as it is known, without calling the network: the
	 * configured one, the discovered one, or the issuer whose metadata will name it.
	 */
	String knownIntrospectionEndpoint() {
		if (this.introspectionUri != null) {
			return this.introspectionUri.toString();
		}
		AuthorizationServerMetadata resolved = (this.metadata != null) ? this.metadata.resolved() : null;
		return (resolved != null) ? resolved.introspectionEndpoint().toString() : "discovery:" + this.issuerUri;
	}

	/**
	 * The transport of the reactive pipeline, with the same timeouts, TLS material and
	 * redirect policy as {@link #httpClient()}: Reactor Netty's client where it is on the
	 * class path (a WebFlux application on Netty), otherwise {@link #httpClient()}
	 * itself; chosen as for a pipeline wired by hand ({@link IntrospectionConnectors}).
	 */
	ClientHttpConnector reactiveConnector() {
		return IntrospectionConnectors.create(this.connectTimeout, this.readTimeout, this.sslBundle,
				() -> this.httpClient);
	}

	private static HttpClient httpClient(TokenIntrospectionProperties properties, @Nullable SslBundle sslBundle) {
		HttpClient.Builder httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(properties.getConnectTimeout())
			// A redirect could carry the token to another host.
			.followRedirects(HttpClient.Redirect.NEVER);
		if (sslBundle != null) {
			// Trust for a private CA and, for tls_client_auth, the client certificate.
			httpClient.sslContext(sslBundle.createSslContext());
		}
		return httpClient.build();
	}

	private static @Nullable URI optionalUri(String property, @Nullable String value,
			HttpsRequirement httpsRequirement) {
		return StringUtils.hasText(value) ? EndpointUris.parse(property, value, httpsRequirement) : null;
	}

}
