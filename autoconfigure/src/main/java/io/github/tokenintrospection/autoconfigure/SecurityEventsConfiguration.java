package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.internal.client.authentication.ClientCredentialsTokenSource;
import io.github.tokenintrospection.internal.events.SecurityEventPoller;
import io.github.tokenintrospection.internal.events.SecurityEventReceiver;
import io.github.tokenintrospection.internal.events.SecurityEventTokenVerifier;
import io.github.tokenintrospection.internal.events.TransmitterKeysLocation;
import io.github.tokenintrospection.internal.jose.JwksKeys;
import io.github.tokenintrospection.internal.jose.SignatureAlgorithms;
import io.github.tokenintrospection.internal.reactive.SecurityEventPushWebFilter;
import io.github.tokenintrospection.internal.servlet.SecurityEventPushFilter;
import io.micrometer.core.instrument.MeterRegistry;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * The security event receiver ({@code token-introspection.security-events.*}), off by
 * default: SETs pushed by a Shared Signals transmitter, verified with its keys, evict
 * cached answers by user or session on every instance. The transmitter's configuration
 * and keys are fetched with the default authorization server's HTTP client (its TLS
 * bundle and timeouts): the transmitter is usually that server.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".security-events.enabled")
class SecurityEventsConfiguration {

	@Bean
	SecurityEventReceiver tokenIntrospectionSecurityEventReceiver(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection, IntrospectionCacheControl caches,
			ObjectProvider<MeterRegistry> meters) {
		TokenIntrospectionProperties.SecurityEvents events = properties.getSecurityEvents();
		String issuer = events.getIssuer();
		URI configurationUri = (events.getConfigurationUri() != null) ? events.getConfigurationUri()
				: TransmitterKeysLocation.configurationOf(issuer);
		JwksKeys keys = new JwksKeys(connection.restClient(), new TransmitterKeysLocation(connection.restClient(),
				configurationUri, issuer, events.getJwksUri(), connection.httpsRequirement()));
		Clock clock = Clock.systemUTC();
		SecurityEventTokenVerifier verifier = new SecurityEventTokenVerifier(keys.source(),
				SignatureAlgorithms.parse(events.getAlgorithms()), () -> issuer, events.getAudience(),
				events.getMaxAge(), events.getClockSkew(), clock);
		SecurityEventReceiver receiver = new SecurityEventReceiver(verifier, () -> issuer,
				events.getPush().getAuthorization(), caches, events.getMaxAge().plus(events.getClockSkew()),
				events.getMaxEvents(), events.getPush().getMaxBodySize().toBytes(), clock);
		meters.ifAvailable(receiver::bindMetrics);
		return receiver;
	}

	/**
	 * Poll delivery: the same on both stacks, on a thread of its own. The receiver's
	 * access token is obtained with client_credentials and reused until shortly before it
	 * expires.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnProperty(name = TokenIntrospectionProperties.PREFIX + ".security-events.delivery",
			havingValue = "poll")
	static class PollConfiguration {

		@Bean
		SecurityEventPoller tokenIntrospectionSecurityEventPoller(TokenIntrospectionProperties properties,
				AuthorizationServerConnection connection, SecurityEventReceiver receiver) {
			TokenIntrospectionProperties.SecurityEvents.Poll poll = properties.getSecurityEvents().getPoll();
			URI tokenUri = poll.getTokenUri();
			ClientCredentialsTokenSource accessToken = new ClientCredentialsTokenSource(connection.restClient(),
					() -> tokenUri, ClientAuthentications.clientSecretBasic(poll.getClientId(), poll.getClientSecret()),
					poll.getScope(), Duration.ofSeconds(30), Clock.systemUTC());
			return new SecurityEventPoller(connection.restClient(), poll.getEndpoint(), accessToken, receiver,
					poll.getInterval(), poll.getMaxEvents());
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnProperty(name = TokenIntrospectionProperties.PREFIX + ".security-events.delivery",
			havingValue = "push", matchIfMissing = true)
	static class ServletSecurityEventsConfiguration {

		@Bean
		FilterRegistrationBean<SecurityEventPushFilter> tokenIntrospectionSecurityEventPushFilter(
				Environment environment, ObjectProvider<TokenIntrospectionProperties> properties,
				ObjectProvider<SecurityEventReceiver> receiver) {
			int securityFilterOrder = environment.getProperty("spring.security.filter.order", Integer.class,
					SecurityFilterProperties.DEFAULT_FILTER_ORDER);
			// Looked up on first use, as the DPoP filter's rules are: binding the
			// properties now would miss late property sources.
			FilterRegistrationBean<SecurityEventPushFilter> registration = new FilterRegistrationBean<>(
					new SecurityEventPushFilter(() -> properties.getObject().getSecurityEvents().getPush().getPath(),
							receiver::getObject));
			// Ahead of the starter's other filters and Spring Security's chain.
			registration.setOrder(securityFilterOrder - 3);
			return registration;
		}

	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	@ConditionalOnProperty(name = TokenIntrospectionProperties.PREFIX + ".security-events.delivery",
			havingValue = "push", matchIfMissing = true)
	static class ReactiveSecurityEventsConfiguration {

		@Bean
		SecurityEventPushWebFilter tokenIntrospectionSecurityEventPushWebFilter(TokenIntrospectionProperties properties,
				SecurityEventReceiver receiver) {
			return new SecurityEventPushWebFilter(properties.getSecurityEvents().getPush().getPath(), receiver);
		}

	}

}
