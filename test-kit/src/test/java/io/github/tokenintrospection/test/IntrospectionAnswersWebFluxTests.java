package io.github.tokenintrospection.test;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.web.server.ServerHttpSecurity;
import org.springframework.security.web.server.SecurityWebFilterChain;
import org.springframework.test.web.reactive.server.WebTestClient;

import static io.github.tokenintrospection.test.TokenIntrospectionWebTestClientConfigurers.introspectionAnswer;

/**
 * WebTestClient requests with answers written in the test go through the starter's real
 * reactive pipeline.
 */
@WebFluxTest(controllers = OrdersController.class, properties = "spring.main.web-application-type=reactive")
@AutoConfigureIntrospectionAnswers
class IntrospectionAnswersWebFluxTests {

	@Autowired
	WebTestClient client;

	@Test
	void getWhenAnswerGrantsScopeThen200WithSubjectAndMappedAuthorities() {
		String answer = "{\"active\":true,\"sub\":\"alice\",\"iss\":\"https://login.example.com\","
				+ "\"aud\":\"orders-api\",\"scope\":[\"orders:read\"],\"exp\":" + Answers.inAnHour()
				+ ",\"realm_access\":{\"roles\":[\"clerk\"]}}";

		this.client.mutateWith(introspectionAnswer(answer))
			.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isOk()
			.expectBody(String.class)
			.isEqualTo("alice ROLE_clerk,SCOPE_orders:read");
	}

	@Test
	void getWhenAnswerLacksScopeThen403() {
		this.client.mutateWith(introspectionAnswer(Answers.active("profile", "orders-api")))
			.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isForbidden();
	}

	@Test
	void getWhenAnswerExpiredThen401() {
		String expired = Answers.readOrders().replaceFirst("\"exp\":[0-9]+", "\"exp\":1000000000");

		this.client.mutateWith(introspectionAnswer(expired))
			.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void getWhenActiveIsTheStringTrueThen401() {
		String stringActive = Answers.readOrders().replace("\"active\":true", "\"active\":\"true\"");

		this.client.mutateWith(introspectionAnswer(stringActive))
			.get()
			.uri("/orders")
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@Test
	void getWhenTokenWasNeverRegisteredThen401() {
		this.client.get()
			.uri("/orders")
			.headers((headers) -> headers.setBearerAuth("never-registered"))
			.exchange()
			.expectStatus()
			.isUnauthorized();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Security {

		@Bean
		SecurityWebFilterChain securityWebFilterChain(ServerHttpSecurity http) {
			http.authorizeExchange((exchanges) -> exchanges.pathMatchers("/orders")
				.hasAuthority("SCOPE_orders:read")
				.anyExchange()
				.authenticated());
			http.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

}
