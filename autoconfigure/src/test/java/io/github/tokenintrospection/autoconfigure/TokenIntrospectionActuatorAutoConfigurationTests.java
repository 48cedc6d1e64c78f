package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.actuate.TokenIntrospectionEndpoint;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.actuate.IntrospectionHealthIndicator;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.MicrometerIntrospectionListener;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.binder.MeterBinder;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.actuate.audit.AuditEvent;
import org.springframework.boot.actuate.audit.InMemoryAuditEventRepository;
import org.springframework.boot.actuate.audit.listener.AuditApplicationEvent;
import org.springframework.boot.actuate.autoconfigure.audit.AuditAutoConfiguration;
import org.springframework.boot.actuate.autoconfigure.endpoint.EndpointAutoConfiguration;
import org.springframework.boot.actuate.endpoint.annotation.Endpoint;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.convert.ApplicationConversionService;
import org.springframework.boot.health.contributor.AbstractHealthIndicator;
import org.springframework.boot.health.contributor.Health;
import org.springframework.boot.health.contributor.Status;
import org.springframework.boot.micrometer.metrics.autoconfigure.MetricsAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenIntrospectionActuatorAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String TOKEN = "opaque-token-5d1e";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"client_id\":\"notes-web\","
			+ "\"scope\":\"read write\",\"token_type\":\"Bearer\"}";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		// As SpringApplication does: lenient enum values such as access=unrestricted.
		.withInitializer((context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				TokenIntrospectionActuatorAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class));

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
	void metricsWhenMeterRegistryBeanThenCallsAndDecisionsRecorded() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(MicrometerIntrospectionListener.class);
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				for (int i = 0; i < 10; i++) {
					introspector.introspect(TOKEN);
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.get(MicrometerIntrospectionListener.CALLS)
					.tags("outcome", "active", "error", "none")
					.timer()
					.count()).isEqualTo(1);
				assertThat(decisions(registry, "accepted", "none", "miss")).isEqualTo(1.0);
				assertThat(decisions(registry, "accepted", "none", "hit")).isEqualTo(9.0);
			});
	}

	@Test
	void metricsWhenMetricsAutoConfigurationBindsTheCacheBinderThenCaffeineCacheMetersPresent() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasBean("tokenIntrospectionCacheMetrics");
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				for (int i = 0; i < 10; i++) {
					introspector.introspect(TOKEN);
				}
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(cacheGets(registry, IntrospectionCaches.ACTIVE_CACHE_NAME, "hit")).isEqualTo(9.0);
				assertThat(cacheGets(registry, IntrospectionCaches.ACTIVE_CACHE_NAME, "miss")).isEqualTo(1.0);
				assertThat(
						registry.get("cache.size").tag("cache", IntrospectionCaches.ACTIVE_CACHE_NAME).gauge().value())
					.isEqualTo(1.0);
				assertThat(registry.find("cache.gets").tag("cache", IntrospectionCaches.INACTIVE_CACHE_NAME).meters())
					.isNotEmpty();
				assertThat(
						registry.find("cache.evictions").tag("cache", IntrospectionCaches.ACTIVE_CACHE_NAME).meters())
					.isNotEmpty();
				assertThat(this.server.getRequestCount()).isEqualTo(1);
			});
	}

	@Test
	void metricsWhenCacheBinderBoundManuallyThenCaffeineCacheMetersPresent() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> {
				SimpleMeterRegistry registry = new SimpleMeterRegistry();
				context.getBean("tokenIntrospectionCacheMetrics", MeterBinder.class).bindTo(registry);
				assertThat(registry.find("cache.gets").tag("cache", IntrospectionCaches.ACTIVE_CACHE_NAME).meters())
					.isNotEmpty();
				assertThat(registry.find("cache.gets").tag("cache", IntrospectionCaches.INACTIVE_CACHE_NAME).meters())
					.isNotEmpty();
			});
	}

	@Test
	void metricsWhenIdentitiesInTokensThenNoMeterTagCarriesThem() {
		enqueueJson(ACTIVE);
		enqueueJson("{\"active\":false}");
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.withConfiguration(AutoConfigurations.of(MetricsAutoConfiguration.class))
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				introspector.introspect(TOKEN);
				assertThatExceptionOfType(BadOpaqueTokenException.class)
					.isThrownBy(() -> introspector.introspect("revoked-token-77"));
				List<String> tagValues = context.getBean(MeterRegistry.class)
					.getMeters()
					.stream()
					.flatMap((meter) -> meter.getId().getTags().stream())
					.map(Tag::getValue)
					.toList();
				assertThat(tagValues).contains("accepted", "rejected", "inactive")
					.doesNotContain(TOKEN, "revoked-token-77", "alice", "notes-web",
							IntrospectionCacheControl.fingerprint(TOKEN));
			});
	}

	@Test
	void metricsWhenNoMeterRegistryThenNoMicrometerListener() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(MicrometerIntrospectionListener.class)
				.doesNotHaveBean("tokenIntrospectionCacheMetrics"));
	}

	@Test
	void contextWhenMicrometerNotOnClasspathThenStartsWithoutMetrics() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withClassLoader(new FilteredClassLoader("io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.doesNotHaveBean(MicrometerIntrospectionListener.class)
					.doesNotHaveBean("tokenIntrospectionCacheMetrics")
					.hasSingleBean(IntrospectionHealthIndicator.class);
				assertThat(context.getBean(OpaqueTokenIntrospector.class).introspect(TOKEN).getName())
					.isEqualTo("alice");
			});
	}

	@Test
	void contextWhenActuatorHealthAndMicrometerNotOnClasspathThenStartsWithTheIntrospectorAndAuditTrail() {
		enqueueJson(ACTIVE);
		// Imported by name, as in an application, so that annotations whose classes are
		// missing are skipped as they would be without those jars.
		new WebApplicationContextRunner().withUserConfiguration(ImportedAutoConfigurations.class)
			.withPropertyValues(opaqueToken())
			.withPropertyValues(endpointAccess())
			.withClassLoader(new FilteredClassLoader("org.springframework.boot.actuate",
					"org.springframework.boot.health", "io.micrometer.core"))
			.run((context) -> {
				assertThat(context).hasNotFailed()
					.hasSingleBean(ValidatingOpaqueTokenIntrospector.class)
					.hasSingleBean(AuditTrailListener.class)
					.hasSingleBean(RecentCallOutcomes.class)
					.hasSingleBean(IntrospectionCacheControl.class)
					.doesNotHaveBean("tokenIntrospectionHealthIndicator")
					.doesNotHaveBean("tokenIntrospectionEndpoint")
					.doesNotHaveBean("tokenIntrospectionAuditEvents")
					.doesNotHaveBean("tokenIntrospectionMetrics")
					.doesNotHaveBean("tokenIntrospectionCacheMetrics");
				assertThat(context.getBean(OpaqueTokenIntrospector.class).introspect(TOKEN).getName())
					.isEqualTo("alice");
			});
	}

	@Test
	void contextWhenImportedByNameWithEverythingOnClasspathThenActuatorPartsPresent() {
		// The counterpart of the test above: the same set-up sees them when the classes
		// exist.
		new WebApplicationContextRunner()
			.withInitializer(
					(context) -> context.getEnvironment().setConversionService(new ApplicationConversionService()))
			.withUserConfiguration(ImportedAutoConfigurations.class, MeterRegistryConfiguration.class,
					AuditEventRepositoryConfiguration.class)
			.withPropertyValues(opaqueToken())
			.withPropertyValues(endpointAccess())
			.run((context) -> assertThat(context).hasNotFailed()
				.hasBean("tokenIntrospectionHealthIndicator")
				.hasBean("tokenIntrospectionEndpoint")
				.hasBean("tokenIntrospectionAuditEvents")
				.hasBean("tokenIntrospectionMetrics")
				.hasBean("tokenIntrospectionCacheMetrics"));
	}

	@Test
	void contextWhenActuatorEndpointAuditAndHealthClassesHiddenThenStartsWithoutThem() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues(endpointAccess())
			.withUserConfiguration(AuditEventRepositoryConfiguration.class)
			.withClassLoader(
					new FilteredClassLoader(Endpoint.class, AuditApplicationEvent.class, AbstractHealthIndicator.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.hasSingleBean(ValidatingOpaqueTokenIntrospector.class)
				.hasSingleBean(AuditTrailListener.class)
				.doesNotHaveBean(IntrospectionHealthIndicator.class)
				.doesNotHaveBean(TokenIntrospectionEndpoint.class)
				.doesNotHaveBean(AuditTrailListener.AuditEventSink.class));
	}

	@Test
	void auditWhenDisabledThenNoAuditTrailListener() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.audit.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(AuditTrailListener.class)
				.hasSingleBean(RecentCallOutcomes.class));
	}

	@Test
	void auditWhenEnabledByDefaultThenAuditTrailListenerWithoutSink() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.run((context) -> assertThat(context).hasSingleBean(AuditTrailListener.class)
				.doesNotHaveBean(AuditTrailListener.AuditEventSink.class));
	}

	@Test
	void auditWhenAuditEventRepositoryThenIntrospectionProducesAuditEvent() {
		enqueueJson(ACTIVE);
		enqueueJson("{\"active\":false}");
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(AuditEventRepositoryConfiguration.class)
			.withConfiguration(AutoConfigurations.of(AuditAutoConfiguration.class))
			.run((context) -> {
				assertThat(context).hasSingleBean(AuditTrailListener.AuditEventSink.class);
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				introspector.introspect(TOKEN);
				assertThatExceptionOfType(BadOpaqueTokenException.class)
					.isThrownBy(() -> introspector.introspect("revoked-token-77"));
				List<AuditEvent> events = context.getBean(InMemoryAuditEventRepository.class).find(null, null, null);
				assertThat(events).hasSize(2);
				AuditEvent accepted = events.stream()
					.filter((event) -> event.getType().equals("TOKEN_INTROSPECTION_ACCEPTED"))
					.findFirst()
					.orElseThrow();
				assertThat(accepted.getPrincipal()).isEqualTo("alice");
				assertThat(accepted.getData()).containsEntry("decision", "accepted")
					.containsEntry("cache", "miss")
					.containsEntry("fingerprint", IntrospectionCacheControl.fingerprint(TOKEN))
					.containsEntry("client_id", "notes-web")
					.containsEntry("sub", "alice")
					.containsEntry("scope", "read write")
					.containsEntry("active", true);
				assertThat(accepted.getData().values()).noneMatch(TOKEN::equals);
				AuditEvent rejected = events.stream()
					.filter((event) -> event.getType().equals("TOKEN_INTROSPECTION_REJECTED"))
					.findFirst()
					.orElseThrow();
				assertThat(rejected.getPrincipal()).isEqualTo("anonymous");
				assertThat(rejected.getData()).containsEntry("reason", "inactive");
			});
	}

	@Test
	void cacheWhenDisabledThenNoCacheControlAndNoEndpoint() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.cache.enabled=false")
			.withPropertyValues(endpointAccess())
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IntrospectionCacheControl.class)
				.doesNotHaveBean(TokenIntrospectionEndpoint.class)
				.hasSingleBean(ValidatingOpaqueTokenIntrospector.class));
	}

	@Test
	void endpointWhenAccessGrantedAndExposedThenPresent() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues(endpointAccess())
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).hasSingleBean(TokenIntrospectionEndpoint.class)
				.hasSingleBean(IntrospectionCacheControl.class));
	}

	@Test
	void endpointWhenExposedButNoAccessGrantedThenAbsent() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("management.endpoints.web.exposure.include=*")
			.withConfiguration(AutoConfigurations.of(EndpointAutoConfiguration.class))
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(TokenIntrospectionEndpoint.class)
				.hasSingleBean(IntrospectionCacheControl.class));
	}

	@Test
	void healthWhenEnabledByDefaultThenIndicatorFollowsTheCallsAndProbesWhileFailing() {
		this.server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
		this.server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			assertThat(context).hasBean("tokenIntrospectionHealthIndicator");
			IntrospectionHealthIndicator health = context.getBean(IntrospectionHealthIndicator.class);
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
			assertThat(this.server.getRequestCount()).as("no probe while the server answers").isZero();
			assertThatExceptionOfType(OAuth2IntrospectionException.class)
				.isThrownBy(() -> introspector.introspect(TOKEN));

			assertThat(health.health().getStatus()).isEqualTo(IntrospectionHealthIndicator.DEGRADED);
			assertThat(this.server.getRequestCount()).as("the call and one probe").isEqualTo(2);
			this.server.takeRequest();
			assertThat(this.server.takeRequest().getBody().utf8()).as("the probe sends no real token")
				.doesNotContain(TOKEN)
				.startsWith("token=");
			introspector.introspect(TOKEN);
			assertThat(health.health().getStatus()).isEqualTo(Status.UP);
		});
	}

	@Test
	void healthWhenEndpointConfiguredBesideAnIssuerThenDiscoveryNotConsulted() {
		// The issuer only names the allowed iss here: nothing listens there, and nothing
		// needs to, since the endpoint is configured.
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.issuer-uri=http://127.0.0.1:9/realms/notes")
			.run((context) -> {
				Health health = context.getBean(IntrospectionHealthIndicator.class).health();

				assertThat(health.getStatus()).isEqualTo(Status.UP);
				assertThat(health.getDetails()).doesNotContainKeys("discovery", "introspectionEndpoint");
			});
	}

	@Test
	void healthWhenDownWhenUnavailableThenDown() {
		this.server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
		this.server.enqueue(new MockResponse.Builder().code(500).body("{}").build());
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.health.down-when-unavailable=true")
			.run((context) -> {
				assertThatExceptionOfType(OAuth2IntrospectionException.class)
					.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect(TOKEN));

				assertThat(context.getBean(IntrospectionHealthIndicator.class).health().getStatus())
					.isEqualTo(Status.DOWN);
			});
	}

	@Test
	void healthWhenSwitchedOffThenNoIndicator() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("management.health.tokenintrospection.enabled=false")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(IntrospectionHealthIndicator.class)
				.hasSingleBean(RecentCallOutcomes.class));
	}

	@Test
	void listenerWhenUserDefinesOneThenItReceivesCallsAndDecisions() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(UserListenerConfiguration.class)
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				introspector.introspect(TOKEN);
				introspector.introspect(TOKEN);
				UserListenerConfiguration user = context.getBean(UserListenerConfiguration.class);
				assertThat(user.calls).extracting(IntrospectionCall::outcome)
					.containsExactly(IntrospectionCall.Outcome.ACTIVE);
				assertThat(user.decisions)
					.extracting(IntrospectionDecision::outcome, IntrospectionDecision::cacheStatus)
					.containsExactly(
							org.assertj.core.groups.Tuple.tuple(IntrospectionDecision.Outcome.ACCEPTED,
									io.github.tokenintrospection.observation.CacheStatus.MISS),
							org.assertj.core.groups.Tuple.tuple(IntrospectionDecision.Outcome.ACCEPTED,
									io.github.tokenintrospection.observation.CacheStatus.HIT));
				assertThat(user.decisions.get(0).tokenFingerprint())
					.isEqualTo(IntrospectionCacheControl.fingerprint(TOKEN));
			});
	}

	@Test
	void listenerWhenUserListenerThrowsThenIntrospectionStillSucceeds() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(ThrowingListenerConfiguration.class, UserListenerConfiguration.class)
			.run((context) -> {
				assertThat(context.getBean(OpaqueTokenIntrospector.class).introspect(TOKEN).getName())
					.isEqualTo("alice");
				assertThat(context.getBean(UserListenerConfiguration.class).decisions).hasSize(1);
			});
	}

	@Test
	void actuatorConfigurationWhenStarterDisabledThenNothingOfOurs() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.enabled=false")
			.withUserConfiguration(MeterRegistryConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(MicrometerIntrospectionListener.class)
				.doesNotHaveBean(IntrospectionHealthIndicator.class)
				.doesNotHaveBean(RecentCallOutcomes.class));
	}

	private static double decisions(MeterRegistry registry, String decision, String reason, String cache) {
		return registry.get(MicrometerIntrospectionListener.DECISIONS)
			.tags("decision", decision, "reason", reason, "cache", cache)
			.counter()
			.count();
	}

	private static double cacheGets(MeterRegistry registry, String cache, String result) {
		return registry.get("cache.gets").tags("cache", cache, "result", result).functionCounter().count();
	}

	private String[] opaqueToken() {
		return new String[] { OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret" };
	}

	private static String[] endpointAccess() {
		return new String[] { "management.endpoints.web.exposure.include=tokenintrospection",
				"management.endpoint.tokenintrospection.access=unrestricted" };
	}

	private void enqueueJson(String body) {
		this.server.enqueue(
				new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build());
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration({ TokenIntrospectionAutoConfiguration.class,
			TokenIntrospectionActuatorAutoConfiguration.class, OAuth2ResourceServerAutoConfiguration.class })
	static class ImportedAutoConfigurations {

	}

	@Configuration(proxyBeanMethods = false)
	static class MeterRegistryConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class AuditEventRepositoryConfiguration {

		@Bean
		InMemoryAuditEventRepository auditEventRepository() {
			return new InMemoryAuditEventRepository();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserListenerConfiguration {

		final List<IntrospectionCall> calls = new CopyOnWriteArrayList<>();

		final List<IntrospectionDecision> decisions = new CopyOnWriteArrayList<>();

		@Bean
		IntrospectionListener userListener() {
			return new IntrospectionListener() {

				@Override
				public void introspectionCalled(IntrospectionCall call) {
					UserListenerConfiguration.this.calls.add(call);
				}

				@Override
				public void decisionMade(IntrospectionDecision decision) {
					UserListenerConfiguration.this.decisions.add(decision);
				}

			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class ThrowingListenerConfiguration {

		@Bean
		@org.springframework.core.annotation.Order(0)
		IntrospectionListener throwingListener() {
			return new IntrospectionListener() {

				@Override
				public void decisionMade(IntrospectionDecision decision) {
					throw new IllegalStateException("listener bug");
				}

			};
		}

	}

}
