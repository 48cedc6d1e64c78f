package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.Key;
import java.security.KeyStore;
import java.security.PrivateKey;
import java.time.Clock;
import java.util.Collections;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.tokenintrospection.client.ClientAuthenticationMethod;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.internal.client.HttpsRequirement;
import io.github.tokenintrospection.internal.client.authentication.ClientCredentialsTokenSource;
import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;

/**
 * Builds the configured {@link ClientAuthentication}, failing at start-up with the name
 * of the property that is missing or wrong; one for both stacks.
 */
final class ClientAuthenticationFactory {

	private static final String PREFIX = TokenIntrospectionProperties.PREFIX + ".";

	private final TokenIntrospectionProperties properties;

	private final TokenIntrospectionConnectionDetails details;

	private final ConnectionSettingNames names;

	private final @Nullable SslBundles sslBundles;

	private final AuthorizationServerConnection connection;

	private final @Nullable URI issuerUri;

	private final @Nullable Supplier<AuthorizationServerMetadata> metadata;

	private final HttpsRequirement httpsRequirement;

	private final Clock clock;

	ClientAuthenticationFactory(TokenIntrospectionProperties properties, TokenIntrospectionConnectionDetails details,
			@Nullable SslBundles sslBundles, AuthorizationServerConnection connection, Clock clock) {
		this.properties = properties;
		this.details = details;
		this.names = new ConnectionSettingNames(details);
		this.sslBundles = sslBundles;
		this.connection = connection;
		this.issuerUri = connection.issuerUri();
		this.metadata = connection.metadata();
		this.httpsRequirement = connection.httpsRequirement();
		this.clock = clock;
	}

	/**
	 * Whether preparing an introspection request may block: discovery of the endpoint is
	 * an HTTP call of the blocking {@code RestClient}, and so may the client
	 * authentication be.
	 */
	boolean preparationMayBlock() {
		return this.connection.discoversEndpoint() || this.properties.getClientAuthenticationMethod()
			.preparationMayBlock(StringUtils.hasText(this.properties.getBearer().getToken()));
	}

	/**
	 * Creates the configured client authentication; called by the introspection client's
	 * bean only, so that an application's own client needs no credentials.
	 */
	ClientAuthentication create() {
		RestClient restClient = this.connection.restClient();
		ClientAuthenticationMethod method = this.properties.getClientAuthenticationMethod();
		TokenIntrospectionProperties.ClientAssertion assertion = this.properties.getClientAssertion();
		return switch (method) {
			case CLIENT_SECRET_BASIC -> ClientAuthentications.clientSecretBasic(clientId(), clientSecret());
			case CLIENT_SECRET_POST -> ClientAuthentications.clientSecretPost(clientId(), clientSecret());
			case CLIENT_SECRET_JWT -> ClientAuthentications.clientSecretJwt(clientId(), hs256Secret(),
					assertionAudience(), assertion.getLifetime(), this.clock);
			case PRIVATE_KEY_JWT -> privateKeyJwt(assertion);
			case TLS_CLIENT_AUTH -> tlsClientAuth();
			case BEARER -> bearer(restClient);
		};
	}

	private ClientAuthentication privateKeyJwt(TokenIntrospectionProperties.ClientAssertion assertion) {
		String clientId = clientId();
		PrivateKey privateKey = privateKey();
		try {
			return ClientAuthentications.privateKeyJwt(clientId, privateKey, assertion.getKeyId(), assertionAudience(),
					assertion.getLifetime(), this.clock);
		}
		catch (IllegalArgumentException ex) {
			// A key that was read but cannot sign (not RSA or EC, RSA under 2048 bits).
			boolean fromLocation = assertion.getPrivateKeyLocation() != null;
			throw new InvalidConfigurationPropertyValueException(
					PREFIX + (fromLocation ? "client-assertion.private-key-location" : "client-assertion.key-bundle"),
					fromLocation ? assertion.getPrivateKeyLocation() : assertion.getKeyBundle(),
					"holds a key that cannot sign client assertions: " + ex.getMessage());
		}
	}

	private ClientAuthentication tlsClientAuth() {
		if (!StringUtils.hasText(this.properties.getSslBundle())) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "ssl-bundle", null,
					"must name an SSL bundle with the client certificate for tls_client_auth");
		}
		return ClientAuthentications.tlsClientAuth(clientId());
	}

	private ClientAuthentication bearer(RestClient restClient) {
		TokenIntrospectionProperties.Bearer bearer = this.properties.getBearer();
		if (StringUtils.hasText(bearer.getToken())) {
			String token = bearer.getToken();
			return ClientAuthentications.bearer(() -> token);
		}
		ClientCredentialsTokenSource tokenSource = new ClientCredentialsTokenSource(restClient, tokenUri(bearer),
				ClientAuthentications.clientSecretBasic(clientId(), clientSecret()), bearer.getScope(),
				bearer.getRefreshBeforeExpiry(), this.clock);
		return ClientAuthentications.bearer(tokenSource);
	}

	private Supplier<URI> tokenUri(TokenIntrospectionProperties.Bearer bearer) {
		if (StringUtils.hasText(bearer.getTokenUri())) {
			URI tokenUri = EndpointUris.parse(PREFIX + "bearer.token-uri", bearer.getTokenUri(), this.httpsRequirement);
			return () -> tokenUri;
		}
		if (this.metadata == null) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "bearer.token-uri", null,
					"must be set for bearer authentication with client_credentials, unless " + PREFIX
							+ "issuer-uri is set to discover it");
		}
		return () -> {
			URI tokenEndpoint = this.metadata.get().tokenEndpoint();
			if (tokenEndpoint == null) {
				throw new OAuth2IntrospectionException("The authorization server's metadata has no token_endpoint");
			}
			return tokenEndpoint;
		};
	}

	/**
	 * The issuer when known (what most servers, Keycloak among them, expect), else the
	 * endpoint being called.
	 */
	private Function<URI, String> assertionAudience() {
		String audience = this.properties.getClientAssertion().getAudience();
		if (StringUtils.hasText(audience)) {
			return (endpoint) -> audience;
		}
		if (this.issuerUri != null) {
			String issuer = this.issuerUri.toString();
			return (endpoint) -> issuer;
		}
		return URI::toString;
	}

	private PrivateKey privateKey() {
		TokenIntrospectionProperties.ClientAssertion assertion = this.properties.getClientAssertion();
		if (assertion.getPrivateKeyLocation() != null) {
			String property = PREFIX + "client-assertion.private-key-location";
			try (InputStream in = assertion.getPrivateKeyLocation().getInputStream()) {
				PrivateKey key = PemContent.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getPrivateKey();
				if (key == null) {
					throw new InvalidConfigurationPropertyValueException(property, assertion.getPrivateKeyLocation(),
							"holds no PEM private key");
				}
				return key;
			}
			catch (IOException | IllegalStateException ex) {
				throw new InvalidConfigurationPropertyValueException(property, assertion.getPrivateKeyLocation(),
						"cannot be read as a PEM private key: " + ex.getMessage());
			}
		}
		if (StringUtils.hasText(assertion.getKeyBundle())) {
			return privateKeyFromBundle(assertion.getKeyBundle());
		}
		throw new InvalidConfigurationPropertyValueException(PREFIX + "client-assertion.private-key-location", null,
				"must be set (or " + PREFIX + "client-assertion.key-bundle) for private_key_jwt");
	}

	private PrivateKey privateKeyFromBundle(String name) {
		String property = PREFIX + "client-assertion.key-bundle";
		SslBundle bundle = sslBundle(this.sslBundles, property, name);
		KeyStore keyStore = bundle.getStores().getKeyStore();
		String password = bundle.getStores().getKeyStorePassword();
		try {
			String alias = bundle.getKey().getAlias();
			if (alias == null && keyStore != null) {
				alias = Collections.list(keyStore.aliases())
					.stream()
					.filter((a) -> isKeyEntry(keyStore, a))
					.findFirst()
					.orElse(null);
			}
			String keyPassword = (bundle.getKey().getPassword() != null) ? bundle.getKey().getPassword() : password;
			Key key = (alias != null) ? keyStore.getKey(alias, (keyPassword != null) ? keyPassword.toCharArray() : null)
					: null;
			if (key instanceof PrivateKey privateKey) {
				return privateKey;
			}
		}
		catch (GeneralSecurityException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"its key store's private key cannot be read: " + ex.getMessage());
		}
		throw new InvalidConfigurationPropertyValueException(property, name, "its key store holds no private key");
	}

	private static boolean isKeyEntry(KeyStore keyStore, String alias) {
		try {
			return keyStore.isKeyEntry(alias);
		}
		catch (GeneralSecurityException ex) {
			return false;
		}
	}

	static SslBundle sslBundle(@Nullable SslBundles sslBundles, String property, String name) {
		if (sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException(property, name, "no SSL bundles are configured");
		}
		try {
			return sslBundles.getBundle(name);
		}
		catch (RuntimeException ex) {
			throw new InvalidConfigurationPropertyValueException(property, name,
					"is not a usable SSL bundle (spring.ssl.bundle.*): " + ex.getMessage());
		}
	}

	private String hs256Secret() {
		String secret = clientSecret();
		if (secret.getBytes(StandardCharsets.UTF_8).length < 32) {
			throw new InvalidConfigurationPropertyValueException(this.names.clientSecret(), "[hidden]",
					"must be at least 32 bytes long to sign client_secret_jwt assertions with HS256");
		}
		return secret;
	}

	private String clientId() {
		return required(this.names.clientId(), this.details.getClientId());
	}

	private String clientSecret() {
		return required(this.names.clientSecret(), this.details.getClientSecret());
	}

	/** A placeholder that Spring could not resolve, left as text. */
	private static final Pattern UNRESOLVED_PLACEHOLDER = Pattern.compile("\\$\\{([^}:]+)(?::[^}]*)?\\}");

	/** The method as the property is written: its RFC 8414 name, or {@code bearer}. */
	private String methodName() {
		String metadataName = this.properties.getClientAuthenticationMethod().metadataName();
		return (metadataName != null) ? metadataName : "bearer";
	}

	private String required(String name, @Nullable String value) {
		if (!StringUtils.hasText(value)) {
			throw new InvalidConfigurationPropertyValueException(name, null,
					"must be set for " + PREFIX + "client-authentication-method=" + methodName());
		}
		Matcher placeholder = UNRESOLVED_PLACEHOLDER.matcher(value);
		if (placeholder.find()) {
			// Spring leaves a placeholder it cannot resolve as text: the server would get
			// "${...}" as the credential, and every uncached token would get 503.
			throw new InvalidConfigurationPropertyValueException(name, placeholder.group(),
					"is an unresolved placeholder: set " + placeholder.group(1)
							+ " (an environment variable or property), or give the placeholder a default");
		}
		return value;
	}

}
