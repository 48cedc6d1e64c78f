package io.github.tokenintrospection.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The API is protected by method security on the controller; the actuator endpoints by
 * URL: health for everyone, the rest (metrics, the token introspection cache endpoint)
 * for the realm role {@code admin}. The starter needs nothing here beyond
 * {@code oauth2ResourceServer(opaqueToken)}: its introspector is a bean, and its 503
 * handling works for this chain as for Spring Boot's default one.
 */
@Configuration(proxyBeanMethods = false)
@EnableMethodSecurity
class SecurityConfiguration {

	@Bean
	SecurityFilterChain securityFilterChain(HttpSecurity http) throws Exception {
		http.authorizeHttpRequests((requests) -> requests.requestMatchers("/actuator/health", "/actuator/health/**")
			.permitAll()
			.requestMatchers("/actuator/**")
			.hasRole("admin")
			.anyRequest()
			.authenticated());
		http.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
		return http.build();
	}

}
