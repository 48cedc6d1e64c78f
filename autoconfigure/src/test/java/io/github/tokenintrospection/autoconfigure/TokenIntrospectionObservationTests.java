package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.micrometer.observation.Observation;
import io.micrometer.observation.ObservationHandler;
import io.micrometer.observation.ObservationRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.micrometer.observation.autoconfigure.ObservationAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientAutoConfiguration;
import org.springframework.boot.restclient.autoconfigure.RestClientObservationAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.client.observation.ClientRequestObservationContext;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tracing: with Spring Boot's {@code RestClient.Builder}, the call to the authorization
 * server is a Micrometer observation ({@code http.client.requests}), the child of
 * whatever observation the request is in, as a span would be.
 */
class TokenIntrospectionObservationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"scope\":\"read\"}";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				TokenIntrospectionActuatorAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class,
				ObservationAutoConfiguration.class))
		.withUserConfiguration(RecordingHandlerConfiguration.class);

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectWhenBootsRestClientBuilderThenCallToAuthorizationServerIsObserved() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
					RestClientObservationAutoConfiguration.class))
			.run((context) -> {
				context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");

				List<Observation.Context> observations = context.getBean(RecordingHandlerConfiguration.class).stopped;
				assertThat(observations).filteredOn((observed) -> "http.client.requests".equals(observed.getName()))
					.singleElement()
					.isInstanceOfSatisfying(ClientRequestObservationContext.class, (observed) -> {
						assertThat(observed.getCarrier().getURI()).isEqualTo(this.server.url("/introspect").uri());
						assertThat(observed.getCarrier().getMethod().name()).isEqualTo("POST");
						assertThat(observed.getResponse()).isNotNull();
						assertThat(observed.getError()).isNull();
					});
			});
	}

	@Test
	void introspectWhenInsideAnObservationThenTheClientObservationIsItsChild() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
					RestClientObservationAutoConfiguration.class))
			.run((context) -> {
				ObservationRegistry registry = context.getBean(ObservationRegistry.class);
				Observation parent = Observation.start("http.server.requests", registry);
				try (Observation.Scope scope = parent.openScope()) {
					context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");
				}
				finally {
					parent.stop();
				}

				assertThat(context.getBean(RecordingHandlerConfiguration.class).stopped)
					.filteredOn((observed) -> "http.client.requests".equals(observed.getName()))
					.singleElement()
					.satisfies((observed) -> assertThat(observed.getParentObservation()).isSameAs(parent));
			});
	}

	@Test
	void introspectWhenServerFailsThenObservationRecordsTheStatus() {
		this.server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
		this.contextRunner.withPropertyValues(opaqueToken())
			.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
					RestClientObservationAutoConfiguration.class))
			.run((context) -> {
				try {
					context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");
				}
				catch (RuntimeException expected) {
					// 503 for the request; the observation is what matters here
				}

				assertThat(context.getBean(RecordingHandlerConfiguration.class).stopped)
					.filteredOn((observed) -> "http.client.requests".equals(observed.getName()))
					.singleElement()
					.isInstanceOfSatisfying(ClientRequestObservationContext.class,
							(observed) -> assertThat(observed.getLowCardinalityKeyValue("status").getValue())
								.isEqualTo("500"));
			});
	}

	@Test
	void introspectWhenCachedThenNoSecondObservation() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withConfiguration(AutoConfigurations.of(RestClientAutoConfiguration.class,
					RestClientObservationAutoConfiguration.class))
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				introspector.introspect("token-1");
				introspector.introspect("token-1");

				assertThat(context.getBean(RecordingHandlerConfiguration.class).stopped)
					.filteredOn((observed) -> "http.client.requests".equals(observed.getName()))
					.hasSize(1);
			});
	}

	@Test
	void introspectWhenNoBootRestClientBuilderThenNoClientObservation() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");

			assertThat(this.server.getRequestCount()).isEqualTo(1);
			assertThat(context.getBean(RecordingHandlerConfiguration.class).stopped)
				.noneMatch((observed) -> "http.client.requests".equals(observed.getName()));
		});
	}

	private String[] opaqueToken() {
		return new String[] { OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret" };
	}

	private void enqueueJson(String body) {
		this.server.enqueue(
				new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build());
	}

	@Configuration(proxyBeanMethods = false)
	static class RecordingHandlerConfiguration {

		final List<Observation.Context> stopped = new CopyOnWriteArrayList<>();

		@Bean
		ObservationHandler<Observation.Context> recordingObservationHandler() {
			return new ObservationHandler<>() {

				@Override
				public void onStop(Observation.Context context) {
					RecordingHandlerConfiguration.this.stopped.add(context);
				}

				@Override
				public boolean supportsContext(Observation.Context context) {
					return true;
				}

			};
		}

	}

}
