package io.github.tokenintrospection.sample;

import java.time.Instant;

/**
 * Introspection answers shaped like the notes realm's (Keycloak): {@code exp} in epoch
 * seconds, {@code scope} a space-separated string, roles under {@code realm_access} and
 * {@code resource_access}, the user name in {@code preferred_username}.
 */
final class NotesAnswers {

	private final String issuer;

	NotesAnswers(String issuer) {
		this.issuer = issuer;
	}

	/**
	 * An answer for bob, valid for five minutes, with the given scope and realm roles.
	 */
	String bob(String scope, String... realmRoles) {
		return answer("bob", scope, "notes-api", Instant.now().plusSeconds(300), String.join("\",\"", realmRoles), "");
	}

	/** An answer for alice, an editor of the notes API, with the given scope. */
	String aliceEditor(String scope) {
		return answer("alice", scope, "notes-api", Instant.now().plusSeconds(300), "", "editor");
	}

	String answer(String user, String scope, String audience, Instant expiresAt, String realmRoles, String clientRole) {
		String realm = realmRoles.isEmpty() ? "[]" : "[\"" + realmRoles + "\"]";
		String client = clientRole.isEmpty() ? "[]" : "[\"" + clientRole + "\"]";
		return "{\"active\":true,\"sub\":\"" + user + "-id\",\"preferred_username\":\"" + user + "\",\"iss\":\""
				+ this.issuer + "\",\"aud\":[\"" + audience
				+ "\",\"account\"],\"azp\":\"notes-web\",\"typ\":\"Bearer\"," + "\"token_type\":\"Bearer\",\"scope\":\""
				+ scope + "\",\"iat\":" + Instant.now().getEpochSecond() + ",\"exp\":" + expiresAt.getEpochSecond()
				+ ",\"realm_access\":{\"roles\":" + realm + "},\"resource_access\":{\"notes-api\":{\"roles\":" + client
				+ "}}}";
	}

}
