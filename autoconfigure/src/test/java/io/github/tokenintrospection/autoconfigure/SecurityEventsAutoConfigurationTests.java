package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.internal.events.SecurityEventPoller;
import io.github.tokenintrospection.internal.events.SecurityEventReceiver;
import io.github.tokenintrospection.internal.reactive.SecurityEventPushWebFilter;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code token-introspection.security-events.*}: off by default; on, the push endpoint on
 * each stack, or the poller instead of it; application-wide, so refused on a named
 * server.
 */
class SecurityEventsAutoConfigurationTests {

	private static final String[] DEFAULT_SERVER = {
			"spring.security.oauth2.resourceserver.opaquetoken.introspection-uri=https://idp.example/introspect",
			"spring.security.oauth2.resourceserver.opaquetoken.client-id=notes-api",
			"spring.security.oauth2.resourceserver.opaquetoken.client-secret=s3cret" };

	private static final String[] RECEIVER = { "token-introspection.security-events.enabled=true",
			"token-introspection.security-events.issuer=https://idp.example/realms/notes",
			"token-introspection.security-events.audience=notes-api-events" };

	private static final String[] POLL = { "token-introspection.security-events.delivery=poll",
			"token-introspection.security-events.poll.endpoint=https://idp.example/realms/notes/poll",
			"token-introspection.security-events.poll.token-uri=https://idp.example/realms/notes/token",
			"token-introspection.security-events.poll.client-id=notes-events",
			"token-introspection.security-events.poll.client-secret=s3cret" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(DEFAULT_SERVER);

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class,
				ReactiveOAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(DEFAULT_SERVER);

	@Test
	void whenNotEnabledThenNoReceiverOnEitherStack() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(SecurityEventReceiver.class)
			.doesNotHaveBean("tokenIntrospectionSecurityEventPushFilter"));
		this.reactiveRunner.run((context) -> assertThat(context).doesNotHaveBean(SecurityEventReceiver.class)
			.doesNotHaveBean(SecurityEventPushWebFilter.class));
	}

	@Test
	void whenEnabledThenThePushEndpointOnEachStack() {
		this.contextRunner.withPropertyValues(RECEIVER)
			.run((context) -> assertThat(context).hasSingleBean(SecurityEventReceiver.class)
				.hasBean("tokenIntrospectionSecurityEventPushFilter")
				.doesNotHaveBean(SecurityEventPoller.class));
		this.reactiveRunner.withPropertyValues(RECEIVER)
			.run((context) -> assertThat(context).hasSingleBean(SecurityEventReceiver.class)
				.hasSingleBean(SecurityEventPushWebFilter.class)
				.doesNotHaveBean(SecurityEventPoller.class));
	}

	@Test
	void whenPolledThenThePollerAndNoPushEndpoint() {
		this.contextRunner.withPropertyValues(RECEIVER)
			.withPropertyValues(POLL)
			.run((context) -> assertThat(context).hasSingleBean(SecurityEventPoller.class)
				.doesNotHaveBean("tokenIntrospectionSecurityEventPushFilter"));
		this.reactiveRunner.withPropertyValues(RECEIVER)
			.withPropertyValues(POLL)
			.run((context) -> assertThat(context).hasSingleBean(SecurityEventPoller.class)
				.doesNotHaveBean(SecurityEventPushWebFilter.class));
	}

	@Test
	void whenKeysOrPollingWouldTravelOverPlainHttpThenTheStartFailsNamingTheProperty() {
		this.contextRunner
			.withPropertyValues("token-introspection.security-events.enabled=true",
					"token-introspection.security-events.issuer=http://idp.example/realms/notes",
					"token-introspection.security-events.audience=notes-api-events")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.security-events.issuer"));
		this.contextRunner.withPropertyValues(RECEIVER)
			.withPropertyValues(POLL)
			.withPropertyValues("token-introspection.security-events.poll.token-uri=http://idp.example/token")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.security-events.poll.token-uri"));
	}

	@Test
	void whenTheCacheIsOffThenTheStartFailsSayingThereIsNothingToEvict() {
		this.contextRunner.withPropertyValues(RECEIVER)
			.withPropertyValues("token-introspection.cache.enabled=false")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.security-events.enabled")
				.hasMessageContaining("nothing to evict"));
	}

	@Test
	void whenSetOnANamedServerThenTheStartFailsNamingIt() {
		this.contextRunner
			.withPropertyValues(
					"token-introspection.authorization-servers.partners.introspection-uri=https://p.example/i",
					"token-introspection.authorization-servers.partners.client-id=partners-api",
					"token-introspection.authorization-servers.partners.client-secret=s",
					"token-introspection.authorization-servers.partners.security-events.enabled=true")
			.run((context) -> assertThat(context).hasFailed()
				.getFailure()
				.rootCause()
				.hasMessageContaining("token-introspection.authorization-servers.partners.security-events"));
	}

}
