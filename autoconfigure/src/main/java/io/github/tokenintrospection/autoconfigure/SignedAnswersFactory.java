package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.io.InputStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
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
			AuthorizationServerConnection connection, @Nullable String clientId, Clock clock) {
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
			String issuer = issuer(signedAnswers, connection);
			JwksKeys keys = connection.keys(signedAnswers.getJwksUri(), jwksUri(signedAnswers, connection));
			return new KeycloakJwtMemberFormat(keys.source(), algorithms, () -> issuer, required);
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
		if (signedAnswers.getDecryptionKeyLocation() != null) {
			verifier.setDecryption(decryption(signedAnswers.getDecryptionKeyLocation()));
		}
		return new SignedAnswerFormat(verifier, required);
	}

	private static AnswerDecryption decryption(Resource location) {
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
