package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.web.AuthorizationServerUnavailableFilter;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;

/**
 * Answers 503 instead of 500 when the authorization server fails, for every security
 * filter chain of the application.
 */
@Configuration(proxyBeanMethods = false)
class ServiceUnavailableResponseConfiguration {

	@Bean
	@ConditionalOnMissingBean(name = "authorizationServerUnavailableFilter")
	FilterRegistrationBean<AuthorizationServerUnavailableFilter> authorizationServerUnavailableFilter(
			Environment environment, ObjectProvider<TokenIntrospectionProperties> properties) {
		int securityFilterOrder = environment.getProperty("spring.security.filter.order", Integer.class,
				SecurityFilterProperties.DEFAULT_FILTER_ORDER);
		FilterRegistrationBean<AuthorizationServerUnavailableFilter> registration = new FilterRegistrationBean<>(
				// Properties looked up on first use: filters are created with the web
				// server, before
				// late property sources (such as DynamicPropertyRegistrar beans) are in
				// place.
				new AuthorizationServerUnavailableFilter(() -> properties.getObject().getResilience().getRetryAfter()));
		// Just outside Spring Security's filter chain, which is where the failure
		// surfaces.
		registration.setOrder(securityFilterOrder - 1);
		return registration;
	}

}
