package io.github.tokenintrospection.internal.jose;

import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Map;

import com.nimbusds.jose.EncryptionMethod;
import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWEAlgorithm;
import com.nimbusds.jose.JWEHeader;
import com.nimbusds.jose.JWEObject;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.Payload;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSAEncrypter;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.MockResponse;

/**
 * Signs introspection answers as an RFC 9701 authorization server does, and as hostile
 * ones do: the fixtures of the signed-answer tests.
 */
public final class SignedAnswers {

	public static final String ISSUER = "https://as.example/realms/notes";

	public static final String AUDIENCE = "notes-api";

	public static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"exp\":4102444800,"
			+ "\"token_type\":\"Bearer\",\"scope\":\"read\"}";

	private final RSAKey key;

	public SignedAnswers(String keyId) {
		this.key = generate(keyId);
	}

	public RSAKey key() {
		return this.key;
	}

	/** The key set to publish: the public half of the key. */
	public String jwks() {
		return new JWKSet(this.key.toPublicJWK()).toString();
	}

	public MockResponse jwksResponse() {
		return new MockResponse.Builder().addHeader("Content-Type", "application/jwk-set+json").body(jwks()).build();
	}

	/** A valid signed answer carrying the given introspection response. */
	public String sign(String tokenIntrospection, Instant issuedAt) {
		return sign(this.key, JWSAlgorithm.RS256, SignedAnswerVerifier.TYPE,
				claims(ISSUER, AUDIENCE, issuedAt, tokenIntrospection));
	}

	/**
	 * A valid signed answer whose member is written as given, byte for byte (duplicate
	 * keys, out-of-range numbers and all).
	 */
	public String signRaw(String tokenIntrospection, Instant issuedAt) {
		String payload = "{\"iss\":\"" + ISSUER + "\",\"aud\":\"" + AUDIENCE + "\",\"iat\":" + issuedAt.getEpochSecond()
				+ ",\"token_introspection\":" + tokenIntrospection + "}";
		try {
			JWSObject jws = new JWSObject(new JWSHeader.Builder(JWSAlgorithm.RS256).type(SignedAnswerVerifier.TYPE)
				.keyID(this.key.getKeyID())
				.build(), new Payload(payload));
			jws.sign(new RSASSASigner(this.key));
			return jws.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public String sign(RSAKey signingKey, JWSAlgorithm algorithm, JOSEObjectType type, JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(
					new JWSHeader.Builder(algorithm).type(type).keyID(signingKey.getKeyID()).build(), claims);
			jwt.sign(new RSASSASigner(signingKey));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Encrypts a signed answer for the resource server's key, as RFC 9701 nests them. */
	public static String encrypt(String signedAnswer, RSAKey recipient, JWEAlgorithm algorithm) {
		try {
			JWEObject jwe = new JWEObject(
					new JWEHeader.Builder(algorithm, EncryptionMethod.A128CBC_HS256).contentType("JWT")
						.type(SignedAnswerVerifier.TYPE)
						.build(),
					new Payload(SignedJWT.parse(signedAnswer)));
			jwe.encrypt(new RSAEncrypter(recipient.toRSAPublicKey()));
			return jwe.serialize();
		}
		catch (JOSEException | java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Encrypts a signed answer for an EC key (ECDH-ES+A256KW), such as the one of the
	 * resource server's certificate.
	 */
	public static String encrypt(String signedAnswer, java.security.interfaces.ECPublicKey recipient) {
		try {
			JWEObject jwe = new JWEObject(
					new JWEHeader.Builder(JWEAlgorithm.ECDH_ES_A256KW, EncryptionMethod.A128CBC_HS256)
						.contentType("JWT")
						.type(SignedAnswerVerifier.TYPE)
						.build(),
					new Payload(SignedJWT.parse(signedAnswer)));
			jwe.encrypt(new com.nimbusds.jose.crypto.ECDHEncrypter(recipient));
			return jwe.serialize();
		}
		catch (JOSEException | java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The HS256 confusion attack: an HMAC keyed with the server's public key. */
	public String signWithHmacOverPublicKey(JWTClaimsSet claims) {
		try {
			SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(SignedAnswerVerifier.TYPE)
				.keyID(this.key.getKeyID())
				.build(), claims);
			jwt.sign(new MACSigner(this.key.toPublicJWK().toRSAPublicKey().getEncoded()));
			return jwt.serialize();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unsecured JWT ({@code alg: none}) with the answer's type. */
	public static String unsigned(JWTClaimsSet claims) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		String header = "{\"alg\":\"none\",\"typ\":\"token-introspection+jwt\"}";
		return encoder.encodeToString(header.getBytes()) + "." + encoder.encodeToString(claims.toString().getBytes())
				+ ".";
	}

	public static JWTClaimsSet claims(String issuer, String audience, Instant issuedAt, String tokenIntrospection) {
		try {
			Map<String, Object> member = com.nimbusds.jose.util.JSONObjectUtils.parse(tokenIntrospection);
			return new JWTClaimsSet.Builder().issuer(issuer)
				.audience(List.of(audience))
				.issueTime(Date.from(issuedAt))
				.claim("token_introspection", member)
				.build();
		}
		catch (java.text.ParseException ex) {
			throw new IllegalArgumentException(ex);
		}
	}

	public static MockResponse answer(String jwt) {
		return new MockResponse.Builder().addHeader("Content-Type", "application/token-introspection+jwt")
			.body(jwt)
			.build();
	}

	static RSAKey generate(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

}
