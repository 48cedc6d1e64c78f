package io.github.tokenintrospection.sample;

import org.springframework.boot.SpringApplication;

/**
 * Starts the notes API against a fresh Keycloak container with the "notes" realm (and the
 * "partners" realm of the {@code two-realms} profile):
 * {@code ./mvnw -pl sample-app -am test-compile spring-boot:test-run}. The starter is
 * connected to the container by {@code @ServiceConnection} (no endpoint or client
 * property).
 */
public class TestNotesApplication {

	public static void main(String[] args) {
		// What no service connection carries: the partners realm of the two-realms
		// profile is found under keycloak.url.
		System.setProperty("keycloak.url", NotesKeycloak.container().getAuthServerUrl());
		SpringApplication.from(NotesApplication::main).with(NotesKeycloakServiceConnection.class).run(args);
		System.out.println(
				"""

						Notes API on http://localhost:8081, Keycloak realm at %s
						Get a token:  curl -s -d grant_type=password -d client_id=notes-web -d username=alice -d password=alice \\
						                -d 'scope=openid notes:write' %s/protocol/openid-connect/token
						With --spring.profiles.active=two-realms, partners (carol/carol, client partners-web) call
						/api/partners/notes with tokens of %s
						"""
					.formatted(NotesKeycloak.realmUrl(), NotesKeycloak.realmUrl(), NotesKeycloak.partnersRealmUrl()));
	}

}
