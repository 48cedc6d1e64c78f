package io.github.tokenintrospection.internal.servlet;

import java.util.function.Supplier;

import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.routing.RoutingOpaqueTokenIntrospector;
import org.jspecify.annotations.Nullable;

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
 * the application's own configuration, when the application's introspector is the
 * starter's; other chains are left alone. A chain that verifies JWTs with
 * {@code oauth2ResourceServer(jwt())} beside the starter would take DPoP requests through
 * introspection too: such applications set
 * {@code token-introspection.sender-constraint.dpop.enabled=false}.
 */
public final class DPoPSecurityConfigurer extends AbstractHttpConfigurer<DPoPSecurityConfigurer, HttpSecurity> {

	private final Supplier<@Nullable OpaqueTokenIntrospector> introspector;

	private static boolean isTheStarters(@Nullable OpaqueTokenIntrospector introspector) {
		return introspector instanceof ValidatingOpaqueTokenIntrospector
				|| introspector instanceof RoutingOpaqueTokenIntrospector;
	}

	/**
	 * Creates the configurer.
	 * @param introspector the application's one introspector, found when a chain is built
	 * ({@code null} when there is none or several)
	 */
	public DPoPSecurityConfigurer(Supplier<@Nullable OpaqueTokenIntrospector> introspector) {
		this.introspector = introspector;
	}

	@Override
	public void configure(HttpSecurity http) {
		OpaqueTokenIntrospector introspector = this.introspector.get();
		// Only the starter's own introspector checks proofs: with the application's, the
		// DPoP scheme is not taken (such requests stay unauthenticated).
		if (http.getConfigurer(OAuth2ResourceServerConfigurer.class) == null || !isTheStarters(introspector)) {
			return;
		}
		ProviderManager authenticationManager = new ProviderManager(
				new OpaqueTokenAuthenticationProvider(introspector));
		http.addFilterBefore(
				new DPoPAuthenticationFilter(authenticationManager, new BearerTokenAuthenticationEntryPoint()),
				BearerTokenAuthenticationFilter.class);
	}

}
