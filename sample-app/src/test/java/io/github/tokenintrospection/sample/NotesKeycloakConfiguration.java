package io.github.tokenintrospection.sample;

import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.test.context.DynamicPropertyRegistrar;

/**
 * Points the notes API at the shared test Keycloak.
 */
@TestConfiguration(proxyBeanMethods = false)
class NotesKeycloakConfiguration {

	@Bean
	DynamicPropertyRegistrar keycloakUrl() {
		return (registry) -> registry.add("keycloak.url", () -> NotesKeycloak.container().getAuthServerUrl());
	}

}
