package io.github.tokenintrospection.internal.possession;

import java.net.URI;
import java.net.URISyntaxException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.RSAKeyGenParameterSpec;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.Locale;
import java.util.Set;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWK;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import org.jspecify.annotations.Nullable;

/**
 * Checks a DPoP proof (RFC 9449 section 4.3) against the request and the access token,
 * with Nimbus JOSE: one compact JWS, {@code typ} {@code dpop+jwt}, an asymmetric
 * {@code alg} of the allow-list, a public {@code jwk} (RSA of 2048 to 4096 bits with
 * exponent 65537, or EC), {@code htm} and {@code htu} of this request, {@code iat} within
 * the window, {@code ath} of this token, a signature that verifies with the {@code jwk}
 * (checked after the cheap rules), a server nonce when asked for, and a {@code jti} not
 * used before.
 * <p>
 * The proof is hostile input: every failure is a {@link ProofOfPossessionException}
 * naming the rule, never a part of the proof; nothing else escapes.
 */
public final class DPoPProofVerifier {

	/** Longest proof read: a proof carries a public key and a few claims. */
	static final int MAX_PROOF_LENGTH = 8 * 1024;

	private static final JOSEObjectType DPOP_TYPE = new JOSEObjectType("dpop+jwt");

	private static final int MAX_JTI_LENGTH = 256;

	private static final int MIN_RSA_BITS = 2048;

	private static final int MAX_RSA_BITS = 4096;

	private final Set<JWSAlgorithm> algorithms;

	private final Duration maxAge;

	private final Duration clockSkew;

	private final ProofReplays replays;

	private final Clock clock;

	private final @Nullable DPoPNonces nonces;

	/**
	 * Creates the verifier, without server nonces.
	 * @param algorithms the accepted {@code alg} values, all asymmetric
	 * @param maxAge how old a proof's {@code iat} may be
	 * @param clockSkew how far in the future a proof's {@code iat} may be
	 * @param replays remembers used proofs
	 * @param clock the clock {@code iat} is compared with
	 */
	public DPoPProofVerifier(List<String> algorithms, Duration maxAge, Duration clockSkew, ProofReplays replays,
			Clock clock) {
		this(algorithms, maxAge, clockSkew, replays, clock, null);
	}

	/**
	 * Creates the verifier.
	 * @param algorithms the accepted {@code alg} values, all asymmetric
	 * @param maxAge how old a proof's {@code iat} may be
	 * @param clockSkew how far in the future a proof's {@code iat} may be
	 * @param replays remembers used proofs
	 * @param clock the clock {@code iat} is compared with
	 * @param nonces the server nonces a proof must carry, or {@code null} for none
	 */
	public DPoPProofVerifier(List<String> algorithms, Duration maxAge, Duration clockSkew, ProofReplays replays,
			Clock clock, @Nullable DPoPNonces nonces) {
		this.nonces = nonces;
		this.algorithms = Set.copyOf(algorithms.stream().map(JWSAlgorithm::parse).toList());
		this.maxAge = maxAge;
		this.clockSkew = clockSkew;
		this.replays = replays;
		this.clock = clock;
	}

	/** The server nonces, or {@code null} when proofs need none. */
	@Nullable DPoPNonces nonces() {
		return this.nonces;
	}

	/** Whether a check waits for the network (the replay record). */
	boolean blocks() {
		return this.replays.blocks();
	}

	/**
	 * The accepted algorithms, for the challenge's {@code algs} parameter.
	 * @return the algorithm names, space-separated
	 */
	public String algorithmNames() {
		return String.join(" ", this.algorithms.stream().map(JWSAlgorithm::getName).sorted().toList());
	}

	/**
	 * Checks a proof.
	 * @param proof the {@code DPoP} header's value
	 * @param method the request's method
	 * @param uri the request's URI without query and fragment
	 * @param accessToken the access token the proof must be bound to
	 * @return the thumbprint of the proof's key (RFC 7638, SHA-256, base64url)
	 * @throws ProofOfPossessionException when a rule is broken
	 */
	public String verify(String proof, String method, String uri, String accessToken) {
		if (proof.length() > MAX_PROOF_LENGTH) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof is too long");
		}
		SignedJWT jws = parse(proof);
		JWSHeader header = jws.getHeader();
		if (!DPOP_TYPE.equals(header.getType())) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's typ is not dpop+jwt");
		}
		if (!this.algorithms.contains(header.getAlgorithm())) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's alg is not accepted");
		}
		JWK key = header.getJWK();
		if (key == null || key.isPrivate()) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof has no public jwk");
		}
		// The claims first (read, not yet trusted): they are cheap to check, a signature
		// is not, so a proof for another request costs no verification.
		JWTClaimsSet claims = claims(jws);
		String jti = string(claims, "jti");
		if (jti == null || jti.isEmpty() || jti.length() > MAX_JTI_LENGTH) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof has no valid jti");
		}
		if (!method.equals(string(claims, "htm"))) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's htm is not the request's method");
		}
		String htu = string(claims, "htu");
		String expected = normalizedOrNull(uri);
		if (htu == null || expected == null || !expected.equals(normalizedOrNull(htu))) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's htu is not the request's URI");
		}
		checkIssuedAt(claims);
		if (!ath(accessToken).equals(string(claims, "ath"))) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's ath is not the hash of the access token");
		}
		if (!verifies(jws, header, key)) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's signature does not verify with its jwk");
		}
		if (this.nonces != null && !this.nonces.isValid(string(claims, "nonce"))) {
			throw new ProofOfPossessionException(ProofOfPossessionException.USE_DPOP_NONCE, "dpop_nonce",
					"The resource server requires a nonce it issued in the DPoP proof");
		}
		String thumbprint = thumbprint(key);
		if (!this.replays.firstUse(thumbprint + ":" + jti, this.maxAge.plus(this.clockSkew))) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof was used before");
		}
		return thumbprint;
	}

	private void checkIssuedAt(JWTClaimsSet claims) {
		Date issuedAt;
		try {
			issuedAt = claims.getDateClaim("iat");
		}
		catch (ParseException ex) {
			issuedAt = null;
		}
		if (issuedAt == null) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof has no iat");
		}
		Instant iat = issuedAt.toInstant();
		Instant now = this.clock.instant();
		if (iat.isBefore(now.minus(this.maxAge)) || iat.isAfter(now.plus(this.clockSkew))) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's iat is outside the accepted window");
		}
	}

	private static SignedJWT parse(String proof) {
		try {
			return SignedJWT.parse(proof);
		}
		catch (ParseException | RuntimeException ex) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof is not a signed JWT");
		}
	}

	private static JWTClaimsSet claims(SignedJWT jws) {
		try {
			return jws.getJWTClaimsSet();
		}
		catch (ParseException | RuntimeException ex) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's claims cannot be read");
		}
	}

	private static boolean verifies(SignedJWT jws, JWSHeader header, JWK key) {
		try {
			JWSVerifier verifier = verifier(header.getAlgorithm(), key);
			return verifier != null && jws.verify(verifier);
		}
		catch (JOSEException | RuntimeException ex) {
			return false;
		}
	}

	/** A verifier for the key, when the key's type fits the algorithm. */
	private static @Nullable JWSVerifier verifier(JWSAlgorithm algorithm, JWK key) throws JOSEException {
		if (key instanceof RSAKey rsa && JWSAlgorithm.Family.RSA.contains(algorithm)) {
			RSAPublicKey publicKey = rsa.toRSAPublicKey();
			int bits = publicKey.getModulus().bitLength();
			// A huge modulus or exponent would make each verification costly.
			boolean usual = bits >= MIN_RSA_BITS && bits <= MAX_RSA_BITS
					&& publicKey.getPublicExponent().equals(RSAKeyGenParameterSpec.F4);
			return usual ? new RSASSAVerifier(publicKey) : null;
		}
		if (key instanceof ECKey ec && JWSAlgorithm.Family.EC.contains(algorithm)) {
			return new ECDSAVerifier(ec.toECPublicKey());
		}
		return null;
	}

	private static @Nullable String string(JWTClaimsSet claims, String name) {
		Object value = claims.getClaim(name);
		return (value instanceof String text) ? text : null;
	}

	private static String thumbprint(JWK key) {
		try {
			return key.computeThumbprint("SHA-256").toString();
		}
		catch (JOSEException ex) {
			throw ProofOfPossessionException.invalidProof("The DPoP proof's jwk has no thumbprint");
		}
	}

	/** base64url(SHA-256(ASCII(token))), RFC 9449 section 4.2. */
	static String ath(String accessToken) {
		try {
			byte[] digest = MessageDigest.getInstance("SHA-256")
				.digest(accessToken.getBytes(StandardCharsets.US_ASCII));
			return Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException("SHA-256 is not available", ex);
		}
	}

	private static @Nullable String normalizedOrNull(String uri) {
		try {
			return normalized(uri);
		}
		catch (IllegalArgumentException ex) {
			return null;
		}
	}

	/**
	 * Scheme and host in lower case, the default port left out, no query or fragment (RFC
	 * 9449 section 4.3, RFC 3986 section 6).
	 * @param uri an absolute HTTP(S) URI
	 * @return the URI in normal form
	 * @throws IllegalArgumentException when it is not an absolute HTTP(S) URI
	 */
	public static String normalized(String uri) {
		URI parsed;
		try {
			parsed = new URI(uri);
		}
		catch (URISyntaxException ex) {
			throw new IllegalArgumentException("not a URI", ex);
		}
		String scheme = (parsed.getScheme() != null) ? parsed.getScheme().toLowerCase(Locale.ROOT) : "";
		String host = parsed.getHost();
		if (!("http".equals(scheme) || "https".equals(scheme)) || host == null) {
			throw new IllegalArgumentException("not an absolute HTTP(S) URI");
		}
		int port = parsed.getPort();
		boolean defaultPort = port == -1 || ("http".equals(scheme) && port == 80)
				|| ("https".equals(scheme) && port == 443);
		String path = (parsed.getRawPath() == null || parsed.getRawPath().isEmpty()) ? "/" : parsed.getRawPath();
		return scheme + "://" + host.toLowerCase(Locale.ROOT) + (defaultPort ? "" : ":" + port) + path;
	}

}
