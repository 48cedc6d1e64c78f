package io.github.tokenintrospection.contract;

import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Base64;
import java.util.Map;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.testsupport.OidcProviderServer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Signed introspection answers (RFC 9701) against a real authorization server that
 * implements them, node {@code oidc-provider}, found through discovery (its metadata
 * gives the introspection endpoint, the key set and the issuer), on both stacks. With
 * {@code mode: require}, its signed answers let requests in; the same server with signed
 * answers switched off (plain JSON) gets 503; its signed answers encrypted for the
 * resource server's key are decrypted with {@code decryption-key-location}, and refused
 * without it.
 */
@ExtendWith(OutputCaptureExtension.class)
class OidcProviderSignedAnswersTests {

	private static final OidcProviderServer authorizationServer = OidcProviderServer.start();

	private static final OidcProviderServer plainAuthorizationServer = OidcProviderServer.startPlain();

	private static final RunningStacks applications = new RunningStacks(properties(authorizationServer));

	private static final RunningStacks plainApplications = new RunningStacks(properties(plainAuthorizationServer));

	private static final RSAKey resourceServerKey = resourceServerKey();

	private static final OidcProviderServer encryptingAuthorizationServer = OidcProviderServer
		.startEncryptingFor(resourceServerKey.toPublicJWK().toJSONString());

	private static final RunningStacks encryptedApplications = new RunningStacks(
			encryptedProperties(encryptingAuthorizationServer));

	@AfterAll
	static void stop() {
		applications.close();
		plainApplications.close();
		encryptedApplications.close();
		authorizationServer.close();
		plainAuthorizationServer.close();
		encryptingAuthorizationServer.close();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenServerSignsItsAnswersThen200AndAuditSaysJwt(Stack stack, CapturedOutput output) {
		String token = authorizationServer.accessToken("read");

		HttpResponse<String> response = applications.on(stack).get("/notes", token);

		assertThat(response.statusCode()).isEqualTo(200);
		assertThat(response.body()).isEqualTo("notes of " + OidcProviderServer.CLIENT_ID);
		String fingerprint = IntrospectionCacheControl.fingerprint(token);
		await().untilAsserted(() -> assertThat(output.getAll())
			.containsPattern("decision=accepted reason=none cache=miss path=introspection fingerprint=" + fingerprint
					+ " .* format=jwt proof=none server=default endpoint=" + authorizationServer.issuer()
					+ "/token/introspection rs_client_id=notes-api "));
		assertThat(output.getAll()).doesNotContain(token);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenServerSignsAndScopeIsMissingThen403(Stack stack) {
		String token = authorizationServer.accessToken("write");

		assertThat(applications.on(stack).get("/notes", token).statusCode()).isEqualTo(403);
	}

	@ParameterizedTest
	@EnumSource
	void getWhenRequiredButServerAnswersPlainJsonThen503(Stack stack, CapturedOutput output) {
		String token = plainAuthorizationServer.accessToken("read");

		HttpResponse<String> response = plainApplications.on(stack).get("/notes", token);

		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(output.getAll())
			.contains("answered plain JSON, but token-introspection.signed-answers.mode is 'require'");
	}

	@ParameterizedTest
	@EnumSource
	void getWhenServerEncryptsItsSignedAnswersThenDecryptedVerifiedAnd200(Stack stack, CapturedOutput output) {
		String token = encryptingAuthorizationServer.accessToken("read");

		HttpResponse<String> response = encryptedApplications.on(stack).get("/notes", token);

		assertThat(response.statusCode()).isEqualTo(200);
		String fingerprint = IntrospectionCacheControl.fingerprint(token);
		await().untilAsserted(() -> assertThat(output.getAll())
			.containsPattern("decision=accepted reason=none cache=miss path=introspection fingerprint=" + fingerprint
					+ " .* format=jwt "));
	}

	@ParameterizedTest
	@EnumSource
	void getWhenServerEncryptsButNoDecryptionKeyThen503(Stack stack) {
		String token = encryptingAuthorizationServer.accessToken("read");
		Map<String, Object> withoutKey = new java.util.HashMap<>(properties(encryptingAuthorizationServer));

		try (RunningStack application = stack.start(withoutKey)) {
			assertThat(application.get("/notes", token).statusCode()).isEqualTo(503);
		}
	}

	private static Map<String, Object> encryptedProperties(OidcProviderServer server) {
		Map<String, Object> properties = new java.util.HashMap<>(properties(server));
		properties.put("token-introspection.signed-answers.decryption-key-location", pemFile(resourceServerKey));
		return properties;
	}

	private static RSAKey resourceServerKey() {
		try {
			return new RSAKeyGenerator(2048).keyID("resource-server").generate();
		}
		catch (JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	/** The key as a PKCS#8 PEM file, as the property takes it. */
	private static String pemFile(RSAKey key) {
		try {
			Path file = Files.createTempFile("resource-server-", ".pem");
			Files.writeString(file,
					"-----BEGIN PRIVATE KEY-----\n"
							+ Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(key.toPrivateKey().getEncoded())
							+ "\n-----END PRIVATE KEY-----\n");
			return file.toUri().toString();
		}
		catch (IOException | JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static Map<String, Object> properties(OidcProviderServer server) {
		return Map.of("token-introspection.issuer-uri", server.issuer(),
				"spring.security.oauth2.resourceserver.opaquetoken.client-id", OidcProviderServer.RESOURCE_SERVER_ID,
				"spring.security.oauth2.resourceserver.opaquetoken.client-secret",
				OidcProviderServer.RESOURCE_SERVER_SECRET, "token-introspection.signed-answers.mode", "require",
				"token-introspection.principal-claim-name", "client_id",
				"token-introspection.resilience.circuit-breaker.enabled", "false");
	}

}
