package io.github.tokenintrospection.internal.jose;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Date;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.EncryptedJWT;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Verifies a signed introspection answer (RFC 9701) and returns its
 * {@code token_introspection} member, for the same strict parsing as a plain JSON answer.
 * <p>
 * Verified: a JWS (never an unsecured JWT) in compact form, or a JWE holding one when a
 * decryption key is set ({@link AnswerDecryption}); its {@code alg} from the allow-list
 * (which holds no {@code none} and no HMAC, see {@link SignatureAlgorithms}); its
 * {@code typ} {@code token-introspection+jwt}; its signature by a key of the
 * authorization server's key set (an unknown {@code kid} makes the set be fetched again,
 * rate-limited); {@code iss} equal to the authorization server's issuer; {@code aud}
 * naming this resource server; {@code iat} present and fresh; {@code exp} and {@code nbf}
 * when present. The header and the payload are read with duplicate keys refused, so that
 * two readers cannot see two different answers. Every failure is an
 * {@link OAuth2IntrospectionException}: a server fault, never an inactive token, never
 * cached.
 */
public final class SignedAnswerVerifier {

	static final JOSEObjectType TYPE = new JOSEObjectType("token-introspection+jwt");

	private static final String MEMBER = "token_introspection";

	private final JsonMapper jsonMapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	private final Supplier<String> issuer;

	private final String audience;

	private final Duration maxAge;

	private final Duration clockSkew;

	private final Clock clock;

	private volatile @Nullable AnswerDecryption decryption;

	/**
	 * Creates a verifier.
	 * @param keys the authorization server's keys
	 * @param algorithms the signature algorithms accepted
	 * @param issuer gives the authorization server's issuer identifier (it may be
	 * discovered)
	 * @param audience the value of {@code aud} that identifies this resource server
	 * @param maxAge the oldest {@code iat} accepted
	 * @param clockSkew the tolerance between the servers' clocks
	 * @param clock the clock that tells now
	 */
	public SignedAnswerVerifier(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms, Supplier<String> issuer,
			String audience, Duration maxAge, Duration clockSkew, Clock clock) {
		Assert.notNull(keys, "keys must not be null");
		SignatureAlgorithms.check(algorithms);
		Assert.hasText(audience, "audience must not be empty");
		this.issuer = issuer;
		this.audience = audience;
		this.maxAge = maxAge;
		this.clockSkew = clockSkew;
		this.clock = clock;
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
		this.processor.setJWSTypeVerifier(
				new DefaultJOSEObjectTypeVerifier<>(TYPE, new JOSEObjectType("application/token-introspection+jwt")));
		this.processor.setJWTClaimsSetVerifier(new ClaimsVerifier());
	}

	/**
	 * Sets how encrypted answers are decrypted; without it, they are refused.
	 * @param decryption the decryption with the resource server's key, or {@code null}
	 */
	public void setDecryption(@Nullable AnswerDecryption decryption) {
		this.decryption = decryption;
	}

	/**
	 * Verifies a signed answer.
	 * @param body the answer's body: a JWT in compact form
	 * @return the {@code token_introspection} member, a JSON object read without
	 * duplicate keys
	 * @throws OAuth2IntrospectionException when the answer is malformed or fails
	 * verification
	 */
	public ObjectNode verify(byte[] body) {
		SignedJWT jwt = signedJwt(body, this.decryption);
		strictObject(jwt.getHeader().toBase64URL().decode(), "header");
		JsonNode payload = strictObject(jwt.getPayload().toBytes(), "payload");
		try {
			this.processor.process(jwt, null);
		}
		catch (BadJOSEException | JOSEException ex) {
			throw rejected(ex.getMessage());
		}
		catch (RuntimeException ex) {
			// Nimbus on hostile input: never an escape route past verification.
			throw rejected(ex.getClass().getSimpleName());
		}
		if (!(payload.get(MEMBER) instanceof ObjectNode member)) {
			throw rejected("it has no '" + MEMBER + "' object");
		}
		return member;
	}

	private static SignedJWT signedJwt(byte[] body, @Nullable AnswerDecryption decryption) {
		String compact = new String(body, StandardCharsets.US_ASCII).strip();
		JWT jwt;
		try {
			jwt = JWTParser.parse(compact);
		}
		catch (ParseException | RuntimeException ex) {
			throw rejected("it is not a JWT (" + ex.getClass().getSimpleName() + ")");
		}
		if (jwt instanceof SignedJWT signed) {
			return signed;
		}
		if (jwt instanceof EncryptedJWT encrypted) {
			if (decryption == null) {
				throw rejected("it is encrypted, and no decryption key is configured");
			}
			return decryption.decrypt(encrypted);
		}
		throw rejected("it is not signed (" + jwt.getClass().getSimpleName() + ")");
	}

	private JsonNode strictObject(byte @Nullable [] json, String part) {
		try {
			JsonNode node = (json != null) ? this.jsonMapper.readTree(json) : null;
			if (node == null || !node.isObject()) {
				throw rejected("its " + part + " is not a JSON object");
			}
			return node;
		}
		catch (JacksonException ex) {
			throw rejected("its " + part + " is not strict JSON (" + ex.getOriginalMessage() + ")");
		}
	}

	private static OAuth2IntrospectionException rejected(@Nullable String reason) {
		return new OAuth2IntrospectionException("Signed introspection answer rejected: " + reason);
	}

	private final class ClaimsVerifier implements JWTClaimsSetVerifier<SecurityContext> {

		@Override
		public void verify(JWTClaimsSet claims, @Nullable SecurityContext context) throws BadJWTException {
			String expectedIssuer = SignedAnswerVerifier.this.issuer.get();
			if (!expectedIssuer.equals(claims.getIssuer())) {
				throw new BadJWTException("iss is " + claims.getIssuer() + ", not " + expectedIssuer);
			}
			List<String> audience = claims.getAudience();
			if (!audience.contains(SignedAnswerVerifier.this.audience)) {
				throw new BadJWTException("aud " + audience + " does not name " + SignedAnswerVerifier.this.audience);
			}
			Instant now = SignedAnswerVerifier.this.clock.instant();
			Duration skew = SignedAnswerVerifier.this.clockSkew;
			Date issuedAt = claims.getIssueTime();
			if (issuedAt == null) {
				throw new BadJWTException("iat is missing");
			}
			if (issuedAt.toInstant().isBefore(now.minus(SignedAnswerVerifier.this.maxAge).minus(skew))) {
				throw new BadJWTException(
						"iat " + issuedAt.toInstant() + " is older than " + SignedAnswerVerifier.this.maxAge);
			}
			if (issuedAt.toInstant().isAfter(now.plus(skew))) {
				throw new BadJWTException("iat " + issuedAt.toInstant() + " is in the future");
			}
			Date expiresAt = claims.getExpirationTime();
			if (expiresAt != null && !expiresAt.toInstant().plus(skew).isAfter(now)) {
				throw new BadJWTException("the answer expired at " + expiresAt.toInstant());
			}
			Date notBefore = claims.getNotBeforeTime();
			if (notBefore != null && notBefore.toInstant().minus(skew).isAfter(now)) {
				throw new BadJWTException("the answer is not valid before " + notBefore.toInstant());
			}
		}

	}

}
