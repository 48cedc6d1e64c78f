package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.observation.RecentCallOutcomes;

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
			AuthorizationServerConnection connection) {
		String clientId = resourceServerProperties.getOpaquetoken().getClientId();
		return new AuditTrailListener(sink.getIfAvailable(), properties.getAudit().isIncludeCacheHits(),
				connection::knownIntrospectionEndpoint, (clientId != null) ? clientId : "");
	}

}
