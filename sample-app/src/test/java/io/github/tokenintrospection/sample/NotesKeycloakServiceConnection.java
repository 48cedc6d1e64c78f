package io.github.tokenintrospection.sample;

import io.github.tokenintrospection.sample.NotesKeycloak.NotesKeycloakContainer;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.testcontainers.service.connection.ServiceConnection;
import org.springframework.context.annotation.Bean;

/**
 * Connects the notes API to the shared test Keycloak through {@code @ServiceConnection}:
 * the introspection endpoint, the issuer and the notes-api client of the notes realm
 * (named, as the partners realm has a confidential client too) come from the container,
 * no property needed. Used by {@link TestNotesApplication} ({@code spring-boot:test-run})
 * and {@link ServiceConnectionKeycloakTests}.
 */
@TestConfiguration(proxyBeanMethods = false)
class NotesKeycloakServiceConnection {

	// The container outlives any one context: a shutdown hook stops it when the JVM ends.
	@Bean(destroyMethod = "release")
	// The partners realm has a confidential client too: name the resource server's.
	@ServiceConnection(name = "notes/notes-api")
	NotesKeycloakContainer keycloak() {
		return NotesKeycloak.container();
	}

}
