package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.KeyStoreException;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.Collections;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.tokenintrospection.autoconfigure.TokenIntrospectionProperties.SignedAnswers;
import io.github.tokenintrospection.client.IntrospectionResponseFormat;
import io.github.tokenintrospection.internal.discovery.AuthorizationServerMetadata;
import io.github.tokenintrospection.internal.jose.AnswerDecryption;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.jose.KeycloakJwtMemberFormat;
import io.github.tokenintrospection.internal.jose.SignatureAlgorithms;
import io.github.tokenintrospection.internal.jose.SignedAnswerFormat;
import io.github.tokenintrospection.internal.jose.SignedAnswerVerifier;
import org.jspecify.annotations.Nullable;

import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.ssl.NoSuchSslBundleException;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.boot.ssl.pem.PemContent;
import org.springframework.core.io.Resource;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.StringUtils;

/**
 * Builds the reading of signed introspection answers (RFC 9701, or Keycloak's signed
 * {@code jwt} member) from {@code token-introspection.signed-answers.*}, checking at
 * start-up that everything the verification needs is known: where the keys are, which
 * issuer and audience to expect, which algorithms to accept.
 */
final class SignedAnswersFactory {

	private static final String PREFIX = TokenIntrospectionProperties.PREFIX + ".signed-answers.";

	private SignedAnswersFactory() {
	}

	/**
	 * Returns the format, or {@code null} when signed answers are off.
	 */
	static @Nullable IntrospectionResponseFormat create(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection, @Nullable String clientId, @Nullable SslBundles sslBundles,
			Clock clock) {
		SignedAnswers signedAnswers = properties.getSignedAnswers();
		if (signedAnswers.getMode() == SignedAnswers.Mode.OFF) {
			return null;
		}
		Set<JWSAlgorithm> algorithms;
		try {
			algorithms = SignatureAlgorithms.parse(signedAnswers.getAlgorithms());
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "algorithms", signedAnswers.getAlgorithms(),
					ex.getMessage());
		}
		boolean required = signedAnswers.getMode() == SignedAnswers.Mode.REQUIRE;
		if (signedAnswers.getFormat() == SignedAnswers.Format.KEYCLOAK_JWT_MEMBER) {
			if (signedAnswers.getDecryptionKeyLocation() != null) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "decryption-key-location",
						signedAnswers.getDecryptionKeyLocation(),
						"is not used with format keycloak-jwt-member (Keycloak does not encrypt the 'jwt' member)");
			}
			if (StringUtils.hasText(signedAnswers.getDecryptionKeyBundle())) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "decryption-key-bundle",
						signedAnswers.getDecryptionKeyBundle(),
						"is not used with format keycloak-jwt-member (Keycloak does not encrypt the 'jwt' member)");
			}
			String issuer = issuer(signedAnswers, connection);
			JwksKeys keys = connection.keys(signedAnswers.getJwksUri(), jwksUri(signedAnswers, connection));
			KeycloakJwtMemberFormat format = new KeycloakJwtMemberFormat(keys.source(), algorithms, () -> issuer,
					required);
			format.setKeepEvidence(signedAnswers.isKeepEvidence());
			return format;
		}
		Duration maxAge = signedAnswers.getMaxAge();
		if (maxAge == null || maxAge.isNegative() || maxAge.isZero()) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "max-age", maxAge, "must be positive");
		}
		String issuer = issuer(signedAnswers, connection);
		String audience = StringUtils.hasText(signedAnswers.getAudience()) ? signedAnswers.getAudience() : clientId;
		if (!StringUtils.hasText(audience)) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "audience", null,
					"is needed to verify signed answers when the introspection client has no client id");
		}
		JwksKeys keys = connection.keys(signedAnswers.getJwksUri(), jwksUri(signedAnswers, connection));
		SignedAnswerVerifier verifier = new SignedAnswerVerifier(keys.source(), algorithms, () -> issuer, audience,
				maxAge, properties.getValidation().getClockSkew(), clock);
		verifier.setDecryption(decryption(signedAnswers, sslBundles));
		SignedAnswerFormat format = new SignedAnswerFormat(verifier, required);
		format.setKeepEvidence(signedAnswers.isKeepEvidence());
		return format;
	}

	private static @Nullable AnswerDecryption decryption(SignedAnswers signedAnswers, @Nullable SslBundles sslBundles) {
		String bundleName = signedAnswers.getDecryptionKeyBundle();
		if (StringUtils.hasText(bundleName)) {
			if (signedAnswers.getDecryptionKeyLocation() != null) {
				throw new InvalidConfigurationPropertyValueException(PREFIX + "decryption-key-bundle", bundleName,
						"cannot be set together with " + PREFIX + "decryption-key-location: choose one");
			}
			return bundleDecryption(bundleName, sslBundles);
		}
		return (signedAnswers.getDecryptionKeyLocation() != null)
				? pemDecryption(signedAnswers.getDecryptionKeyLocation()) : null;
	}

	/**
	 * The private key of an SSL bundle's key store: the entry named by the bundle's key
	 * alias, or its only private key.
	 */
	private static AnswerDecryption bundleDecryption(String bundleName, @Nullable SslBundles sslBundles) {
		String property = PREFIX + "decryption-key-bundle";
		if (sslBundles == null) {
			throw new InvalidConfigurationPropertyValueException(property, bundleName,
					"names an SSL bundle, but the application has no SSL bundles");
		}
		SslBundle bundle;
		try {
			bundle = sslBundles.getBundle(bundleName);
		}
		catch (NoSuchSslBundleException ex) {
			throw new InvalidConfigurationPropertyValueException(property, bundleName,
					"names no SSL bundle of spring.ssl.bundle.*");
		}
		KeyStore keyStore = bundle.getStores().getKeyStore();
		if (keyStore == null) {
			throw new InvalidConfigurationPropertyValueException(property, bundleName, "has no key store");
		}
		PrivateKey key;
		try {
			String alias = keyAlias(keyStore, bundle.getKey().getAlias());
			key = (alias != null) ? (PrivateKey) keyStore.getKey(alias, keyPassword(bundle)) : null;
		}
		catch (GeneralSecurityException | ClassCastException ex) {
			throw new InvalidConfigurationPropertyValueException(property, bundleName,
					"its private key cannot be read: " + ex.getMessage());
		}
		if (key == null) {
			throw new InvalidConfigurationPropertyValueException(property, bundleName,
					"holds no private key (or several, and no spring.ssl.bundle key alias to choose one)");
		}
		try {
			return new AnswerDecryption(key);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, bundleName, ex.getMessage());
		}
	}

	/**
	 * The key's own password, else the key store's, as Spring Boot's SSL bundles have it.
	 */
	private static char[] keyPassword(SslBundle bundle) {
		String password = bundle.getKey().getPassword();
		if (password == null) {
			password = bundle.getStores().getKeyStorePassword();
		}
		return (password != null) ? password.toCharArray() : new char[0];
	}

	private static @Nullable String keyAlias(KeyStore keyStore, @Nullable String configured) throws KeyStoreException {
		if (configured != null) {
			return keyStore.isKeyEntry(configured) ? configured : null;
		}
		String found = null;
		for (String alias : Collections.list(keyStore.aliases())) {
			if (keyStore.isKeyEntry(alias)) {
				if (found != null) {
					return null;
				}
				found = alias;
			}
		}
		return found;
	}

	private static AnswerDecryption pemDecryption(Resource location) {
		String property = PREFIX + "decryption-key-location";
		PrivateKey key;
		try (InputStream in = location.getInputStream()) {
			key = PemContent.of(new String(in.readAllBytes(), StandardCharsets.UTF_8)).getPrivateKey();
		}
		catch (IOException | IllegalStateException ex) {
			throw new InvalidConfigurationPropertyValueException(property, location,
					"cannot be read as a PEM private key: " + ex.getMessage());
		}
		if (key == null) {
			throw new InvalidConfigurationPropertyValueException(property, location, "holds no PEM private key");
		}
		try {
			return new AnswerDecryption(key);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(property, location, ex.getMessage());
		}
	}

	private static String issuer(SignedAnswers signedAnswers, AuthorizationServerConnection connection) {
		if (StringUtils.hasText(signedAnswers.getIssuer())) {
			return signedAnswers.getIssuer();
		}
		URI issuerUri = connection.issuerUri();
		if (issuerUri == null) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "issuer", null,
					"is needed to verify signed answers (the iss they must name) when "
							+ TokenIntrospectionProperties.PREFIX + ".issuer-uri is not set");
		}
		return issuerUri.toString();
	}

	private static Supplier<URI> jwksUri(SignedAnswers signedAnswers, AuthorizationServerConnection connection) {
		if (StringUtils.hasText(signedAnswers.getJwksUri())) {
			URI configured = EndpointUris.parse(PREFIX + "jwks-uri", signedAnswers.getJwksUri(),
					connection.httpsRequirement());
			return () -> configured;
		}
		Supplier<AuthorizationServerMetadata> metadata = connection.metadata();
		if (metadata == null) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "jwks-uri", null,
					"is needed to verify signed answers when " + TokenIntrospectionProperties.PREFIX
							+ ".issuer-uri is not set (its metadata's jwks_uri is used otherwise)");
		}
		return () -> {
			URI discovered = metadata.get().jwksUri();
			if (discovered == null) {
				throw new OAuth2IntrospectionException(
						"The metadata of the authorization server has no jwks_uri; set " + PREFIX + "jwks-uri");
			}
			return discovered;
		};
	}

}
