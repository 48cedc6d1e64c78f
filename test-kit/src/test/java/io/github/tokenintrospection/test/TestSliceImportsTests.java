package io.github.tokenintrospection.test;

import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.reactive.WebClientIntrospectionClient;
import org.junit.jupiter.api.Nested;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.webflux.test.autoconfigure.WebFluxTest;
import org.springframework.boot.webmvc.test.autoconfigure.WebMvcTest;
import org.springframework.context.ApplicationContext;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.test.web.servlet.MockMvc;

import static io.github.tokenintrospection.test.TokenIntrospectionRequestPostProcessors.introspectionAnswer;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.springframework.test.web.servlet.request.MockMvcRequestBuilders.get;

/**
 * The starter registers its auto-configurations in Spring Boot's test slices (the
 * {@code WebMvcTest} and {@code WebFluxTest} imports files), so that a slice test gets
 * the starter's introspector and its real HTTP client, as Spring Boot's own resource
 * server support does for its introspector.
 */
class TestSliceImportsTests {

	@Nested
	@WebMvcTest(OrdersController.class)
	class WebMvcSlice {

		@Autowired
		ApplicationContext context;

		@Autowired
		MockMvc mvc;

		@Test
		void webMvcTestWhenStarterConfiguredThenStarterIntrospectorWithHttpClient() {
			assertThat(this.context.getBean(OpaqueTokenIntrospector.class))
				.isInstanceOf(ValidatingOpaqueTokenIntrospector.class);
			assertThat(this.context.getBeansOfType(RestClientIntrospectionClient.class)).hasSize(1);
		}

		@Test
		void introspectionAnswerWhenAnswersNotEnabledThenFailsNamingTheAnnotation() {
			assertThatIllegalStateException()
				.isThrownBy(() -> this.mvc.perform(get("/orders").with(introspectionAnswer(Answers.readOrders()))))
				.withMessageContaining("@AutoConfigureIntrospectionAnswers");
		}

	}

	@Nested
	@WebFluxTest(controllers = OrdersController.class, properties = "spring.main.web-application-type=reactive")
	class WebFluxSlice {

		@Autowired
		ApplicationContext context;

		@Test
		void webFluxTestWhenStarterConfiguredThenStarterIntrospectorWithHttpClient() {
			assertThat(this.context.getBean(ReactiveOpaqueTokenIntrospector.class))
				.isInstanceOf(ReactiveValidatingOpaqueTokenIntrospector.class);
			assertThat(this.context.getBeansOfType(WebClientIntrospectionClient.class)).hasSize(1);
		}

	}

}
