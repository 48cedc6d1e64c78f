package io.github.tokenintrospection.testsupport;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.Base64;
import java.util.Date;
import java.util.UUID;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;

/**
 * A DPoP client's key pair and the proofs it signs (RFC 9449), built with Nimbus JOSE as
 * a client library would; each part can be set wrong on purpose.
 */
public final class DPoPProofs {

	private final ECKey key;

	private DPoPProofs(ECKey key) {
		this.key = key;
	}

	/** A client with a new P-256 key. */
	public static DPoPProofs generate() {
		try {
			return new DPoPProofs(new ECKeyGenerator(Curve.P_256).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The RFC 7638 thumbprint of the public key, as a bound token's {@code cnf.jkt}. */
	public String thumbprint() {
		try {
			return this.key.computeThumbprint().toString();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A valid proof for a request and its token. */
	public String proof(String method, String uri, String accessToken) {
		return proof().htm(method).htu(uri).ath(accessToken).sign();
	}

	/** A proof to build part by part; by default now, a new jti, no htm, htu or ath. */
	public Proof proof() {
		return new Proof();
	}

	/** base64url(SHA-256(token)). */
	public static String ath(String accessToken) {
		try {
			return Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(
						MessageDigest.getInstance("SHA-256").digest(accessToken.getBytes(StandardCharsets.US_ASCII)));
		}
		catch (NoSuchAlgorithmException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** One proof. */
	public final class Proof {

		private final JWTClaimsSet.Builder claims = new JWTClaimsSet.Builder().jwtID(UUID.randomUUID().toString())
			.issueTime(new Date());

		private JOSEObjectType type = new JOSEObjectType("dpop+jwt");

		private Proof() {
		}

		public Proof htm(String method) {
			this.claims.claim("htm", method);
			return this;
		}

		public Proof htu(String uri) {
			this.claims.claim("htu", uri);
			return this;
		}

		public Proof ath(String accessToken) {
			this.claims.claim("ath", DPoPProofs.ath(accessToken));
			return this;
		}

		public Proof iat(Instant issuedAt) {
			this.claims.issueTime(Date.from(issuedAt));
			return this;
		}

		public Proof jti(String jti) {
			this.claims.jwtID(jti);
			return this;
		}

		public Proof nonce(String nonce) {
			this.claims.claim("nonce", nonce);
			return this;
		}

		public Proof type(String type) {
			this.type = new JOSEObjectType(type);
			return this;
		}

		public String sign() {
			try {
				SignedJWT jws = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.ES256).type(this.type)
					.jwk(DPoPProofs.this.key.toPublicJWK())
					.build(), this.claims.build());
				jws.sign(new ECDSASigner(DPoPProofs.this.key));
				return jws.serialize();
			}
			catch (JOSEException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
