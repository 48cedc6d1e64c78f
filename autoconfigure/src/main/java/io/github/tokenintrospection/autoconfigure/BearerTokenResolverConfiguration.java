package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.web.AuthorizationHeaderBearerTokenResolver;

import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.web.authentication.AuthenticationConverter;

/**
 * Offers Spring Security a bearer-token resolver with the default rules that does not
 * scan the header with a regular expression. Spring Security's resource-server
 * configuration picks a {@link BearerTokenResolver} bean up for every filter chain that
 * does not set its own; an application's own resolver or authentication converter takes
 * precedence.
 */
@Configuration(proxyBeanMethods = false)
class BearerTokenResolverConfiguration {

	@Bean
	@ConditionalOnMissingBean({ BearerTokenResolver.class, AuthenticationConverter.class })
	AuthorizationHeaderBearerTokenResolver bearerTokenResolver() {
		return new AuthorizationHeaderBearerTokenResolver();
	}

}
