package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Collectors;

import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.KeyUse;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import dasniko.testcontainers.keycloak.KeycloakContainer;
import io.github.tokenintrospection.testsupport.DPoPProofs;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.ClientResource;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.common.util.MultivaluedHashMap;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.ComponentRepresentation;
import org.testcontainers.images.builder.Transferable;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * One real Keycloak for the whole test run (and for the sample app started with
 * {@code spring-boot:test-run}), with the "notes" realm imported from
 * {@code keycloak/notes-realm.json} and the API's client scopes added afterwards (a
 * {@code clientScopes} array in an imported realm would replace Keycloak's built-in
 * scopes).
 */
final class NotesKeycloak {

	static final String REALM = "notes";

	/** The second realm, of the {@code two-realms} profile. */
	static final String PARTNERS_REALM = "partners";

	static final String PARTNERS_API_CLIENT_ID = "partners-api";

	static final String PARTNERS_API_CLIENT_SECRET = "partners-api-secret";

	static final String API_CLIENT_ID = "notes-api";

	static final String API_CLIENT_SECRET = "notes-api-secret";

	/**
	 * Secret of a confidential client whose client id is the realm's URL. Keycloak (since
	 * 26.6.2) only calls a token active for a client in the token's aud, and a refresh
	 * token's aud is the realm URL: this client therefore gets {@code active: true} for
	 * its own refresh tokens even with {@code token_type_hint=access_token}, the request
	 * the starter sends.
	 */
	static final String REALM_AUDIENCE_CLIENT_SECRET = "realm-audience-secret";

	static final String JWT_CLIENT_ID = "notes-api-jwt";

	static final String JWT_CLIENT_SECRET = "notes-api-jwt-secret-0123456789abcdefgh";

	static final String PKJWT_CLIENT_ID = "notes-api-pkjwt";

	static final String PKJWT_KEY_ID = "notes-api-pkjwt-1";

	static final String MTLS_CLIENT_ID = "notes-api-mtls";

	/** CA, Keycloak's HTTPS certificate and the mutual-TLS client certificates. */
	static final TestPki PKI = TestPki.create("Notes Test CA");

	static final TestPki.IssuedCertificate KEYCLOAK_CERTIFICATE = PKI.issue("keycloak", "localhost", true);

	static final TestPki.IssuedCertificate MTLS_CLIENT_CERTIFICATE = PKI.issue("notes-api-mtls", MTLS_CLIENT_ID, false);

	/** The certificate of notes-machine-mtls, whose tokens are bound to it. */
	static final TestPki.IssuedCertificate MACHINE_CERTIFICATE = PKI.issue("notes-machine", "notes-machine", false);

	/** The notes API's own HTTPS certificate, for tests of certificate-bound tokens. */
	static final TestPki.IssuedCertificate API_SERVER_CERTIFICATE = PKI.issue("notes-api-server", "localhost", true);

	/** Trusted by Keycloak, but not the subject registered for the mTLS client. */
	static final TestPki.IssuedCertificate INTRUDER_CERTIFICATE = PKI.issue("intruder", "intruder", false);

	/** Key pair whose public half is registered for notes-api-pkjwt. */
	static final RSAKey PKJWT_KEY = rsaKey(PKJWT_KEY_ID);

	/** A key Keycloak does not know, with the same key id. */
	static final RSAKey UNKNOWN_PKJWT_KEY = rsaKey(PKJWT_KEY_ID);

	private static final String TLS_DIRECTORY = "/opt/keycloak/conf/test-tls/";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder()
		.version(HttpClient.Version.HTTP_1_1)
		.sslContext(PKI.trustingSslContext())
		.build();

	private static NotesKeycloakContainer container;

	private static RuntimeException startFailure;

	private NotesKeycloak() {
	}

	/**
	 * Pauses the container (the authorization server stops answering, connections hang).
	 * Docker's freeze of the container's cgroup can fail transiently on a busy machine
	 * ("unable to freeze"): tried a few times before the test fails.
	 */
	static void pause() {
		NotesKeycloakContainer keycloak = container();
		withRetries(() -> keycloak.getDockerClient().pauseContainerCmd(keycloak.getContainerId()).exec());
	}

	/** Resumes the paused container, retried as {@link #pause()}. */
	static void unpause() {
		NotesKeycloakContainer keycloak = container();
		withRetries(() -> keycloak.getDockerClient().unpauseContainerCmd(keycloak.getContainerId()).exec());
	}

	private static void withRetries(Runnable dockerCommand) {
		for (int attempt = 1;; attempt++) {
			try {
				dockerCommand.run();
				return;
			}
			catch (com.github.dockerjava.api.exception.InternalServerErrorException ex) {
				if (attempt == 5) {
					throw ex;
				}
				try {
					Thread.sleep(500);
				}
				catch (InterruptedException interrupted) {
					Thread.currentThread().interrupt();
					throw ex;
				}
			}
		}
	}

	static synchronized NotesKeycloakContainer container() {
		if (startFailure != null) {
			// One failed start is enough: do not spend minutes per test class retrying.
			throw new IllegalStateException("Keycloak did not start", startFailure);
		}
		if (container == null) {
			String image = System.getProperty("keycloak.image");
			if (image == null) {
				throw new IllegalStateException("System property keycloak.image is not set; run the tests with Maven, "
						+ "which takes it from the keycloak.image property of the parent pom");
			}
			NotesKeycloakContainer keycloak = new NotesKeycloakContainer(image);
			keycloak.withRealmImportFiles("keycloak/notes-realm.json", "keycloak/partners-realm.json")
				// Two minutes by default; on a busy two-core machine Keycloak's first
				// start can
				// take longer.
				.withStartupTimeout(Duration.ofMinutes(5));
			KeycloakSecurityEvents.transmitter(keycloak);
			withHttps(keycloak);
			try {
				keycloak.start();
			}
			catch (RuntimeException ex) {
				startFailure = ex;
				throw ex;
			}
			addClientScopes(keycloak);
			registerPublicKey(keycloak);
			Runtime.getRuntime().addShutdownHook(new Thread(keycloak::stop));
			container = keycloak;
		}
		return container;
	}

	static String realmUrl() {
		return container().getAuthServerUrl() + "/realms/" + REALM;
	}

	static String partnersRealmUrl() {
		return container().getAuthServerUrl() + "/realms/" + PARTNERS_REALM;
	}

	/**
	 * The realm over HTTPS, where Keycloak asks for (and verifies) client certificates.
	 * Tokens must be obtained and introspected through the same base URL.
	 */
	static String httpsRealmUrl() {
		return "https://localhost:" + container().getMappedPort(8443) + "/realms/" + REALM;
	}

	/**
	 * Serves HTTPS with the test CA's certificate and asks clients for certificates of
	 * the same CA (the x509 client authenticator then checks the subject); HTTP stays on.
	 */
	private static void withHttps(KeycloakContainer keycloak) {
		keycloak
			.withCopyToContainer(Transferable.of(KEYCLOAK_CERTIFICATE.certificatePem(), 0644),
					TLS_DIRECTORY + "server.crt")
			.withCopyToContainer(Transferable.of(KEYCLOAK_CERTIFICATE.privateKeyPem(), 0644),
					TLS_DIRECTORY + "server.key")
			.withCopyToContainer(Transferable.of(readString(PKI.caCertificateFile()), 0644), TLS_DIRECTORY + "ca.crt")
			.withEnv("KC_HTTPS_CERTIFICATE_FILE", TLS_DIRECTORY + "server.crt")
			.withEnv("KC_HTTPS_CERTIFICATE_KEY_FILE", TLS_DIRECTORY + "server.key")
			// Keep the health endpoint that the container's wait strategy polls on plain
			// HTTP.
			.withEnv("KC_HTTP_MANAGEMENT_SCHEME", "http")
			.withEnv("KC_TRUSTSTORE_PATHS", TLS_DIRECTORY + "ca.crt");
	}

	private static void registerPublicKey(KeycloakContainer keycloak) {
		try (Keycloak admin = keycloak.getKeycloakAdminClient()) {
			RealmResource realm = admin.realm(REALM);
			ClientResource client = realm.clients().get(realm.clients().findByClientId(PKJWT_CLIENT_ID).get(0).getId());
			ClientRepresentation representation = client.toRepresentation();
			Map<String, String> attributes = new LinkedHashMap<>(representation.getAttributes());
			attributes.put("use.jwks.url", "false");
			attributes.put("use.jwks.string", "true");
			attributes.put("jwks.string", new JWKSet(PKJWT_KEY.toPublicJWK()).toString());
			representation.setAttributes(attributes);
			client.update(representation);
		}
	}

	/** Writes the PEM (PKCS#8) private key of a key pair to a temporary file. */
	static java.nio.file.Path privateKeyFile(String name, RSAKey key) {
		try {
			return PKI.writePrivateKey(name, key.toPrivateKey());
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static RSAKey rsaKey(String keyId) {
		try {
			return new RSAKeyGenerator(2048).keyID(keyId)
				.keyUse(KeyUse.SIGNATURE)
				.algorithm(com.nimbusds.jose.JWSAlgorithm.RS256)
				.generate();
		}
		catch (com.nimbusds.jose.JOSEException ex) {
			throw new IllegalStateException(ex);
		}
	}

	private static String readString(java.nio.file.Path file) {
		try {
			return java.nio.file.Files.readString(file);
		}
		catch (IOException ex) {
			throw new java.io.UncheckedIOException(ex);
		}
	}

	/**
	 * Obtains tokens with the resource owner password grant.
	 * @param clientId a client of the realm; for notes-api its secret is sent too
	 * @param scope the scopes to ask for beyond the client's default scopes
	 */
	static Tokens passwordGrant(String clientId, String username, String scope) {
		return passwordGrant(realmUrl(), clientId, username, scope);
	}

	/** Obtains tokens through the given base URL of the realm (HTTP or HTTPS). */
	static Tokens passwordGrant(String realmUrl, String clientId, String username, String scope) {
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "password");
		form.put("client_id", clientId);
		if (API_CLIENT_ID.equals(clientId)) {
			form.put("client_secret", API_CLIENT_SECRET);
		}
		else if (realmUrl().equals(clientId)) {
			form.put("client_secret", REALM_AUDIENCE_CLIENT_SECRET);
		}
		form.put("username", username);
		form.put("password", username);
		form.put("scope", "openid " + scope);
		JsonNode tokens = postForm(realmUrl + "/protocol/openid-connect/token", form);
		return new Tokens(tokens.get("access_token").stringValue(), tokens.get("refresh_token").stringValue());
	}

	/**
	 * Obtains a DPoP-bound access token (RFC 9449 section 5) with the resource owner
	 * password grant: the token request carries a proof of the client's key.
	 * @param clientId a public client of the notes realm
	 * @param username the user (whose password is the user name)
	 * @param client the DPoP client's key
	 * @return the access token, bound to the key
	 */
	static String dpopPasswordGrant(String clientId, String username, DPoPProofs client) {
		String tokenEndpoint = realmUrl() + "/protocol/openid-connect/token";
		Map<String, String> form = new LinkedHashMap<>();
		form.put("grant_type", "password");
		form.put("client_id", clientId);
		form.put("username", username);
		form.put("password", username);
		form.put("scope", "openid");
		JsonNode tokens = JSON
			.readTree(post(tokenEndpoint, form, Map.of("DPoP", client.proof().htm("POST").htu(tokenEndpoint).sign())));
		if (!"DPoP".equalsIgnoreCase(tokens.path("token_type").stringValue())) {
			throw new IllegalStateException("Keycloak did not issue a DPoP-bound token: " + tokens.path("token_type"));
		}
		return tokens.get("access_token").stringValue();
	}

	/**
	 * Obtains a certificate-bound access token (RFC 8705) with the client credentials
	 * grant of notes-machine-mtls, over HTTPS with the machine's certificate.
	 * @return the access token, bound to {@link #MACHINE_CERTIFICATE}
	 */
	static String certificateBoundToken() {
		HttpClient mtls = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.sslContext(PKI.sslContext(MACHINE_CERTIFICATE))
			.build();
		String body = "grant_type=client_credentials&client_id=notes-machine-mtls";
		HttpRequest request = HttpRequest.newBuilder(URI.create(httpsRealmUrl() + "/protocol/openid-connect/token"))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build();
		try {
			HttpResponse<String> response = mtls.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Keycloak answered " + response.statusCode() + ": " + response.body());
			}
			return JSON.readTree(response.body()).get("access_token").stringValue();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/** Asks Keycloak's introspection endpoint over HTTPS, as the notes-api client. */
	static JsonNode introspectOverHttps(String token) {
		return postForm(httpsRealmUrl() + "/protocol/openid-connect/token/introspect", Map.of("token", token,
				"token_type_hint", "access_token", "client_id", API_CLIENT_ID, "client_secret", API_CLIENT_SECRET));
	}

	/** Asks Keycloak's introspection endpoint directly, as the notes-api client. */
	static JsonNode introspect(String token) {
		return introspect(token, API_CLIENT_ID, API_CLIENT_SECRET);
	}

	/**
	 * Asks Keycloak's introspection endpoint directly, as the starter does by default.
	 */
	static JsonNode introspect(String token, String clientId, String clientSecret) {
		return postForm(realmUrl() + "/protocol/openid-connect/token/introspect", Map.of("token", token,
				"token_type_hint", "access_token", "client_id", clientId, "client_secret", clientSecret));
	}

	/**
	 * Rotates the realm's signing key: a new generated RSA key with a higher priority
	 * than the realm's default one, so that new access tokens carry its {@code kid}.
	 * @return the new key's component id, for {@link #removeRealmKey(String)}
	 */
	static String rotateRealmKey() {
		try (Keycloak admin = container().getKeycloakAdminClient()) {
			RealmResource realm = admin.realm(REALM);
			ComponentRepresentation key = new ComponentRepresentation();
			key.setName("rotated-rsa");
			key.setProviderId("rsa-generated");
			key.setProviderType("org.keycloak.keys.KeyProvider");
			key.setParentId(realm.toRepresentation().getId());
			MultivaluedHashMap<String, String> config = new MultivaluedHashMap<>();
			config.putSingle("priority", "1000");
			config.putSingle("keySize", "2048");
			config.putSingle("algorithm", "RS256");
			config.putSingle("active", "true");
			config.putSingle("enabled", "true");
			key.setConfig(config);
			try (Response response = realm.components().add(key)) {
				return CreatedResponseUtil.getCreatedId(response);
			}
		}
	}

	/** Removes a key that {@link #rotateRealmKey()} added. */
	static void removeRealmKey(String componentId) {
		try (Keycloak admin = container().getKeycloakAdminClient()) {
			admin.realm(REALM).components().component(componentId).remove();
		}
	}

	/** Revokes a token at Keycloak (RFC 7009), as the public client that obtained it. */
	static void revoke(String token, String clientId) {
		post(realmUrl() + "/protocol/openid-connect/revoke",
				Map.of("token", token, "token_type_hint", "access_token", "client_id", clientId));
	}

	private static JsonNode postForm(String url, Map<String, String> form) {
		return JSON.readTree(post(url, form));
	}

	private static String post(String url, Map<String, String> form) {
		return post(url, form, Map.of());
	}

	private static String post(String url, Map<String, String> form, Map<String, String> headers) {
		String body = form.entrySet()
			.stream()
			.map((entry) -> encode(entry.getKey()) + "=" + encode(entry.getValue()))
			.collect(Collectors.joining("&"));
		HttpRequest.Builder builder = HttpRequest.newBuilder(URI.create(url))
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString(body));
		headers.forEach(builder::header);
		HttpRequest request = builder.build();
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != 200) {
				throw new IllegalStateException("Keycloak answered " + response.statusCode() + ": " + response.body());
			}
			return response.body();
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	private static String encode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	private static void addClientScopes(KeycloakContainer keycloak) {
		try (Keycloak admin = keycloak.getKeycloakAdminClient()) {
			addNotesScopes(admin.realm(REALM), "notes-web", "notes-web-short-lived", "notes-web-lightweight",
					API_CLIENT_ID, "notes-machine-mtls");
			addNotesScopes(admin.realm(PARTNERS_REALM), "partners-web", PARTNERS_API_CLIENT_ID);
			createRealmAudienceClient(admin.realm(REALM), keycloak.getAuthServerUrl() + "/realms/" + REALM);
		}
	}

	private static void addNotesScopes(RealmResource realm, String... clientIds) {
		String read = createClientScope(realm, "notes:read");
		String write = createClientScope(realm, "notes:write");
		for (String clientId : clientIds) {
			ClientResource client = realm.clients().get(realm.clients().findByClientId(clientId).get(0).getId());
			client.addDefaultClientScope(read);
			client.addOptionalClientScope(write);
		}
	}

	private static void createRealmAudienceClient(RealmResource realm, String realmUrl) {
		ClientRepresentation client = new ClientRepresentation();
		client.setClientId(realmUrl);
		client.setEnabled(true);
		client.setPublicClient(false);
		client.setSecret(REALM_AUDIENCE_CLIENT_SECRET);
		client.setStandardFlowEnabled(false);
		client.setDirectAccessGrantsEnabled(true);
		try (Response response = realm.clients().create(client)) {
			CreatedResponseUtil.getCreatedId(response);
		}
	}

	private static String createClientScope(RealmResource realm, String name) {
		ClientScopeRepresentation scope = new ClientScopeRepresentation();
		scope.setName(name);
		scope.setProtocol("openid-connect");
		scope.setAttributes(Map.of("include.in.token.scope", "true", "display.on.consent.screen", "false"));
		try (Response response = realm.clientScopes().create(scope)) {
			return CreatedResponseUtil.getCreatedId(response);
		}
	}

	record Tokens(String accessToken, String refreshToken) {
	}

	/**
	 * The shared container: started once, stopped by a shutdown hook when the JVM ends.
	 */
	static final class NotesKeycloakContainer extends KeycloakContainer {

		NotesKeycloakContainer(String image) {
			super(image);
		}

		@Override
		protected void configure() {
			super.configure();
			// The container class sets this to "none" unless it serves HTTPS only; here
			// HTTP
			// stays the main URL and HTTPS asks for client certificates.
			withEnv("KC_HTTPS_CLIENT_AUTH", "request");
		}

		/**
		 * The destroy method of the container as a bean
		 * ({@link NotesKeycloakServiceConnection}): closing one test context must not
		 * stop the container that the other test classes use.
		 */
		void release() {
		}

	}

}
