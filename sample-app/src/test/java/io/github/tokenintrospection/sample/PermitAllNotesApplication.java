package io.github.tokenintrospection.sample;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Import;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;

/**
 * The notes API with the same controller and Spring Security's filter chain, but every
 * request permitted and no method security: the floor of the load benchmark.
 * <p>
 * Deliberately not a {@code @Configuration}: {@link NotesApplication}'s component scan
 * must not pick it up. {@link LoadBenchmark} passes it to {@code SpringApplication} as a
 * source.
 */
@EnableAutoConfiguration
@Import({ NotesController.class, NoteRepository.class })
class PermitAllNotesApplication {

	@Bean
	SecurityFilterChain permitAllFilterChain(HttpSecurity http) throws Exception {
		return http.authorizeHttpRequests((requests) -> requests.anyRequest().permitAll()).build();
	}

}
