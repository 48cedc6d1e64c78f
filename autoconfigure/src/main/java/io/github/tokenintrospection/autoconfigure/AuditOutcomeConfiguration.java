package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import io.github.tokenintrospection.internal.servlet.AuthorizationDeniedAuditListener;
import io.github.tokenintrospection.internal.servlet.RequestOutcomeAuditFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationEventPublisher;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.security.authorization.AuthorizationEventPublisher;
import org.springframework.security.authorization.SpringAuthorizationEventPublisher;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.HandlerMapping;

/**
 * The servlet stack's part of the audit trail: each request's outcome, sharing its
 * correlation id with the token decision, and the rule that denied it.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(HandlerMapping.class)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".audit.enabled", matchIfMissing = true)
class AuditOutcomeConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "tokenIntrospectionRequestOutcomeAuditFilter")
	FilterRegistrationBean<RequestOutcomeAuditFilter> tokenIntrospectionRequestOutcomeAuditFilter(
			Environment environment, ObjectProvider<AuditTrailListener> auditTrail,
			ObjectProvider<HandlerMapping> handlerMappings) {
		int securityFilterOrder = environment.getProperty("spring.security.filter.order", Integer.class,
				SecurityFilterProperties.DEFAULT_FILTER_ORDER);
		FilterRegistrationBean<RequestOutcomeAuditFilter> registration = new FilterRegistrationBean<>(
				// Looked up on first use: filters are created with the web server, before
				// late
				// property sources (such as DynamicPropertyRegistrar beans) are in place.
				new RequestOutcomeAuditFilter(SingletonSupplier.of(auditTrail::getObject),
						() -> handlerMappings.orderedStream().toList()));
		// Outside the filter that answers 503, so that the outcome is the answer's
		// status.
		registration.setOrder(securityFilterOrder - 2);
		return registration;
	}

	@Bean
	AuthorizationDeniedAuditListener tokenIntrospectionAuthorizationDeniedAuditListener() {
		return new AuthorizationDeniedAuditListener();
	}

	/**
	 * Spring Security publishes authorization events only through a publisher bean;
	 * without one, denials would be silent.
	 */
	@Bean
	@ConditionalOnMissingBean
	AuthorizationEventPublisher tokenIntrospectionAuthorizationEventPublisher(ApplicationEventPublisher publisher) {
		return new SpringAuthorizationEventPublisher(publisher);
	}

}
