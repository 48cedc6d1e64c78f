package io.github.tokenintrospection.sample;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistrar;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Only the issuer is configured: the introspection endpoint comes from Keycloak's
 * metadata, on first use, and the issuer is the allowed issuer.
 */
@SpringBootTest(webEnvironment = WebEnvironment.RANDOM_PORT, properties = {
		"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=",
		// Reactor is on the test class path (for the reactive tests), and Spring Boot's
		// reactive resource server configuration takes an empty introspection-uri as set.
		"spring.autoconfigure.exclude=org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration",
		"token-introspection.validation.allowed-issuers=" })
@Import({ NotesKeycloakConfiguration.class, DiscoveryKeycloakTests.IssuerOnly.class })
class DiscoveryKeycloakTests {

	@LocalServerPort
	int port;

	@Autowired
	RestClientIntrospectionClient client;

	@Test
	void getWhenOnlyIssuerConfiguredThenEndpointDiscoveredAndTokenAccepted() {
		// Nothing was asked at start-up.
		assertThat(this.client.requestCount()).isZero();
		IntrospectionOutcomes.assertAccepted(this.port, this.client, ClientSecretKeycloakTests.bobsToken());
	}

	static class IssuerOnly {

		@Bean
		DynamicPropertyRegistrar issuerUri() {
			return (registry) -> registry.add("token-introspection.issuer-uri", NotesKeycloak::realmUrl);
		}

	}

}
