package io.github.tokenintrospection.contract;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.concurrent.atomic.AtomicInteger;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static io.github.tokenintrospection.testsupport.FormBody.value;

/**
 * For {@code client-authentication-method=bearer}: a token endpoint that issues
 * {@code rs-token} to notes-api:s3cret, and an introspection endpoint that answers 401
 * unless called with the required bearer token. When an issuer is set, it also serves
 * that issuer's RFC 8414 metadata.
 */
public final class BearerAuthorizationServer extends Dispatcher {

	private static final String BASIC = "Basic "
			+ Base64.getEncoder().encodeToString("notes-api:s3cret".getBytes(StandardCharsets.UTF_8));

	private final AtomicInteger tokenRequests = new AtomicInteger();

	private final AtomicInteger acceptedIntrospections = new AtomicInteger();

	private final AtomicInteger rejectedIntrospections = new AtomicInteger();

	private volatile String requiredBearer;

	private volatile String issuer;

	private volatile String lastTokenScope;

	/**
	 * Sets the bearer token the introspection endpoint requires.
	 * @param requiredBearer the token
	 */
	public void requireBearer(String requiredBearer) {
		this.requiredBearer = requiredBearer;
	}

	/**
	 * Serves the metadata of the issuer, at {@code /realms/a} of this server.
	 * @param issuer the issuer
	 */
	public void serveIssuer(String issuer) {
		this.issuer = issuer;
	}

	/** Requests to the token endpoint, granted or not. */
	public AtomicInteger tokenRequests() {
		return this.tokenRequests;
	}

	/** Introspection requests with the required bearer token. */
	public AtomicInteger acceptedIntrospections() {
		return this.acceptedIntrospections;
	}

	/** Introspection requests without it. */
	public AtomicInteger rejectedIntrospections() {
		return this.rejectedIntrospections;
	}

	/** The scope of the last token request. */
	public String lastTokenScope() {
		return this.lastTokenScope;
	}

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		String path = request.getUrl().encodedPath();
		String authorization = request.getHeaders().get("Authorization");
		if ("GET".equals(request.getMethod()) && this.issuer != null
				&& path.equals("/.well-known/oauth-authorization-server/realms/a")) {
			return json(200, "{\"issuer\":\"" + this.issuer + "\",\"token_endpoint\":\"" + this.issuer
					+ "/token\",\"introspection_endpoint\":\"" + this.issuer + "/introspect\"}");
		}
		if (!"POST".equals(request.getMethod())) {
			return json(404, "{}");
		}
		String body = request.getBody().utf8();
		if (path.endsWith("/token")) {
			this.tokenRequests.incrementAndGet();
			if (!BASIC.equals(authorization)) {
				return json(401, "{\"error\":\"invalid_client\"}");
			}
			if (!"client_credentials".equals(value(body, "grant_type"))) {
				return json(400, "{\"error\":\"unsupported_grant_type\"}");
			}
			this.lastTokenScope = value(body, "scope");
			return json(200, "{\"access_token\":\"rs-token\",\"token_type\":\"Bearer\",\"expires_in\":300}");
		}
		if (path.endsWith("/introspect")) {
			if (!("Bearer " + this.requiredBearer).equals(authorization)) {
				this.rejectedIntrospections.incrementAndGet();
				return json(401, "{\"error\":\"invalid_token\"}");
			}
			this.acceptedIntrospections.incrementAndGet();
			String iss = (this.issuer != null) ? ",\"iss\":\"" + this.issuer + "\"" : "";
			return json(200,
					"{\"active\":true,\"sub\":\"alice\",\"token_type\":\"Bearer\",\"exp\":4102444800" + iss + "}");
		}
		return json(404, "{}");
	}

}
