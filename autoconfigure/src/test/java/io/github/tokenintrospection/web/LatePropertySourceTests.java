package io.github.tokenintrospection.web;

import java.net.http.HttpResponse;

import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.test.context.DynamicPropertyRegistrar;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Properties that a {@link DynamicPropertyRegistrar} bean contributes (as Testcontainers
 * setups do) still shape the introspector on a real server: the 503 filter, created with
 * the web server before such beans run, must not bind the starter's properties early.
 */
@SpringBootTest(classes = NotesApplications.Servlet.class, webEnvironment = WebEnvironment.RANDOM_PORT)
@Import(LatePropertySourceTests.LateProperties.class)
class LatePropertySourceTests {

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	@LocalServerPort
	int port;

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@DynamicPropertySource
	static void introspection(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri", authorizationServer::url);
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id", () -> "notes-api");
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-secret", () -> "s3cret");
	}

	@Test
	void getWhenAudienceRequiredByLatePropertySourceThenTokenWithoutItIsRejected() {
		HttpResponse<String> response = FaultInjectionTests.get(this.port, "token-without-aud");

		assertThat(response.statusCode()).isEqualTo(401);
		assertThat(response.headers().firstValue("WWW-Authenticate"))
			.hasValueSatisfying((value) -> assertThat(value).contains("audience"));
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class LateProperties {

		@Bean
		DynamicPropertyRegistrar introspectionProperties() {
			return (registry) -> registry.add("token-introspection.validation.required-audiences", () -> "billing-api");
		}

	}

}
