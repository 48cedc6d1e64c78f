package io.github.tokenintrospection.internal.jose;

import java.text.ParseException;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.DefaultJOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.BadJWTException;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.IntrospectionResponseFormat;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.client.IntrospectionResponseReader;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.core.StreamReadFeature;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;
import tools.jackson.databind.node.ObjectNode;

import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Keycloak's proprietary proof in an introspection answer: asked with
 * {@code Accept: application/jwt} by a client whose attribute
 * {@code client.introspection.response.allow.jwt.claim.enabled} is on, Keycloak adds to
 * an active JSON answer a {@code jwt} member, the token's claims signed by the realm's
 * key. Keycloak does not implement RFC 9701; this is the closest it comes.
 * <p>
 * Verified: a compact JWS (never unsecured, never encrypted) whose {@code alg} is on the
 * allow-list, whose {@code typ} is {@code JWT} or {@code at+jwt}, signed by a key of the
 * realm's key set, whose {@code iss} is the realm, and whose {@code jti} equals the
 * {@code jti} of the token that was introspected (so that another token's proof cannot be
 * pasted in). Then the signed claims are the answer: each member the plain answer also
 * has must agree with them, and the members only the plain answer has ({@code active},
 * {@code client_id}, {@code username}, {@code token_type}) are kept. The {@code jwt}
 * member itself is never kept (it is a copy of the token).
 * <p>
 * A member that fails verification or disagrees with the answer is a server fault (503,
 * not cached) in either mode. An active answer without a member, or for a token without a
 * {@code jti} to bind it to, is read as plain JSON when the proof is preferred and
 * refused when it is required. Inactive answers carry no member and need none.
 */
public final class KeycloakJwtMemberFormat implements IntrospectionResponseFormat {

	/** What Keycloak must be asked with, exactly: it compares the whole header. */
	public static final MediaType APPLICATION_JWT = MediaType.parseMediaType("application/jwt");

	private static final String MEMBER = "jwt";

	private static final Log logger = LogFactory.getLog(KeycloakJwtMemberFormat.class);

	private final JsonMapper jsonMapper = JsonMapper.builder()
		.enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION)
		.build();

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	private final IntrospectionResponseReader reader = new IntrospectionResponseReader();

	private final Supplier<String> issuer;

	private final boolean required;

	private final AtomicBoolean missingProofReported = new AtomicBoolean();

	private volatile boolean keepEvidence;

	/**
	 * Creates the format.
	 * @param keys the realm's keys
	 * @param algorithms the signature algorithms accepted
	 * @param issuer gives the realm's issuer identifier (it may be discovered)
	 * @param required whether an active answer without a verified member is refused
	 */
	public KeycloakJwtMemberFormat(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms,
			Supplier<String> issuer, boolean required) {
		Assert.notNull(keys, "keys must not be null");
		Assert.notNull(issuer, "issuer must not be null");
		SignatureAlgorithms.check(algorithms);
		this.issuer = issuer;
		this.required = required;
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(algorithms, keys));
		this.processor.setJWSTypeVerifier(new DefaultJOSEObjectTypeVerifier<>(JOSEObjectType.JWT,
				new JOSEObjectType("at+jwt"), new JOSEObjectType("application/at+jwt")));
		this.processor.setJWTClaimsSetVerifier((claims, context) -> {
			String expected = this.issuer.get();
			if (!expected.equals(claims.getIssuer())) {
				throw new BadJWTException("iss is " + claims.getIssuer() + ", not " + expected);
			}
		});
	}

	/**
	 * Sets whether the SHA-256 of each verified member is kept with its result (never the
	 * member itself: it is a copy of the token).
	 * @param keepEvidence whether to keep the digest
	 */
	public void setKeepEvidence(boolean keepEvidence) {
		this.keepEvidence = keepEvidence;
	}

	@Override
	public List<MediaType> acceptedMediaTypes() {
		return List.of(APPLICATION_JWT);
	}

	@Override
	public IntrospectedToken read(@Nullable MediaType contentType, byte[] body) {
		return read(contentType, body, null);
	}

	@Override
	public IntrospectedToken read(@Nullable MediaType contentType, byte[] body, @Nullable String token) {
		if (contentType != null && !IntrospectionResponseReader.isJson(contentType)) {
			throw new OAuth2IntrospectionException("Introspection endpoint answered with content type " + contentType);
		}
		ObjectNode answer = this.reader.readObject(body);
		JsonNode member = answer.remove(MEMBER);
		JsonNode active = answer.get("active");
		if (active == null || !active.isBoolean() || !active.booleanValue()) {
			// Inactive (or malformed: the reader says why): nothing to prove.
			return this.reader.read(answer);
		}
		String tokenId = (token != null) ? jwtId(token) : null;
		if (member == null || !member.isString() || tokenId == null) {
			return unproven(answer, (member == null) ? "it has no 'jwt' member" : (tokenId == null)
					? "the token has no jti to bind the 'jwt' member to" : "its 'jwt' member is not a string");
		}
		ObjectNode signedClaims = verify(member.stringValue(), tokenId);
		for (Map.Entry<String, JsonNode> claim : signedClaims.properties()) {
			JsonNode plain = answer.get(claim.getKey());
			if (plain != null && !plain.equals(claim.getValue())) {
				throw rejected("the answer and its 'jwt' member disagree on '" + claim.getKey() + "'");
			}
			answer.set(claim.getKey(), claim.getValue());
		}
		IntrospectedToken read = this.reader.read(answer);
		IntrospectedToken proven = this.keepEvidence
				? read.asSignedAnswer(TokenHash.sha256Hex(member.stringValue()), null) : read.asSignedAnswer();
		this.missingProofReported.set(false);
		return proven;
	}

	@Override
	public boolean readMayBlock(@Nullable MediaType contentType) {
		// Verifying may fetch the realm's keys.
		return true;
	}

	private IntrospectedToken unproven(ObjectNode answer, String why) {
		if (this.required) {
			if (this.missingProofReported.compareAndSet(false, true)) {
				logger.error("An active introspection answer came without a verifiable 'jwt' member (" + why
						+ "), but token-introspection.signed-answers.mode is 'require': such tokens get 503 until"
						+ " the introspecting client has Keycloak's attribute"
						+ " client.introspection.response.allow.jwt.claim.enabled, or the mode is 'prefer'.");
			}
			throw rejected(why);
		}
		return this.reader.read(answer);
	}

	private ObjectNode verify(String compact, String tokenId) {
		SignedJWT jwt;
		try {
			jwt = SignedJWT.parse(compact);
		}
		catch (ParseException | RuntimeException ex) {
			throw rejected("its 'jwt' member is not a signed JWT (" + ex.getClass().getSimpleName() + ")");
		}
		strictObject(jwt.getHeader().toBase64URL().decode(), "The 'jwt' member's header");
		ObjectNode claims = strictObject(jwt.getPayload().toBytes(), "The 'jwt' member's payload");
		try {
			this.processor.process(jwt, null);
		}
		catch (BadJOSEException | JOSEException ex) {
			throw rejected("its 'jwt' member failed verification: " + ex.getMessage());
		}
		catch (RuntimeException ex) {
			// Nimbus on hostile input: never an escape route past verification.
			throw rejected("its 'jwt' member failed verification (" + ex.getClass().getSimpleName() + ")");
		}
		JsonNode jti = claims.get("jti");
		if (jti == null || !jti.isString() || !tokenId.equals(jti.stringValue())) {
			throw rejected("its 'jwt' member is not about the introspected token (jti)");
		}
		return claims;
	}

	/** The {@code jti} of a token that is a signed JWT, read without verifying it. */
	private static @Nullable String jwtId(String token) {
		try {
			Object jti = SignedJWT.parse(token).getPayload().toJSONObject().get("jti");
			return (jti instanceof String id && !id.isEmpty()) ? id : null;
		}
		catch (ParseException | RuntimeException ex) {
			return null;
		}
	}

	private ObjectNode strictObject(byte @Nullable [] json, String what) {
		try {
			JsonNode node = (json != null) ? this.jsonMapper.readTree(json) : null;
			if (node instanceof ObjectNode object) {
				return object;
			}
			throw new OAuth2IntrospectionException(what + " is not a JSON object");
		}
		catch (JacksonException ex) {
			throw new OAuth2IntrospectionException(what + " is not strict JSON (" + ex.getOriginalMessage() + ")");
		}
	}

	private static OAuth2IntrospectionException rejected(String reason) {
		return new OAuth2IntrospectionException("Keycloak's signed introspection claims rejected: " + reason);
	}

}
