package io.github.tokenintrospection.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Instant;
import java.util.Date;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicInteger;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;

/**
 * A Shared Signals transmitter for tests: serves its SSF configuration document and its
 * JWKS, signs Security Event Tokens (RS256, {@code typ} {@code secevent+jwt}) and pushes
 * them as RFC 8935 asks. Every SET can be bent (claims, type, key) to play a hostile one.
 */
public final class SecurityEventTransmitter implements AutoCloseable {

	/** The CAEP event types. */
	public static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

	public static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	private final RSAKey key;

	private final MockWebServer server = new MockWebServer();

	private final AtomicInteger keyFetches = new AtomicInteger();

	private final HttpClient client = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private SecurityEventTransmitter(RSAKey key) {
		this.key = key;
		this.server.setDispatcher(new Dispatcher() {
			@Override
			public MockResponse dispatch(RecordedRequest request) {
				String target = request.getTarget();
				if (target.endsWith("/.well-known/ssf-configuration")) {
					return AuthorizationServerStub.json(200, "{\"issuer\":\"" + issuer() + "\",\"jwks_uri\":\""
							+ issuer() + "/jwks\",\"delivery_methods_supported\":[\"urn:ietf:rfc:8935\"]}");
				}
				if (target.endsWith("/jwks")) {
					SecurityEventTransmitter.this.keyFetches.incrementAndGet();
					return AuthorizationServerStub.json(200, new JWKSet(key.toPublicJWK()).toString());
				}
				return new MockResponse.Builder().code(404).build();
			}
		});
		try {
			this.server.start(InetAddress.getLoopbackAddress(), 0);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	/**
	 * Starts a transmitter with a new key.
	 * @return the transmitter
	 */
	public static SecurityEventTransmitter start() {
		try {
			return new SecurityEventTransmitter(
					new RSAKeyGenerator(2048).keyID(UUID.randomUUID().toString()).generate());
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Returns the issuer: the server's URL with a realm-like path.
	 * @return the issuer
	 */
	public String issuer() {
		return "http://localhost:" + this.server.getPort() + "/realms/events";
	}

	/**
	 * Returns how many times the JWKS was fetched.
	 * @return the count
	 */
	public int keyFetches() {
		return this.keyFetches.get();
	}

	/**
	 * Starts the claims of a SET from this transmitter to an audience, issued now.
	 * @param audience the stream's audience
	 * @param eventType the event type URI
	 * @param event the event's members
	 * @param subId the subject identifier
	 * @return the claims, to complete or bend
	 */
	public JWTClaimsSet.Builder claims(String audience, String eventType, Map<String, Object> event,
			Map<String, Object> subId) {
		return new JWTClaimsSet.Builder().issuer(issuer())
			.audience(audience)
			.issueTime(Date.from(Instant.now()))
			.jwtID(UUID.randomUUID().toString())
			.claim("sub_id", subId)
			.claim("events", Map.of(eventType, event));
	}

	/**
	 * A CAEP session-revoked SET as Keycloak sends one: the user and the session.
	 * @param audience the stream's audience
	 * @param subject the user's {@code sub}
	 * @param session the session's id
	 * @return the signed SET
	 */
	public String sessionRevoked(String audience, String subject, String session) {
		return sign(claims(audience, SESSION_REVOKED, Map.of("event_timestamp", Instant.now().getEpochSecond()),
				Map.of("format", "complex", "user", Map.of("format", "iss_sub", "iss", issuer(), "sub", subject),
						"session", Map.of("format", "opaque", "id", session)))
			.build());
	}

	/**
	 * A CAEP credential-change SET: the user changed a password.
	 * @param audience the stream's audience
	 * @param subject the user's {@code sub}
	 * @return the signed SET
	 */
	public String credentialChange(String audience, String subject) {
		return sign(claims(audience, CREDENTIAL_CHANGE, Map.of("credential_type", "password", "change_type", "update"),
				Map.of("format", "iss_sub", "iss", issuer(), "sub", subject))
			.build());
	}

	/**
	 * Signs claims as a SET with this transmitter's key.
	 * @param claims the claims
	 * @return the compact SET
	 */
	public String sign(JWTClaimsSet claims) {
		return sign(claims, new JOSEObjectType("secevent+jwt"), this.key);
	}

	/**
	 * Signs claims with this transmitter's key and any type.
	 * @param claims the claims
	 * @param type the {@code typ}
	 * @return the compact JWS
	 */
	public String sign(JWTClaimsSet claims, JOSEObjectType type) {
		return sign(claims, type, this.key);
	}

	/**
	 * Signs claims with any type and key (another transmitter's, to play a forger).
	 * @param claims the claims
	 * @param type the {@code typ}
	 * @param signingKey the key
	 * @return the compact JWS
	 */
	public static String sign(JWTClaimsSet claims, JOSEObjectType type, RSAKey signingKey) {
		SignedJWT jwt = new SignedJWT(
				new JWSHeader.Builder(JWSAlgorithm.RS256).type(type).keyID(signingKey.getKeyID()).build(), claims);
		try {
			jwt.sign(new RSASSASigner(signingKey));
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
		return jwt.serialize();
	}

	/**
	 * Returns a key of another party's, with this transmitter's key id.
	 * @return the key
	 */
	public RSAKey forgersKey() {
		try {
			return new RSAKeyGenerator(2048).keyID(this.key.getKeyID()).generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Pushes a body as RFC 8935 delivers a SET.
	 * @param endpoint the receiver's push endpoint
	 * @param body the body
	 * @param authorization the {@code Authorization} header, or {@code null}
	 * @return the receiver's answer
	 */
	public HttpResponse<String> push(String endpoint, String body, String authorization) {
		return push(endpoint, body, authorization, "application/secevent+jwt");
	}

	/**
	 * Pushes a body with any content type.
	 * @param endpoint the receiver's push endpoint
	 * @param body the body
	 * @param authorization the {@code Authorization} header, or {@code null}
	 * @param contentType the {@code Content-Type}
	 * @return the receiver's answer
	 */
	public HttpResponse<String> push(String endpoint, String body, String authorization, String contentType) {
		HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(endpoint))
			.header("Content-Type", contentType)
			.header("Accept", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		if (authorization != null) {
			request.header("Authorization", authorization);
		}
		try {
			return this.client.send(request.build(), HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	@Override
	public void close() {
		this.server.close();
	}

}
