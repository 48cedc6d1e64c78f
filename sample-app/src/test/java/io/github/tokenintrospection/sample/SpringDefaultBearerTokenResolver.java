package io.github.tokenintrospection.sample;

import org.springframework.context.annotation.Bean;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

/**
 * A diagnostic configuration of the load benchmark: the starter with Spring Security's
 * own bearer-token resolver (a regular expression over the header) in place of the
 * starter's, to measure what the starter's resolver saves.
 * <p>
 * Deliberately not a {@code @Configuration}: {@link NotesApplication}'s component scan
 * must not pick it up. {@link LoadBenchmark} passes it to {@code SpringApplication} as a
 * source.
 */
class SpringDefaultBearerTokenResolver {

	@Bean
	BearerTokenResolver regexBearerTokenResolver() {
		return new DefaultBearerTokenResolver();
	}

}
