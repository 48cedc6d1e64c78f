package io.github.tokenintrospection.test;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.annotation.Bean;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.tokenintrospection.test.TokenIntrospectionRequestPostProcessors.introspectionAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.content;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.header;
import static org.springframework.test.web.servlet.result.MockMvcResultMatchers.status;

/**
 * MockMvc requests with answers written in the test go through the starter's real
 * pipeline: parser, claim validators, authorities mapping, principal name and listeners.
 */
@WebMvcTest(OrdersController.class)
@AutoConfigureIntrospectionAnswers
class IntrospectionAnswersWebMvcTests {

	@Autowired
	MockMvc mvc;

	@Autowired
	RecordingListener listener;

	@BeforeEach
	void clearDecisions() {
		this.listener.decisions.clear();
	}

	@Test
	void getWhenAnswerGrantsScopeThen200WithSubjectAndMappedAuthorities() throws Exception {
		String answer = "{\"active\":true,\"sub\":\"alice\",\"iss\":\"https://login.example.com\","
				+ "\"aud\":[\"orders-api\",\"billing\"],\"scope\":\"orders:read orders:write\",\"exp\":"
				+ Answers.inAnHour() + ",\"realm_access\":{\"roles\":[\"clerk\"]}}";

		this.mvc.perform(get("/orders").with(introspectionAnswer(answer)))
			.andExpect(status().isOk())
			.andExpect(content().string("alice ROLE_clerk,SCOPE_orders:read,SCOPE_orders:write"));
	}

	@Test
	void getWhenScopeIsJsonArrayThenEachEntryIsAnAuthority() throws Exception {
		String answer = "{\"active\":true,\"sub\":\"alice\",\"iss\":\"https://login.example.com\","
				+ "\"aud\":\"orders-api\",\"scope\":[\"orders:read\",\"orders:export\"],\"exp\":" + Answers.inAnHour()
				+ "}";

		this.mvc.perform(get("/orders").with(introspectionAnswer(answer)))
			.andExpect(status().isOk())
			.andExpect(content().string("alice SCOPE_orders:export,SCOPE_orders:read"));
	}

	@Test
	void getWhenAnswerLacksScopeThen403() throws Exception {
		this.mvc.perform(get("/orders").with(introspectionAnswer(Answers.active("profile", "orders-api"))))
			.andExpect(status().isForbidden());
	}

	@Test
	void getWhenAnswerExpiredThen401() throws Exception {
		String expired = "{\"active\":true,\"sub\":\"alice\",\"iss\":\"https://login.example.com\","
				+ "\"aud\":\"orders-api\",\"scope\":\"orders:read\",\"exp\":1000000000}";

		this.mvc.perform(get("/orders").with(introspectionAnswer(expired)))
			.andExpect(status().isUnauthorized())
			.andExpect(header().string("WWW-Authenticate", org.hamcrest.Matchers.containsString("invalid_token")));
		assertRejectedFor("expired");
	}

	@Test
	void getWhenAudienceIsAnotherApiThen401() throws Exception {
		this.mvc.perform(get("/orders").with(introspectionAnswer(Answers.active("orders:read", "billing"))))
			.andExpect(status().isUnauthorized());
		assertRejectedFor("audience");
	}

	@Test
	void getWhenIssuerIsForeignThen401() throws Exception {
		String foreign = Answers.readOrders().replace(Answers.ISSUER, "https://evil.example.com");

		this.mvc.perform(get("/orders").with(introspectionAnswer(foreign))).andExpect(status().isUnauthorized());
		assertRejectedFor("issuer");
	}

	@Test
	void getWhenActiveIsTheStringTrueThen401AsTheParserRefusesIt() throws Exception {
		String stringActive = Answers.readOrders().replace("\"active\":true", "\"active\":\"true\"");

		this.mvc.perform(get("/orders").with(introspectionAnswer(stringActive))).andExpect(status().isUnauthorized());
		assertRejectedFor("inactive");
	}

	@Test
	void getWhenAnswerIsNotJsonThen503AsForAGarbledServerAnswer() throws Exception {
		this.mvc.perform(get("/orders").with(introspectionAnswer("<html>login</html>")))
			.andExpect(status().isServiceUnavailable())
			.andExpect(header().exists("Retry-After"));
	}

	@Test
	void getWhenTokenWasNeverRegisteredThen401() throws Exception {
		this.mvc.perform(get("/orders").header("Authorization", "Bearer never-registered"))
			.andExpect(status().isUnauthorized());
		assertRejectedFor("inactive");
	}

	private void assertRejectedFor(String reason) {
		assertThat(this.listener.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.outcome()).isEqualTo(IntrospectionDecision.Outcome.REJECTED);
			assertThat(decision.reasons()).containsExactly(reason);
		});
	}

	@Test
	void getWhenAnswerIsAcceptedThenListenersAreToldOfTheDecision() throws Exception {
		this.mvc.perform(get("/orders").with(introspectionAnswer(Answers.readOrders()))).andExpect(status().isOk());

		assertThat(this.listener.decisions).singleElement()
			.satisfies((decision) -> assertThat(decision.outcome()).isEqualTo(IntrospectionDecision.Outcome.ACCEPTED));
	}

	@Test
	void getWhenSamePostProcessorUsedTwiceThenEachRequestHasItsOwnToken() throws Exception {
		var answer = introspectionAnswer(Answers.readOrders());

		String first = this.mvc.perform(get("/orders").with(answer))
			.andReturn()
			.getRequest()
			.getHeader("Authorization");
		String second = this.mvc.perform(get("/orders").with(answer))
			.andReturn()
			.getRequest()
			.getHeader("Authorization");

		assertThat(first).startsWith("Bearer answer-");
		assertThat(second).startsWith("Bearer answer-").isNotEqualTo(first);
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class Security {

		@Bean
		SecurityFilterChain securityFilterChain(HttpSecurity http) {
			http.authorizeHttpRequests((requests) -> requests.requestMatchers("/orders")
				.hasAuthority("SCOPE_orders:read")
				.anyRequest()
				.authenticated());
			http.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

		@Bean
		RecordingListener recordingListener() {
			return new RecordingListener();
		}

	}

	static class RecordingListener implements IntrospectionListener {

		final List<IntrospectionDecision> decisions = new CopyOnWriteArrayList<>();

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			this.decisions.add(decision);
		}

	}

}
