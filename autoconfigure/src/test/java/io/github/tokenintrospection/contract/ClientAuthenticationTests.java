package io.github.tokenintrospection.contract;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static io.github.tokenintrospection.testsupport.FormBody.value;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Every client authentication method besides {@code client_secret_basic}, configured by
 * properties, on each {@link Stack}: what the authorization server receives. On the
 * reactive stack, signing assertions, the client_credentials grant and discovery must run
 * off the event loop (see {@link StackContext#introspect}).
 */
class ClientAuthenticationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String METHOD = "token-introspection.client-authentication-method=";

	private static final String JWT_SECRET = "an-hs256-secret-of-at-least-32-bytes";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"token_type\":\"Bearer\"}";

	private final MockWebServer server = new MockWebServer();

	@TempDir
	Path directory;

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenClientSecretPostThenIdAndSecretInTheFormAndNoAuthorizationHeader(Stack stack) {
		this.server.enqueue(json(200, ACTIVE));
		StackContext.run(stack, properties(introspection(), OPAQUETOKEN + "client-id=notes-api",
				OPAQUETOKEN + "client-secret=s3cret", METHOD + "client-secret-post"), (context) -> {
					assertThat(context.introspect("token-1").getName()).isEqualTo("alice");

					RecordedRequest request = this.server.takeRequest();
					String body = request.getBody().utf8();
					assertThat(request.getHeaders().get("Authorization")).isNull();
					assertThat(body).contains("client_id=notes-api")
						.contains("client_secret=s3cret")
						.contains("token=token-1");
					assertThat(value(body, "client_id")).isEqualTo("notes-api");
					assertThat(value(body, "client_secret")).isEqualTo("s3cret");
					assertThat(value(body, "token")).isEqualTo("token-1");
				});
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenClientSecretJwtWithoutIssuerThenHs256AssertionForTheIntrospectionEndpoint(Stack stack) {
		this.server.enqueue(json(200, ACTIVE));
		StackContext.run(stack, properties(introspection(), OPAQUETOKEN + "client-id=notes-api",
				OPAQUETOKEN + "client-secret=" + JWT_SECRET, METHOD + "client_secret_jwt"), (context) -> {
					assertThat(context.introspect("token-1").getName()).isEqualTo("alice");

					RecordedRequest request = this.server.takeRequest();
					String body = request.getBody().utf8();
					assertThat(request.getHeaders().get("Authorization")).isNull();
					assertThat(value(body, "client_secret")).isNull();
					assertThat(value(body, "client_id")).isEqualTo("notes-api");
					assertThat(value(body, "client_assertion_type"))
						.isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
					SignedJWT jwt = SignedJWT.parse(value(body, "client_assertion"));
					assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
					assertThat(jwt.verify(new MACVerifier(JWT_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
					assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("notes-api");
					assertThat(jwt.getJWTClaimsSet().getAudience())
						.containsExactly(this.server.url("/introspect").toString());
				});
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenPrivateKeyJwtWithPemKeyThenStartsAndSendsRs256AssertionVerifyingWithPublicKey(Stack stack)
			throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keyPair = generator.generateKeyPair();
		Path pem = writePem(keyPair);
		this.server.enqueue(json(200, ACTIVE));
		this.server.enqueue(json(200, ACTIVE));
		StackContext.run(stack,
				properties(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "private_key_jwt",
						"token-introspection.client-assertion.private-key-location=" + pem.toUri(),
						"token-introspection.client-assertion.key-id=notes-key-1",
						"token-introspection.client-assertion.audience=https://idp.example/realms/a"),
				(context) -> {
					assertThat(context.context()).hasNotFailed();
					assertThat(this.server.getRequestCount()).isZero();

					assertThat(context.introspect("token-1").getName()).isEqualTo("alice");
					assertThat(context.introspect("token-2").getName()).isEqualTo("alice");

					SignedJWT first = SignedJWT
						.parse(value(this.server.takeRequest().getBody().utf8(), "client_assertion"));
					SignedJWT second = SignedJWT
						.parse(value(this.server.takeRequest().getBody().utf8(), "client_assertion"));
					assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
					assertThat(first.getHeader().getKeyID()).isEqualTo("notes-key-1");
					assertThat(first.verify(new RSASSAVerifier((RSAPublicKey) keyPair.getPublic()))).isTrue();
					assertThat(first.getJWTClaimsSet().getIssuer()).isEqualTo("notes-api");
					assertThat(first.getJWTClaimsSet().getAudience()).containsExactly("https://idp.example/realms/a");
					// A new assertion per request.
					assertThat(second.getJWTClaimsSet().getJWTID()).isNotEqualTo(first.getJWTClaimsSet().getJWTID());
				});
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenBearerWithTokenUriThenOneClientCredentialsTokenProtectsAllIntrospections(Stack stack) {
		BearerAuthorizationServer authorizationServer = new BearerAuthorizationServer();
		authorizationServer.requireBearer("rs-token");
		this.server.setDispatcher(authorizationServer);
		StackContext.run(stack,
				properties(introspection(), OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret",
						METHOD + "bearer", "token-introspection.bearer.token-uri=" + this.server.url("/token"),
						"token-introspection.bearer.scope=introspection"),
				(context) -> {
					assertThat(context.context()).hasNotFailed();
					assertThat(authorizationServer.tokenRequests()).hasValue(0);

					assertThat(context.introspect("token-a").getName()).isEqualTo("alice");
					assertThat(context.introspect("token-b").getName()).isEqualTo("alice");

					assertThat(authorizationServer.tokenRequests()).hasValue(1);
					assertThat(authorizationServer.lastTokenScope()).isEqualTo("introspection");
					assertThat(authorizationServer.acceptedIntrospections()).hasValue(2);
					assertThat(authorizationServer.rejectedIntrospections()).hasValue(0);
				});
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenBearerWithIssuerUriAndNoTokenUriThenTokenEndpointDiscovered(Stack stack) {
		BearerAuthorizationServer authorizationServer = new BearerAuthorizationServer();
		String issuer = this.server.url("/realms/a").toString();
		authorizationServer.serveIssuer(issuer);
		authorizationServer.requireBearer("rs-token");
		this.server.setDispatcher(authorizationServer);
		StackContext.run(stack, properties("token-introspection.issuer-uri=" + issuer,
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret", METHOD + "bearer"),
				(context) -> {
					assertThat(context.context()).hasNotFailed();
					assertThat(this.server.getRequestCount()).isZero();

					assertThat(context.introspect("token-a").getName()).isEqualTo("alice");

					assertThat(authorizationServer.tokenRequests()).hasValue(1);
					assertThat(authorizationServer.acceptedIntrospections()).hasValue(1);
				});
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenBearerWithStaticTokenThenSentAsIsAndNoTokenRequest(Stack stack) {
		BearerAuthorizationServer authorizationServer = new BearerAuthorizationServer();
		authorizationServer.requireBearer("static-value");
		this.server.setDispatcher(authorizationServer);
		StackContext.run(stack,
				properties(introspection(), METHOD + "bearer", "token-introspection.bearer.token=static-value"),
				(context) -> {
					assertThat(context.context()).hasNotFailed();

					assertThat(context.introspect("token-a").getName()).isEqualTo("alice");
					assertThat(context.introspect("token-b").getName()).isEqualTo("alice");

					assertThat(authorizationServer.tokenRequests()).hasValue(0);
					assertThat(authorizationServer.acceptedIntrospections()).hasValue(2);
				});
	}

	@ParameterizedTest
	@EnumSource
	void introspectWhenTokenEndpointRejectsClientThenServerFaultNotInactiveToken(Stack stack) {
		BearerAuthorizationServer authorizationServer = new BearerAuthorizationServer();
		authorizationServer.requireBearer("rs-token");
		this.server.setDispatcher(authorizationServer);
		StackContext.run(stack,
				properties(introspection(), OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=wrong",
						METHOD + "bearer", "token-introspection.bearer.token-uri=" + this.server.url("/token")),
				(context) -> {
					assertThatExceptionOfType(OAuth2IntrospectionException.class)
						.isThrownBy(() -> context.introspect("token-a"))
						.isNotInstanceOf(BadOpaqueTokenException.class);
					assertThat(authorizationServer.tokenRequests()).hasValue(1);
					assertThat(authorizationServer.acceptedIntrospections()).hasValue(0);
					assertThat(authorizationServer.rejectedIntrospections()).hasValue(0);
				});
	}

	/** Writes the private key as PKCS#8 PEM, as openssl genpkey does. */
	private Path writePem(KeyPair keyPair) throws IOException {
		return Files.writeString(this.directory.resolve("client-key.pem"),
				"-----BEGIN PRIVATE KEY-----\n" + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
					.encodeToString(keyPair.getPrivate().getEncoded()) + "\n-----END PRIVATE KEY-----\n");
	}

	private String introspection() {
		return OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect");
	}

	private static String[] properties(String... properties) {
		return properties;
	}

}
