package io.github.tokenintrospection.internal.jwt;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

/**
 * An authorization server that signs JWT access tokens and publishes its JWKS on
 * loopback: counts the JWKS fetches, can fail them (an outage) and rotate its key.
 */
public final class TestIssuer implements AutoCloseable {

	/** The issuer identifier the tokens carry. */
	public static final String ISSUER = "https://login.example.com/realms/notes";

	private final MockWebServer server = new MockWebServer();

	private final AtomicInteger jwksFetches = new AtomicInteger();

	private volatile boolean down;

	private volatile RSAKey key;

	public TestIssuer() {
		this.key = newKey("key-1");
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				TestIssuer.this.jwksFetches.incrementAndGet();
				if (TestIssuer.this.down) {
					return new MockResponse.Builder().code(503).build();
				}
				return new MockResponse.Builder().code(200)
					.addHeader("Content-Type", "application/json")
					.body(new JWKSet(TestIssuer.this.key.toPublicJWK()).toString())
					.build();
			}
		});
		try {
			this.server.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** Returns the JWKS location. */
	public String jwkSetUri() {
		return this.server.url("/certs").toString();
	}

	/** Returns how many times the JWKS was fetched. */
	public int jwksFetches() {
		return this.jwksFetches.get();
	}

	/** Makes the JWKS endpoint answer 503 (true) or serve the keys again (false). */
	public void down(boolean down) {
		this.down = down;
	}

	/** Replaces the signing key by a new one with another id. */
	public void rotate(String kid) {
		this.key = newKey(kid);
	}

	/** Returns the current signing key. */
	public RSAKey key() {
		return this.key;
	}

	/**
	 * Claims of an access token for alice with scope read, aud notes-api, valid for an
	 * hour.
	 */
	public static Map<String, Object> accessTokenClaims() {
		Map<String, Object> claims = new LinkedHashMap<>();
		claims.put("iss", ISSUER);
		// Unique, so that no two tokens are alike (RS256 signatures are deterministic).
		claims.put("jti", java.util.UUID.randomUUID().toString());
		claims.put("sub", "alice");
		claims.put("aud", "notes-api");
		claims.put("typ", "Bearer");
		claims.put("scope", "read");
		claims.put("iat", Instant.now().getEpochSecond());
		claims.put("exp", Instant.now().plusSeconds(3600).getEpochSecond());
		claims.put("realm_access", Map.of("roles", java.util.List.of("reader")));
		return claims;
	}

	/** Signs an access token with the current key, header typ JWT. */
	public String accessToken() {
		return sign(accessTokenClaims());
	}

	/** Signs the claims with the current key, header typ JWT. */
	public String sign(Map<String, Object> claims) {
		return sign(
				new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(this.key.getKeyID()).type(JOSEObjectType.JWT).build(),
				claims, signer(this.key));
	}

	/** Signs the claims with the given header and signer. */
	public static String sign(JWSHeader header, Map<String, Object> claims, JWSSigner signer) {
		try {
			SignedJWT jwt = new SignedJWT(header, JWTClaimsSet.parse(claims));
			jwt.sign(signer);
			return jwt.serialize();
		}
		catch (JOSEException | java.text.ParseException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An RS256 signer with the key. */
	public static JWSSigner signer(RSAKey key) {
		try {
			return new RSASSASigner(key);
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The classic confusion attack: HS256 keyed with the issuer's public key. */
	public String hs256WithPublicKeyAsSecret() {
		try {
			byte[] secret = this.key.toPublicJWK().toRSAPublicKey().getEncoded();
			return sign(new JWSHeader.Builder(JWSAlgorithm.HS256).keyID(this.key.getKeyID())
				.type(JOSEObjectType.JWT)
				.build(), accessTokenClaims(), new MACSigner(secret));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** An unsecured JWS naming the issuer's key: {@code alg: none}, empty signature. */
	public String unsecured() {
		String header = base64Url("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"" + this.key.getKeyID() + "\"}");
		String payload = base64Url(
				"{\"iss\":\"" + ISSUER + "\",\"sub\":\"alice\",\"scope\":\"read\",\"aud\":\"notes-api\"," + "\"exp\":"
						+ Instant.now().plusSeconds(3600).getEpochSecond() + "}");
		return header + "." + payload + ".";
	}

	public static String base64Url(String json) {
		return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
	}

	/** A new 2048-bit RSA key. */
	public static RSAKey newKey(String kid) {
		try {
			return new RSAKeyGenerator(2048).keyID(kid).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** A client like the starter's own: no redirects. */
	public static RestClient restClient() {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		return RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(httpClient)).build();
	}

	/** Keys of this issuer, fetched with {@link #restClient()}. */
	public JwksKeys keys() {
		URI uri = URI.create(jwkSetUri());
		return new JwksKeys(restClient(), () -> uri);
	}

	@Override
	public void close() {
		this.server.close();
	}

}
