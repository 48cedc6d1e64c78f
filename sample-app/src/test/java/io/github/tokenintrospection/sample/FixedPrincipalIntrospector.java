package io.github.tokenintrospection.sample;

import java.util.List;
import java.util.Map;

import org.springframework.context.annotation.Bean;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * A diagnostic configuration of the load benchmark: an introspector that costs nothing
 * (it answers every token with one fixed principal), so that the rest of Spring
 * Security's opaque-token pipeline and method security can be told apart from the
 * starter's work.
 * <p>
 * Deliberately not a {@code @Configuration}: {@link NotesApplication}'s component scan
 * must not pick it up. {@link LoadBenchmark} passes it to {@code SpringApplication} as a
 * source.
 */
class FixedPrincipalIntrospector {

	@Bean
	OpaqueTokenIntrospector zeroCostIntrospector() {
		OAuth2IntrospectionAuthenticatedPrincipal principal = new OAuth2IntrospectionAuthenticatedPrincipal("bob",
				Map.of("sub", "bob", "scope", List.of("notes:read")),
				List.of(new SimpleGrantedAuthority("SCOPE_notes:read")));
		return (token) -> principal;
	}

}
