package io.github.tokenintrospection.sample;

import org.springframework.boot.SpringApplication;

/**
 * Starts the notes API against a fresh Keycloak container with the "notes" realm:
 * {@code ./mvnw -pl sample-app -am test-compile spring-boot:test-run}. The starter is
 * connected to the container by {@code @ServiceConnection} (no endpoint or client
 * property).
 */
public class TestNotesApplication {

	public static void main(String[] args) {
		SpringApplication.from(NotesApplication::main).with(NotesKeycloakServiceConnection.class).run(args);
		System.out.println(
				"""

						Notes API on http://localhost:8081, Keycloak realm at %s
						Get a token:  curl -s -d grant_type=password -d client_id=notes-web -d username=alice -d password=alice \\
						                -d 'scope=openid notes:write' %s/protocol/openid-connect/token
						"""
					.formatted(NotesKeycloak.realmUrl(), NotesKeycloak.realmUrl()));
	}

}
