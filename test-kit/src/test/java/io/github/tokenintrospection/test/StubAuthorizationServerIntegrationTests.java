package io.github.tokenintrospection.test;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;
import org.springframework.test.web.servlet.MockMvc;

import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * An application pointed at the stub authorization server introspects over HTTP with the
 * starter's real client: plain http to the loopback stub needs no extra property.
 */
@WebMvcTest(OrdersController.class)
class StubAuthorizationServerIntegrationTests {

	@RegisterExtension
	static final StubAuthorizationServer authorizationServer = new StubAuthorizationServer();

	@DynamicPropertySource
	static void authorizationServer(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri",
				authorizationServer::introspectionUri);
	}

	@Autowired
	MockMvc mvc;

	@Autowired
	ApplicationContext context;

	@Test
	void getWhenStubAnswersActiveThen200AndLaterRequestsAreServedFromTheCache() throws Exception {
		assertThat(this.context.getBeansOfType(RestClientIntrospectionClient.class)).hasSize(1);
		String token = authorizationServer.registerAnswer(Answers.readOrders());

		this.mvc.perform(get("/orders").header("Authorization", "Bearer " + token))
			.andExpect(status().isOk())
			.andExpect(content().string("alice SCOPE_orders:read"));
		this.mvc.perform(get("/orders").header("Authorization", "Bearer " + token)).andExpect(status().isOk());

		assertThat(authorizationServer.introspectionCalls(token)).isOne();
	}

	@Test
	void getWhenTokenUnknownToTheStubThen401() throws Exception {
		this.mvc.perform(get("/orders").header("Authorization", "Bearer never-registered"))
			.andExpect(status().isUnauthorized());

		assertThat(authorizationServer.introspectionCalls("never-registered")).isOne();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Security {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().hasAuthority("SCOPE_orders:read"));
			http.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

}
