package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.reactive.AuthorizationDeniedAuditWebFilter;
import io.github.tokenintrospection.internal.reactive.RequestOutcomeAuditWebFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.reactive.HandlerMapping;

/**
 * The reactive stack's part of the audit trail: each request's outcome, sharing its
 * correlation id with the token decision, and the rule that denied it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".audit.enabled", matchIfMissing = true)
class ReactiveAuditOutcomeConfiguration {

	@Bean
	@ConditionalOnMissingBean
	RequestOutcomeAuditWebFilter tokenIntrospectionRequestOutcomeAuditWebFilter(
			ObjectProvider<AuditTrailListener> auditTrail, ObjectProvider<HandlerMapping> handlerMappings) {
		// Looked up on first use, as the servlet filter's: before late property sources,
		// the
		// audit trail's properties would be bound too early.
		return new RequestOutcomeAuditWebFilter(SingletonSupplier.of(auditTrail::getObject),
				() -> handlerMappings.orderedStream().toList());
	}

	@Bean
	@ConditionalOnMissingBean
	AuthorizationDeniedAuditWebFilter tokenIntrospectionAuthorizationDeniedAuditWebFilter() {
		return new AuthorizationDeniedAuditWebFilter();
	}

}
