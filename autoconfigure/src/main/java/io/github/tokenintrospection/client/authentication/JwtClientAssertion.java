package io.github.tokenintrospection.client.authentication;

import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.security.PrivateKey;
import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.RSAPrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.UUID;
import java.util.function.Function;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.impl.ECDSA;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

import org.springframework.http.HttpHeaders;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * RFC 7523 client assertion: a fresh short-lived JWT per request ({@code iss} and
 * {@code sub} the client id, a unique {@code jti}), signed with Nimbus JOSE.
 */
final class JwtClientAssertion implements ClientAuthentication {

	static final String ASSERTION_TYPE = "urn:ietf:params:oauth:client-assertion-type:jwt-bearer";

	private static final int HS256_MIN_KEY_BYTES = 32;

	private final String clientId;

	private final JWSSigner signer;

	private final JWSHeader header;

	private final Function<URI, String> audience;

	private final Duration lifetime;

	private final Clock clock;

	JwtClientAssertion(String clientId, JWSSigner signer, JWSAlgorithm algorithm, @Nullable String keyId,
			Function<URI, String> audience, Duration lifetime, Clock clock) {
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.notNull(audience, "audience must not be null");
		Assert.isTrue(lifetime != null && !lifetime.isNegative() && !lifetime.isZero(), "lifetime must be positive");
		Assert.notNull(clock, "clock must not be null");
		this.clientId = clientId;
		this.signer = signer;
		this.header = new JWSHeader.Builder(algorithm).keyID(keyId).build();
		this.audience = audience;
		this.lifetime = lifetime;
		this.clock = clock;
	}

	@Override
	public void authenticate(URI endpoint, HttpHeaders headers, MultiValueMap<String, String> form) {
		Instant now = this.clock.instant();
		JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer(this.clientId)
			.subject(this.clientId)
			.audience(this.audience.apply(endpoint))
			.jwtID(UUID.randomUUID().toString())
			.issueTime(Date.from(now))
			.expirationTime(Date.from(now.plus(this.lifetime)))
			.build();
		SignedJWT jwt = new SignedJWT(this.header, claims);
		try {
			jwt.sign(this.signer);
		}
		catch (JOSEException ex) {
			throw new OAuth2IntrospectionException("Could not sign the client assertion: " + ex.getMessage(), ex);
		}
		form.set("client_id", this.clientId);
		form.set("client_assertion_type", ASSERTION_TYPE);
		form.set("client_assertion", jwt.serialize());
	}

	static JWSSigner macSigner(String secret) {
		Assert.hasText(secret, "clientSecret must not be empty");
		byte[] key = secret.getBytes(StandardCharsets.UTF_8);
		Assert.isTrue(key.length >= HS256_MIN_KEY_BYTES,
				"client secret must be at least " + HS256_MIN_KEY_BYTES + " bytes long to sign with HS256");
		try {
			return new MACSigner(key);
		}
		catch (JOSEException ex) {
			throw new IllegalArgumentException("client secret cannot sign with HS256: " + ex.getMessage(), ex);
		}
	}

	static JWSSigner signer(PrivateKey privateKey) {
		Assert.notNull(privateKey, "privateKey must not be null");
		if (privateKey instanceof RSAPrivateKey rsa) {
			return new RSASSASigner(rsa);
		}
		if (privateKey instanceof ECPrivateKey ec) {
			try {
				return new ECDSASigner(ec);
			}
			catch (JOSEException ex) {
				throw new IllegalArgumentException("EC key cannot sign: " + ex.getMessage(), ex);
			}
		}
		throw new IllegalArgumentException("private key must be an RSA or EC key, not " + privateKey.getAlgorithm());
	}

	static JWSAlgorithm algorithm(PrivateKey privateKey) {
		if (privateKey instanceof ECPrivateKey ec) {
			try {
				// ES256 for P-256, ES384 for P-384, ES512 for P-521.
				return ECDSA.resolveAlgorithm(ec);
			}
			catch (JOSEException ex) {
				throw new IllegalArgumentException("EC key of an unsupported curve: " + ex.getMessage(), ex);
			}
		}
		return JWSAlgorithm.RS256;
	}

}
