package io.github.tokenintrospection.internal.testcontainers;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * Chooses, from the realm files a Keycloak container imports, the realm and the client
 * the resource server introspects with: a confidential client that authenticates with a
 * client secret written in the file. Exactly one such client, or the one the
 * {@code @ServiceConnection} names ({@code client-id} or {@code realm/client-id});
 * anything else is an error that lists the candidates.
 */
final class RealmImports {

	/** Clients every realm has, none of them a resource server's. */
	private static final Set<String> BUILT_IN_CLIENTS = Set.of("account", "account-console", "admin-cli", "broker",
			"realm-management", "security-admin-console");

	/** How Keycloak's realm export writes a secret it does not show. */
	private static final String MASKED_SECRET = "**********";

	private static final JsonMapper JSON = JsonMapper.builder().build();

	private RealmImports() {
	}

	/**
	 * Chooses the introspecting client.
	 * @param files the imported realm files
	 * @param named whether {@code @ServiceConnection(name = ...)} names the given
	 * {@code client-id} or {@code realm/client-id}
	 * @return the realm, client id and secret
	 * @throws IllegalStateException when no client, or more than one, fits
	 */
	static IntrospectingClient choose(List<RealmFile> files, Predicate<String> named) {
		if (files.isEmpty()) {
			throw new IllegalStateException("The Keycloak container imports no realm file (withRealmImportFile): "
					+ "@ServiceConnection needs one to know the realm and the resource server's client");
		}
		List<IntrospectingClient> candidates = new ArrayList<>();
		for (RealmFile file : files) {
			candidates.addAll(candidates(file));
		}
		List<IntrospectingClient> chosen = candidates.stream()
			.filter((client) -> named.test(client.clientId()) || named.test(client.qualifiedName()))
			.toList();
		if (chosen.size() == 1) {
			return chosen.get(0);
		}
		if (chosen.isEmpty() && candidates.size() == 1) {
			return candidates.get(0);
		}
		List<String> names = (chosen.isEmpty() ? candidates : chosen).stream()
			.map(IntrospectingClient::qualifiedName)
			.toList();
		if (names.isEmpty()) {
			throw new IllegalStateException("No client of the realm files "
					+ files.stream().map(RealmFile::name).toList()
					+ " can introspect for the resource server: @ServiceConnection needs an enabled confidential "
					+ "client whose clientAuthenticatorType is client-secret and whose secret is in the file");
		}
		throw new IllegalStateException("Several clients of the imported realms can introspect: " + names
				+ "; name the resource server's with @ServiceConnection(name = \"<client-id>\") or "
				+ "@ServiceConnection(name = \"<realm>/<client-id>\")");
	}

	private static List<IntrospectingClient> candidates(RealmFile file) {
		JsonNode realm;
		try {
			realm = JSON.readTree(file.content());
		}
		catch (JacksonException ex) {
			throw new IllegalStateException(
					"The realm file " + file.name() + " is not JSON: " + ex.getOriginalMessage(), ex);
		}
		List<IntrospectingClient> candidates = new ArrayList<>();
		if (realm == null || !realm.path("realm").isString()) {
			return candidates;
		}
		for (JsonNode client : realm.path("clients")) {
			if (introspectsWithSecret(client)) {
				candidates.add(new IntrospectingClient(realm.path("realm").stringValue(),
						client.path("clientId").stringValue(), client.path("secret").stringValue()));
			}
		}
		return candidates;
	}

	private static boolean introspectsWithSecret(JsonNode client) {
		String secret = client.path("secret").asString("");
		return client.path("clientId").isString() && !BUILT_IN_CLIENTS.contains(client.path("clientId").stringValue())
				&& !client.path("publicClient").asBoolean(false) && client.path("enabled").asBoolean(true)
				&& "openid-connect".equals(client.path("protocol").asString("openid-connect"))
				&& "client-secret".equals(client.path("clientAuthenticatorType").asString("client-secret"))
				&& !secret.isBlank() && !MASKED_SECRET.equals(secret);
	}

	/**
	 * One realm file as the container imports it.
	 *
	 * @param name where it comes from, for messages
	 * @param content its JSON
	 */
	record RealmFile(String name, String content) {
	}

	/**
	 * The client the resource server introspects with.
	 *
	 * @param realm the realm's name
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 */
	record IntrospectingClient(String realm, String clientId, String clientSecret) {

		String qualifiedName() {
			return this.realm + "/" + this.clientId;
		}

		@Override
		public String toString() {
			// Never the secret, should a record end up in a message.
			return "IntrospectingClient[" + qualifiedName() + "]";
		}

	}

}
