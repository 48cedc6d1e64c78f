package io.github.tokenintrospection.sample;

import java.io.IOException;
import java.net.URI;
import java.net.URLEncoder;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

import dasniko.testcontainers.keycloak.KeycloakContainer;
import jakarta.ws.rs.core.Response;
import org.keycloak.admin.client.CreatedResponseUtil;
import org.keycloak.admin.client.Keycloak;
import org.keycloak.admin.client.resource.RealmResource;
import org.keycloak.representations.idm.ClientRepresentation;
import org.keycloak.representations.idm.ClientScopeRepresentation;
import org.keycloak.representations.idm.CredentialRepresentation;
import org.keycloak.representations.idm.RealmRepresentation;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Keycloak's Shared Signals transmitter (the experimental {@code ssf} feature of 26.x) as
 * the notes realm's: a receiver client whose stream pushes CAEP events to the notes API.
 * What it takes, in Keycloak's terms (see docs/revocation.md): the feature, the realm
 * attribute {@code ssf.transmitterEnabled}, a confidential client with a service account,
 * the client attributes {@code ssf.enabled}, {@code ssf.validPushUrls},
 * {@code ssf.defaultSubjects=ALL} and {@code ssf.streamAudience}, the optional scopes
 * {@code ssf.read} and {@code ssf.manage}, and one stream created with the client's own
 * token. Pushing to a plain-http, private address (the test's host) also takes the SPI
 * option {@code allow-insecure-push-targets}; the outbox is drained every second rather
 * than every 30 s.
 */
final class KeycloakSecurityEvents {

	static final String RECEIVER_CLIENT_ID = "notes-events";

	static final String POLLING_CLIENT_ID = "notes-events-poll";

	static final String POLLING_CLIENT_SECRET = "notes-events-poll-secret";

	/** The aud of the stream's SETs (client attribute {@code ssf.streamAudience}). */
	static final String AUDIENCE = "notes-api-events";

	static final String SESSION_REVOKED = "https://schemas.openid.net/secevent/caep/event-type/session-revoked";

	static final String CREDENTIAL_CHANGE = "https://schemas.openid.net/secevent/caep/event-type/credential-change";

	/** How the container reaches the test's host, where the notes API listens. */
	static final String HOST_FROM_CONTAINER = "host.docker.internal";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

	private static final Map<String, String> pushStreams = new HashMap<>();

	private static String pollEndpoint;

	private KeycloakSecurityEvents() {
	}

	/** The container options, before it starts. */
	static void transmitter(KeycloakContainer keycloak) {
		keycloak.withFeaturesEnabled("ssf")
			.withCustomCommand("--spi-ssf-transmitter--default--allow-insecure-push-targets=true")
			.withCustomCommand("--spi-ssf-transmitter--default--outbox-drainer-interval=1s")
			.withExtraHost(HOST_FROM_CONTAINER, "host-gateway");
	}

	/**
	 * Makes the notes realm a transmitter with a push stream of the given receiver client
	 * to a notes API on the test's host, once per client (Keycloak keeps one stream per
	 * receiver client). The client's secret is its id followed by {@code -secret}.
	 * @param clientId the receiver client, created here
	 * @param port the notes API's port on the test's host
	 * @param authorization the Authorization header the stream sends
	 */
	static synchronized void streamTo(String clientId, int port, String authorization) {
		String pushUrl = "http://" + HOST_FROM_CONTAINER + ":" + port + "/security-events";
		String streaming = pushStreams.get(clientId);
		if (pushUrl.equals(streaming)) {
			return;
		}
		if (streaming != null) {
			throw new IllegalStateException(clientId + " already streams to " + streaming);
		}
		// Once, whatever follows: the client stays, and a second attempt would collide.
		pushStreams.put(clientId, pushUrl);
		try (Keycloak admin = NotesKeycloak.container().getKeycloakAdminClient()) {
			RealmResource realm = admin.realm(NotesKeycloak.REALM);
			enableTransmitter(realm);
			createReceiverClient(realm, clientId, clientId + "-secret", pushUrl);
		}
		JsonNode stream = createStream(clientId, clientId + "-secret",
				Map.of("method", "urn:ietf:rfc:8935", "endpoint_url", pushUrl, "authorization_header", authorization));
		if (!stream.path("events_delivered").toString().contains("session-revoked")) {
			throw new IllegalStateException("The stream delivers no session-revoked events: " + stream);
		}
	}

	/**
	 * A second receiver (Keycloak keeps one stream per client) whose stream is polled
	 * (RFC 8936), once per run.
	 * @return the stream's poll endpoint
	 */
	static synchronized String pollStream() {
		if (pollEndpoint == null) {
			try (Keycloak admin = NotesKeycloak.container().getKeycloakAdminClient()) {
				RealmResource realm = admin.realm(NotesKeycloak.REALM);
				enableTransmitter(realm);
				createReceiverClient(realm, POLLING_CLIENT_ID, POLLING_CLIENT_SECRET, null);
			}
			JsonNode stream = createStream(POLLING_CLIENT_ID, POLLING_CLIENT_SECRET,
					Map.of("method", "urn:ietf:rfc:8936"));
			pollEndpoint = stream.path("delivery").path("endpoint_url").stringValue();
		}
		return pollEndpoint;
	}

	/** Sets the realm attribute once; Keycloak then creates the ssf.* client scopes. */
	private static void enableTransmitter(RealmResource realm) {
		RealmRepresentation representation = realm.toRepresentation();
		Map<String, String> attributes = new HashMap<>(
				(representation.getAttributes() != null) ? representation.getAttributes() : Map.of());
		if ("true".equals(attributes.get("ssf.transmitterEnabled"))) {
			return;
		}
		attributes.put("ssf.transmitterEnabled", "true");
		representation.setAttributes(attributes);
		realm.update(representation);
	}

	private static void createReceiverClient(RealmResource realm, String clientId, String secret, String pushUrl) {
		ClientRepresentation client = new ClientRepresentation();
		client.setClientId(clientId);
		client.setEnabled(true);
		client.setPublicClient(false);
		client.setSecret(secret);
		client.setStandardFlowEnabled(false);
		client.setServiceAccountsEnabled(true);
		Map<String, String> attributes = new HashMap<>(
				Map.of("ssf.enabled", "true", "ssf.defaultSubjects", "ALL", "ssf.streamAudience", AUDIENCE));
		if (pushUrl != null) {
			attributes.put("ssf.validPushUrls", pushUrl);
		}
		client.setAttributes(attributes);
		String id;
		try (Response response = realm.clients().create(client)) {
			id = CreatedResponseUtil.getCreatedId(response);
		}
		for (ClientScopeRepresentation scope : realm.clientScopes().findAll()) {
			if (List.of("ssf.read", "ssf.manage").contains(scope.getName())) {
				realm.clients().get(id).addOptionalClientScope(scope.getId());
			}
		}
	}

	private static JsonNode createStream(String clientId, String secret, Map<String, String> delivery) {
		String token = JSON
			.readTree(
					send(HttpRequest.newBuilder(URI.create(NotesKeycloak.realmUrl() + "/protocol/openid-connect/token"))
						.header("Content-Type", "application/x-www-form-urlencoded")
						.POST(HttpRequest.BodyPublishers
							.ofString("grant_type=client_credentials&client_id=" + clientId + "&client_secret=" + secret
									+ "&scope=" + URLEncoder.encode("ssf.read ssf.manage", StandardCharsets.UTF_8)))
						.build(), 200))
			.path("access_token")
			.stringValue();
		Map<String, Object> body = Map.of("description", "notes API", "events_requested",
				List.of(SESSION_REVOKED, CREDENTIAL_CHANGE), "delivery", delivery);
		return JSON
			.readTree(send(HttpRequest.newBuilder(URI.create(NotesKeycloak.realmUrl() + "/ssf/transmitter/streams"))
				.header("Content-Type", "application/json")
				.header("Authorization", "Bearer " + token)
				.POST(HttpRequest.BodyPublishers.ofString(JSON.writeValueAsString(body)))
				.build(), 201));
	}

	/** An administrator logs the user out of every session (admin API). */
	static void logOut(String username) {
		try (Keycloak admin = NotesKeycloak.container().getKeycloakAdminClient()) {
			RealmResource realm = admin.realm(NotesKeycloak.REALM);
			realm.users().get(userId(realm, username)).logout();
		}
	}

	/**
	 * An administrator sets the user's password (to the same value: the user can go on).
	 */
	static void resetPassword(String username) {
		try (Keycloak admin = NotesKeycloak.container().getKeycloakAdminClient()) {
			RealmResource realm = admin.realm(NotesKeycloak.REALM);
			CredentialRepresentation password = new CredentialRepresentation();
			password.setType(CredentialRepresentation.PASSWORD);
			password.setValue(username);
			password.setTemporary(false);
			realm.users().get(userId(realm, username)).resetPassword(password);
		}
	}

	private static String userId(RealmResource realm, String username) {
		return realm.users().searchByUsername(username, true).get(0).getId();
	}

	private static String send(HttpRequest request, int expectedStatus) {
		try {
			HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
			if (response.statusCode() != expectedStatus) {
				throw new IllegalStateException("Keycloak answered " + response.statusCode() + " to "
						+ request.uri().getPath() + ": " + response.body());
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

}
