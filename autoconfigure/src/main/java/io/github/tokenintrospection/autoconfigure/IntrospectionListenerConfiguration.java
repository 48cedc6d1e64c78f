package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;
import java.util.HashMap;
import java.util.Map;

import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;
import io.github.tokenintrospection.internal.routing.RoutingTable;
import io.github.tokenintrospection.observation.IntrospectionDecision;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * The listeners that need nothing but the starter: the record of recent call outcomes
 * (for health) and the audit trail.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectionListenerConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RecentCallOutcomes tokenIntrospectionCallOutcomes() {
		return new RecentCallOutcomes(Clock.systemUTC());
	}

	@Bean
	@ConditionalOnMissingBean
	@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".audit.enabled", matchIfMissing = true)
	AuditTrailListener tokenIntrospectionAuditTrail(ObjectProvider<AuditTrailListener.AuditEventSink> sink,
			TokenIntrospectionProperties properties, OAuth2ResourceServerProperties resourceServerProperties,
			AuthorizationServerConnection connection, NamedAuthorizationServers namedServers) {
		String clientId = resourceServerProperties.getOpaquetoken().getClientId();
		String defaultClientId = (clientId != null) ? clientId : "";
		Map<String, NamedAuthorizationServers.Server> named = new HashMap<>();
		namedServers.servers().forEach((server) -> named.put(server.name(), server));
		return new AuditTrailListener(sink.getIfAvailable(), properties.getAudit().isIncludeCacheHits(),
				(server) -> named.containsKey(server) ? named.get(server).connection().knownIntrospectionEndpoint()
						: defaultOrNone(server, connection.knownIntrospectionEndpoint()),
				(server) -> named.containsKey(server) ? named.get(server).clientId()
						: defaultOrNone(server, defaultClientId));
	}

	/** A token that no server takes was sent to none. */
	private static String defaultOrNone(String server, String defaultValue) {
		return IntrospectionDecision.DEFAULT_SERVER.equals(server) ? defaultValue : RoutingTable.NO_SERVER_NAME;
	}

}
