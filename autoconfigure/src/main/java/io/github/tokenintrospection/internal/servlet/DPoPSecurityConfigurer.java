package io.github.tokenintrospection.internal.servlet;

import java.util.function.Supplier;

import org.springframework.security.authentication.ProviderManager;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.config.annotation.web.configurers.AbstractHttpConfigurer;
import org.springframework.security.config.annotation.web.configurers.oauth2.server.resource.OAuth2ResourceServerConfigurer;
import org.springframework.security.oauth2.server.resource.authentication.OpaqueTokenAuthenticationProvider;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.BearerTokenAuthenticationEntryPoint;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;

/**
 * Adds the {@link DPoPAuthenticationFilter} to every security filter chain that is a
 * resource server (that configures {@code oauth2ResourceServer}), at build time, after
 * the application's own configuration; other chains are left alone.
 */
public final class DPoPSecurityConfigurer extends AbstractHttpConfigurer<DPoPSecurityConfigurer, HttpSecurity> {

	private final Supplier<OpaqueTokenIntrospector> introspector;

	/**
	 * Creates the configurer.
	 * @param introspector the starter's introspector, found when a chain is built
	 */
	public DPoPSecurityConfigurer(Supplier<OpaqueTokenIntrospector> introspector) {
		this.introspector = introspector;
	}

	@Override
	public void configure(HttpSecurity http) {
		if (http.getConfigurer(OAuth2ResourceServerConfigurer.class) == null) {
			return;
		}
		ProviderManager authenticationManager = new ProviderManager(
				new OpaqueTokenAuthenticationProvider(this.introspector.get()));
		http.addFilterBefore(
				new DPoPAuthenticationFilter(authenticationManager, new BearerTokenAuthenticationEntryPoint()),
				BearerTokenAuthenticationFilter.class);
	}

}
