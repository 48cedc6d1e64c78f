package io.github.tokenintrospection.sample;

import java.util.concurrent.atomic.AtomicReference;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * A diagnostic configuration of the load benchmark: an introspector that costs nothing
 * after its first answer. The starter's own introspector answers the first request; every
 * later request gets that very principal back at once. Spring Security then handles
 * exactly the principal the starter builds for a Keycloak token (its claims and
 * authorities: Spring Security copies the claims into every authentication and its
 * authorization observation lists every authority, so a smaller principal would make the
 * rest of the pipeline cheaper too), and everything else of the starter (resolver,
 * filters) stays: the difference to the starter alone is its per-request introspection
 * work.
 * <p>
 * Deliberately not a {@code @Configuration}: {@link NotesApplication}'s component scan
 * must not pick it up. {@link LoadBenchmark} passes it to {@code SpringApplication} as a
 * source.
 */
class FixedPrincipalIntrospector {

	@Bean
	static BeanPostProcessor firstAnswerForever() {
		return new BeanPostProcessor() {

			@Override
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				return (bean instanceof OpaqueTokenIntrospector introspector) ? new FirstAnswerForever(introspector)
						: bean;
			}

		};
	}

	/** Asks the starter once, then answers every token with that principal. */
	static final class FirstAnswerForever implements OpaqueTokenIntrospector {

		private final OpaqueTokenIntrospector starter;

		private final AtomicReference<OAuth2AuthenticatedPrincipal> first = new AtomicReference<>();

		FirstAnswerForever(OpaqueTokenIntrospector starter) {
			this.starter = starter;
		}

		@Override
		public OAuth2AuthenticatedPrincipal introspect(String token) {
			OAuth2AuthenticatedPrincipal principal = this.first.get();
			if (principal == null) {
				principal = this.starter.introspect(token);
				this.first.compareAndSet(null, principal);
			}
			return principal;
		}

	}

}
