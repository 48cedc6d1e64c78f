package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.client.HttpsRequirement;
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

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
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

	private static final String PREFIX = TokenIntrospectionProperties.PREFIX + ".security-events.";

	@Bean
	SecurityEventReceiver tokenIntrospectionSecurityEventReceiver(TokenIntrospectionProperties properties,
			AuthorizationServerConnection connection, ObjectProvider<IntrospectionCacheControl> cacheControl) {
		TokenIntrospectionProperties.SecurityEvents events = properties.getSecurityEvents();
		IntrospectionCacheControl caches = cacheControl.getIfAvailable();
		if (caches == null) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + "enabled", true,
					"needs the cache, which " + TokenIntrospectionProperties.PREFIX
							+ ".cache.enabled=false switches off: there would be nothing to evict");
		}
		String issuer = events.getIssuer();
		URI configurationUri = (events.getConfigurationUri() != null) ? events.getConfigurationUri()
				: TransmitterKeysLocation.configurationOf(issuer);
		HttpsRequirement https = connection.httpsRequirement();
		requireHttps(https, (events.getConfigurationUri() != null) ? "configuration-uri" : "issuer", configurationUri);
		if (events.getJwksUri() != null) {
			requireHttps(https, "jwks-uri", events.getJwksUri());
		}
		JwksKeys keys = new JwksKeys(connection.restClient(), new TransmitterKeysLocation(connection.restClient(),
				configurationUri, issuer, events.getJwksUri(), https));
		Clock clock = Clock.systemUTC();
		SecurityEventTokenVerifier verifier = new SecurityEventTokenVerifier(keys.source(),
				SignatureAlgorithms.parse(events.getAlgorithms()), () -> issuer, events.getAudience(),
				events.getMaxAge(), events.getClockSkew(), clock);
		// A SET may be issued up to the skew ahead and accepted up to max-age and the
		// skew
		// behind: its jti is remembered that long.
		SecurityEventReceiver receiver = new SecurityEventReceiver(verifier, () -> issuer,
				events.getPush().getAuthorization(), caches,
				events.getMaxAge().plus(events.getClockSkew().multipliedBy(2)), events.getMaxEvents(),
				events.getPush().getMaxBodySize().toBytes(), clock);
		return receiver;
	}

	/** Keys, secrets and tokens of the receiver travel over HTTPS (loopback aside). */
	static void requireHttps(HttpsRequirement https, String property, URI uri) {
		try {
			https.check(uri);
		}
		catch (IllegalArgumentException ex) {
			throw new InvalidConfigurationPropertyValueException(PREFIX + property, uri, ex.getMessage());
		}
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
			requireHttps(connection.httpsRequirement(), "poll.endpoint", poll.getEndpoint());
			requireHttps(connection.httpsRequirement(), "poll.token-uri", tokenUri);
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
