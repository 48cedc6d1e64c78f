package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.time.Duration;
import java.util.Base64;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jwt.SignedJWT;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.assertj.AssertableReactiveWebApplicationContext;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.formValue;
import static io.github.tokenintrospection.autoconfigure.IssuerDiscoveryAutoConfigurationTests.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every client authentication method besides {@code client_secret_basic} in a WebFlux
 * application: what the authorization server receives. Each introspection is subscribed on
 * a non-blocking thread, where BlockHound (installed for all tests) fails any blocking
 * call: signing assertions, the client_credentials grant and discovery must run elsewhere.
 */
class ReactiveClientAuthenticationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String METHOD = "token-introspection.client-authentication-method=";

	private static final String JWT_SECRET = "an-hs256-secret-of-at-least-32-bytes";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"token_type\":\"Bearer\"}";

	private final ReactiveWebApplicationContextRunner contextRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class,
				ReactiveOAuth2ResourceServerAutoConfiguration.class, SslAutoConfiguration.class));

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

	@Test
	void introspectWhenClientSecretPostThenIdAndSecretInTheFormAndNoAuthorizationHeader() throws Exception {
		this.server.enqueue(json(200, ACTIVE));
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=s3cret", METHOD + "client_secret_post")
			.run((context) -> {
				assertThat(introspectOnNonBlockingThread(context, "token-1").getName()).isEqualTo("alice");

				RecordedRequest request = this.server.takeRequest();
				String body = request.getBody().utf8();
				assertThat(request.getHeaders().get("Authorization")).isNull();
				assertThat(formValue(body, "client_id")).isEqualTo("notes-api");
				assertThat(formValue(body, "client_secret")).isEqualTo("s3cret");
				assertThat(formValue(body, "token")).isEqualTo("token-1");
			});
	}

	@Test
	void introspectWhenClientSecretJwtThenHs256AssertionSignedWithTheSecret() throws Exception {
		this.server.enqueue(json(200, ACTIVE));
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=" + JWT_SECRET, METHOD + "client_secret_jwt")
			.run((context) -> {
				assertThat(introspectOnNonBlockingThread(context, "token-1").getName()).isEqualTo("alice");

				RecordedRequest request = this.server.takeRequest();
				String body = request.getBody().utf8();
				assertThat(request.getHeaders().get("Authorization")).isNull();
				assertThat(formValue(body, "client_secret")).isNull();
				assertThat(formValue(body, "client_id")).isEqualTo("notes-api");
				assertThat(formValue(body, "client_assertion_type"))
					.isEqualTo("urn:ietf:params:oauth:client-assertion-type:jwt-bearer");
				SignedJWT jwt = SignedJWT.parse(formValue(body, "client_assertion"));
				assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
				assertThat(jwt.verify(new MACVerifier(JWT_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
				assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("notes-api");
				assertThat(jwt.getJWTClaimsSet().getAudience())
					.containsExactly(this.server.url("/introspect").toString());
			});
	}

	@Test
	void introspectWhenPrivateKeyJwtWithPemKeyThenRs256AssertionVerifyingWithThePublicKey() throws Exception {
		KeyPairGenerator generator = KeyPairGenerator.getInstance("RSA");
		generator.initialize(2048);
		KeyPair keyPair = generator.generateKeyPair();
		Path pem = writePem(keyPair);
		this.server.enqueue(json(200, ACTIVE));
		this.server.enqueue(json(200, ACTIVE));
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api", METHOD + "private_key_jwt",
					"token-introspection.client-assertion.private-key-location=" + pem.toUri(),
					"token-introspection.client-assertion.key-id=notes-key-1")
			.run((context) -> {
				assertThat(introspectOnNonBlockingThread(context, "token-1").getName()).isEqualTo("alice");
				assertThat(introspectOnNonBlockingThread(context, "token-2").getName()).isEqualTo("alice");

				SignedJWT first = SignedJWT.parse(formValue(this.server.takeRequest().getBody().utf8(),
						"client_assertion"));
				SignedJWT second = SignedJWT.parse(formValue(this.server.takeRequest().getBody().utf8(),
						"client_assertion"));
				assertThat(first.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.RS256);
				assertThat(first.getHeader().getKeyID()).isEqualTo("notes-key-1");
				assertThat(first.verify(new RSASSAVerifier((RSAPublicKey) keyPair.getPublic()))).isTrue();
				assertThat(first.getJWTClaimsSet().getIssuer()).isEqualTo("notes-api");
				// A new assertion per request.
				assertThat(second.getJWTClaimsSet().getJWTID()).isNotEqualTo(first.getJWTClaimsSet().getJWTID());
			});
	}

	@Test
	void introspectWhenBearerWithTokenUriThenOneClientCredentialsTokenProtectsAllIntrospections() {
		BearerClientAuthenticationTests.AuthorizationServer authorizationServer = new BearerClientAuthenticationTests.AuthorizationServer();
		authorizationServer.requiredBearer = "rs-token";
		this.server.setDispatcher(authorizationServer);
		this.contextRunner
			.withPropertyValues(introspection(), OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=s3cret", METHOD + "bearer",
					"token-introspection.bearer.token-uri=" + this.server.url("/token"),
					"token-introspection.bearer.scope=introspection")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(authorizationServer.tokenRequests).hasValue(0);

				assertThat(introspectOnNonBlockingThread(context, "token-a").getName()).isEqualTo("alice");
				assertThat(introspectOnNonBlockingThread(context, "token-b").getName()).isEqualTo("alice");

				assertThat(authorizationServer.tokenRequests).hasValue(1);
				assertThat(authorizationServer.lastTokenScope).isEqualTo("introspection");
				assertThat(authorizationServer.acceptedIntrospections).hasValue(2);
				assertThat(authorizationServer.rejectedIntrospections).hasValue(0);
			});
	}

	@Test
	void introspectWhenBearerWithIssuerUriThenEndpointsDiscoveredOffTheEventLoop() {
		BearerClientAuthenticationTests.AuthorizationServer authorizationServer = new BearerClientAuthenticationTests.AuthorizationServer();
		String issuer = this.server.url("/realms/a").toString();
		authorizationServer.issuer = issuer;
		authorizationServer.requiredBearer = "rs-token";
		this.server.setDispatcher(authorizationServer);
		this.contextRunner
			.withPropertyValues("token-introspection.issuer-uri=" + issuer, OPAQUETOKEN + "client-id=notes-api",
					OPAQUETOKEN + "client-secret=s3cret", METHOD + "bearer")
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(this.server.getRequestCount()).isZero();

				assertThat(introspectOnNonBlockingThread(context, "token-a").getName()).isEqualTo("alice");

				assertThat(authorizationServer.tokenRequests).hasValue(1);
				assertThat(authorizationServer.acceptedIntrospections).hasValue(1);
			});
	}

	@Test
	void introspectWhenBearerWithStaticTokenThenSentAsIsWithoutTokenRequest() {
		BearerClientAuthenticationTests.AuthorizationServer authorizationServer = new BearerClientAuthenticationTests.AuthorizationServer();
		authorizationServer.requiredBearer = "static-value";
		this.server.setDispatcher(authorizationServer);
		this.contextRunner
			.withPropertyValues(introspection(), METHOD + "bearer", "token-introspection.bearer.token=static-value")
			.run((context) -> {
				assertThat(introspectOnNonBlockingThread(context, "token-a").getName()).isEqualTo("alice");

				assertThat(authorizationServer.tokenRequests).hasValue(0);
				assertThat(authorizationServer.acceptedIntrospections).hasValue(1);
			});
	}

	/**
	 * Subscribes on a parallel (non-blocking) thread, as a request on a Netty event loop
	 * would, and waits for the answer from the test thread.
	 */
	static OAuth2AuthenticatedPrincipal introspectOnNonBlockingThread(AssertableReactiveWebApplicationContext context,
			String token) {
		ReactiveOpaqueTokenIntrospector introspector = context.getBean(ReactiveOpaqueTokenIntrospector.class);
		return Mono.defer(() -> introspector.introspect(token))
			.subscribeOn(Schedulers.parallel())
			.block(Duration.ofSeconds(10));
	}

	/** Writes the private key as PKCS#8 PEM, as openssl genpkey does. */
	private Path writePem(KeyPair keyPair) throws IOException {
		return Files.writeString(this.directory.resolve("client-key.pem"),
				"-----BEGIN PRIVATE KEY-----\n"
						+ Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII))
							.encodeToString(keyPair.getPrivate().getEncoded())
						+ "\n-----END PRIVATE KEY-----\n");
	}

	private String introspection() {
		return OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect");
	}

}
