package io.github.tokenintrospection.internal.jwt;

import java.net.URL;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JOSEObjectTypeVerifier;
import com.nimbusds.jose.proc.SecurityContext;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.observation.CacheStatus;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.PathContainer;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.jose.jws.SignatureAlgorithm;
import org.springframework.security.oauth2.jwt.BadJwtException;
import org.springframework.security.oauth2.jwt.Jwt;
import org.springframework.security.oauth2.jwt.JwtException;
import org.springframework.security.oauth2.jwt.NimbusJwtDecoder;
import org.springframework.util.Assert;
import org.springframework.web.util.pattern.PathPattern;
import org.springframework.web.util.pattern.PathPatternParser;

/**
 * Decides, per token, between local verification and introspection, and verifies locally.
 * A token is verified here when it is a compact JWS whose {@code iss} is the configured
 * issuer, whose {@code typ} is an accepted one, whose {@code kid} is in the issuer's JWKS
 * (fetched again, rate-limited, when it is not), and whose request path is not one that
 * must introspect. Verification is Spring Security's {@link NimbusJwtDecoder}: signature,
 * {@code alg} allow-list, {@code typ}. Claims are not judged here: the verified claims
 * become an {@link IntrospectedToken} that goes through the same decision as an
 * introspection result.
 * <p>
 * The issuer's token with an algorithm outside the allow-list ({@code none}, HMAC:
 * Keycloak's refresh tokens) or a bad signature is refused here, without a call. A
 * verified token that lacks one of the required claims (a lightweight token) is
 * introspected. Everything else is introspected, as without this router: never an
 * unverified token accepted.
 * <p>
 * With a {@link VerifiedJwts} cache, a token verified shortly before is accepted from it
 * (by its SHA-256) without verifying the signature again; its claims are still validated.
 */
public final class LocalJwtRouter {

	/** Longest encoded JOSE header read; a longer one is no candidate. */
	public static final int MAX_HEADER_LENGTH = 1024;

	private final Settings settings;

	private final JwksKeys keys;

	private final NimbusJwtDecoder decoder;

	private final Set<String> algorithms;

	private final Set<String> types;

	private final List<PathPattern> introspectPaths;

	private final @Nullable VerifiedJwts verified;

	private final @Nullable Revalidation revalidation;

	/**
	 * Creates a router that verifies every token.
	 * @param settings what is verified locally
	 * @param keys the issuer's keys
	 */
	public LocalJwtRouter(Settings settings, JwksKeys keys) {
		this(settings, keys, null);
	}

	/**
	 * Creates a router.
	 * @param settings what is verified locally
	 * @param keys the issuer's keys
	 * @param verified the tokens verified recently, or {@code null} to verify every time
	 */
	public LocalJwtRouter(Settings settings, JwksKeys keys, @Nullable VerifiedJwts verified) {
		this(settings, keys, verified, null);
	}

	/**
	 * Creates a router whose accepted tokens are also introspected in the background.
	 * @param settings what is verified locally
	 * @param keys the issuer's keys
	 * @param verified the tokens verified recently, or {@code null} to verify every time
	 * @param revalidation the record of background introspections, or {@code null} for
	 * none
	 */
	public LocalJwtRouter(Settings settings, JwksKeys keys, @Nullable VerifiedJwts verified,
			@Nullable Revalidation revalidation) {
		Assert.notNull(settings, "settings must not be null");
		Assert.notNull(keys, "keys must not be null");
		this.settings = settings;
		this.keys = keys;
		this.verified = verified;
		this.revalidation = revalidation;
		this.algorithms = Set.copyOf(settings.algorithms());
		this.types = normalizedTypes(settings.types());
		this.introspectPaths = parsePaths(settings.introspectPaths());
		this.decoder = NimbusJwtDecoder.withJwkSource(keys.source())
			.jwsAlgorithms((allowed) -> allowed.addAll(signatureAlgorithms(settings.algorithms())))
			.jwtProcessorCustomizer((processor) -> processor.setJWSTypeVerifier(new TypeVerifier(this.types)))
			.build();
		// The claims are judged by the shared decision, as an introspection result's are.
		this.decoder.setJwtValidator((jwt) -> OAuth2TokenValidatorResult.success());
	}

	/**
	 * The first, cheap step: reads the token without verifying it and without fetching
	 * anything; never blocks.
	 * @param token the raw token, through the syntax guard
	 * @param requestPath the request's path within the application, or {@code null} when
	 * unknown (then a token is introspected if any path must introspect)
	 * @return {@link JwtRoute#INTROSPECT}, a {@link JwtRoute.Rejected}, or a
	 * {@link JwtRoute.Verify} to finish with {@link #verify(JwtRoute.Verify)}
	 */
	public JwtRoute route(String token, @Nullable String requestPath) {
		if (mustIntrospect(requestPath)) {
			return JwtRoute.INTROSPECT;
		}
		if (this.verified != null) {
			String hash = TokenHash.sha256Hex(token);
			IntrospectedToken recent = this.verified.get(hash);
			if (recent != null) {
				return new JwtRoute.Accepted(recent, CacheStatus.HIT, hash);
			}
		}
		CompactJws jws = CompactJws.peek(token, MAX_HEADER_LENGTH);
		if (jws == null || !this.settings.issuer().equals(jws.issuer())) {
			return JwtRoute.INTROSPECT;
		}
		if (!this.algorithms.contains(jws.alg())) {
			return new JwtRoute.Rejected("algorithm",
					"Token of " + this.settings.issuer() + " is signed with an algorithm that is not allowed");
		}
		if (jws.kid() == null || jws.typ() == null || !this.types.contains(normalizedType(jws.typ()))) {
			return JwtRoute.INTROSPECT;
		}
		return new JwtRoute.Verify(token, jws.kid());
	}

	/**
	 * Whether {@link #verify(JwtRoute.Verify)} can do without fetching keys, and so
	 * without blocking.
	 * @param verify the token to verify
	 * @return whether its key is cached
	 */
	public boolean canVerifyWithoutBlocking(JwtRoute.Verify verify) {
		return this.keys.isCached(verify.kid());
	}

	/**
	 * The second step: finds the key and verifies the token; may block to fetch the keys.
	 * @param verify the token to verify
	 * @return {@link JwtRoute.Accepted}, {@link JwtRoute.Rejected} or
	 * {@link JwtRoute#INTROSPECT}
	 */
	public JwtRoute verify(JwtRoute.Verify verify) {
		if (this.keys.find(verify.kid()) != JwksKeys.KeyStatus.FOUND) {
			// An unknown key after a refresh, or no keys at all: the server decides.
			return JwtRoute.INTROSPECT;
		}
		Jwt jwt;
		try {
			jwt = this.decoder.decode(verify.token());
		}
		catch (BadJwtException ex) {
			return new JwtRoute.Rejected("verification", "Token failed local verification: " + ex.getMessage());
		}
		catch (JwtException ex) {
			// The keys could not be had in the meantime: not the token's fault.
			return JwtRoute.INTROSPECT;
		}
		Map<String, Object> claims = claims(jwt);
		for (String required : this.settings.requiredClaims()) {
			if (!claims.containsKey(required)) {
				return JwtRoute.INTROSPECT;
			}
		}
		IntrospectedToken accepted = IntrospectedToken.active(claims);
		String hash = TokenHash.sha256Hex(verify.token());
		if (this.verified == null) {
			return new JwtRoute.Accepted(accepted, CacheStatus.NONE, hash);
		}
		this.verified.put(hash, accepted);
		return new JwtRoute.Accepted(accepted, CacheStatus.MISS, hash);
	}

	/**
	 * Both steps at once, for a caller that may block.
	 * @param token the raw token
	 * @param requestPath the request's path within the application, or {@code null}
	 * @return the route
	 */
	public JwtRoute decide(String token, @Nullable String requestPath) {
		JwtRoute route = route(token, requestPath);
		return (route instanceof JwtRoute.Verify verify) ? verify(verify) : route;
	}

	/**
	 * What becomes of a locally accepted token when revalidation is on: a token the
	 * server said is inactive is introspected (and so refused); one whose period is due
	 * is also introspected in the background.
	 * @param accepted the locally accepted token
	 * @return what the stage does with it
	 */
	public AfterAcceptance afterAcceptance(JwtRoute.Accepted accepted) {
		if (this.revalidation == null) {
			return AfterAcceptance.ACCEPT;
		}
		if (this.revalidation.isRevoked(accepted.sha256Hex())) {
			return AfterAcceptance.INTROSPECT;
		}
		return this.revalidation.claim(accepted.sha256Hex()) ? AfterAcceptance.ACCEPT_AND_REVALIDATE
				: AfterAcceptance.ACCEPT;
	}

	/**
	 * Records the answer of a background introspection started for
	 * {@link AfterAcceptance#ACCEPT_AND_REVALIDATE}.
	 * @param accepted the locally accepted token
	 * @param answer the authorization server's answer
	 */
	public void revalidated(JwtRoute.Accepted accepted, IntrospectedToken answer) {
		if (this.revalidation != null) {
			this.revalidation.answered(accepted.sha256Hex(), accepted.token(), answer);
		}
	}

	/**
	 * Gives back a revalidation that could not start, so that the token's next use claims
	 * it again.
	 * @param accepted the locally accepted token
	 */
	public void revalidationNotStarted(JwtRoute.Accepted accepted) {
		if (this.revalidation != null) {
			this.revalidation.release(accepted.sha256Hex());
		}
	}

	private boolean mustIntrospect(@Nullable String requestPath) {
		if (this.introspectPaths.isEmpty()) {
			return false;
		}
		if (requestPath == null) {
			return true;
		}
		PathContainer path = PathContainer.parsePath(requestPath);
		for (PathPattern pattern : this.introspectPaths) {
			if (pattern.matches(path)) {
				return true;
			}
		}
		return false;
	}

	/** The claims as an introspection result has them: no nulls, {@code iss} a string. */
	private static Map<String, Object> claims(Jwt jwt) {
		Map<String, Object> claims = new HashMap<>(jwt.getClaims().size());
		for (Map.Entry<String, Object> claim : jwt.getClaims().entrySet()) {
			Object value = claim.getValue();
			if (value != null) {
				claims.put(claim.getKey(), (value instanceof URL url) ? url.toExternalForm() : value);
			}
		}
		return claims;
	}

	/**
	 * Parses path patterns ({@link PathPattern} syntax).
	 * @param patterns the patterns
	 * @return the parsed patterns
	 * @throws IllegalArgumentException naming the first pattern that does not parse
	 */
	public static List<PathPattern> parsePaths(List<String> patterns) {
		List<PathPattern> parsed = new ArrayList<>(patterns.size());
		for (String pattern : patterns) {
			try {
				parsed.add(PathPatternParser.defaultInstance.parse(pattern));
			}
			catch (RuntimeException ex) {
				throw new IllegalArgumentException("'" + pattern + "' is not a path pattern: " + ex.getMessage(), ex);
			}
		}
		return List.copyOf(parsed);
	}

	private static Set<SignatureAlgorithm> signatureAlgorithms(List<String> names) {
		Set<SignatureAlgorithm> algorithms = new LinkedHashSet<>();
		for (String name : names) {
			SignatureAlgorithm algorithm = SignatureAlgorithm.from(name);
			Assert.notNull(algorithm, () -> "Unknown signature algorithm " + name);
			algorithms.add(algorithm);
		}
		return algorithms;
	}

	private static Set<String> normalizedTypes(List<String> types) {
		Set<String> normalized = new LinkedHashSet<>();
		for (String type : types) {
			normalized.add(normalizedType(type));
		}
		return Set.copyOf(normalized);
	}

	/**
	 * RFC 7515 section 4.1.9: {@code application/} may be left out; media types ignore
	 * case.
	 */
	private static String normalizedType(String type) {
		String lowerCase = type.toLowerCase(Locale.ROOT);
		return lowerCase.startsWith("application/") ? lowerCase.substring("application/".length()) : lowerCase;
	}

	/** What a pipeline stage does with a locally accepted token. */
	public enum AfterAcceptance {

		/** Accept it. */
		ACCEPT,

		/** Accept it, and introspect it in the background without waiting. */
		ACCEPT_AND_REVALIDATE,

		/**
		 * The server said it is inactive: introspect it (the cached answer refuses it).
		 */
		INTROSPECT

	}

	/**
	 * What is verified locally.
	 *
	 * @param issuer the only issuer whose tokens are verified here
	 * @param algorithms the JWS algorithms accepted (asymmetric ones only)
	 * @param types the accepted JOSE {@code typ} header values
	 * @param requiredClaims claims a token must have to be accepted here; without one it
	 * is introspected
	 * @param introspectPaths request path patterns whose tokens are always introspected
	 */
	public record Settings(String issuer, List<String> algorithms, List<String> types, List<String> requiredClaims,
			List<String> introspectPaths) {

		public Settings {
			Assert.hasText(issuer, "issuer must not be empty");
			Assert.notEmpty(algorithms, "algorithms must not be empty");
			Assert.notEmpty(types, "types must not be empty");
			for (String algorithm : algorithms) {
				Assert.isTrue(isAsymmetric(algorithm), () -> "Algorithm " + algorithm
						+ " is not allowed: only RS, ES and PS algorithms verify with a published key");
			}
			algorithms = List.copyOf(algorithms);
			types = List.copyOf(types);
			requiredClaims = List.copyOf(requiredClaims);
			introspectPaths = List.copyOf(introspectPaths);
		}

		/**
		 * Whether an algorithm name is one of the RS, ES or PS signature algorithms.
		 * @param algorithm the JWS algorithm name
		 * @return whether a public key verifies it
		 */
		public static boolean isAsymmetric(String algorithm) {
			// Spring Security's SignatureAlgorithm has the asymmetric ones only: no HMAC,
			// no none.
			return SignatureAlgorithm.from(algorithm) != null;
		}

	}

	/** Checks the {@code typ} header during verification, as routing did before it. */
	private record TypeVerifier(Set<String> types) implements JOSEObjectTypeVerifier<SecurityContext> {

		@Override
		public void verify(@Nullable JOSEObjectType type, @Nullable SecurityContext context) throws BadJOSEException {
			if (type == null || !this.types.contains(normalizedType(type.getType()))) {
				throw new BadJOSEException("JOSE header typ " + type + " is not accepted");
			}
		}

	}

}
