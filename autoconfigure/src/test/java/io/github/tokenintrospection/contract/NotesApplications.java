package io.github.tokenintrospection.contract;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Import;
import org.springframework.http.HttpHeaders;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;
import org.springframework.security.config.annotation.method.configuration.EnableReactiveMethodSecurity;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RequestHeader;
import org.springframework.web.bind.annotation.RestController;

/**
 * The notes API that the HTTP tests run, once per stack: {@code GET /notes} needs the
 * {@code read} scope and answers {@code notes of <principal>}.
 */
public final class NotesApplications {

	private NotesApplications() {
	}

	/** The servlet stack (Tomcat) with Spring Boot's default security filter chain. */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableMethodSecurity
	@Import(ServletNotesController.class)
	public static class Servlet {

	}

	/** The servlet stack with an application's own security filter chain. */
	@Configuration(proxyBeanMethods = false)
	@Import(Servlet.class)
	public static class ServletWithOwnSecurityFilterChain {

		@Bean
		SecurityFilterChain applicationSecurityFilterChain(HttpSecurity http) throws Exception {
			http.authorizeHttpRequests((requests) -> requests.anyRequest().authenticated())
				.oauth2ResourceServer((resourceServer) -> resourceServer.opaqueToken(Customizer.withDefaults()));
			return http.build();
		}

	}

	/**
	 * The reactive stack on Netty, whose event loops BlockHound watches, with Spring
	 * Boot's default security filter chain.
	 */
	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	@EnableReactiveMethodSecurity
	@Import(ReactiveNotesController.class)
	public static class Reactive {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			// Netty, not Tomcat (also on the test class path): event loops that
			// BlockHound watches.
			return new NettyReactiveWebServerFactory();
		}

		@Bean
		DecisionThreads decisionThreads() {
			return new DecisionThreads();
		}

	}

	@RestController
	public static class ServletNotesController {

		@GetMapping("/notes")
		@PreAuthorize("hasAuthority('SCOPE_read')")
		String notes(java.security.Principal principal) {
			return "notes of " + principal.getName();
		}

		/** The scheme of the Authorization header as the handler sees it. */
		@GetMapping("/notes/scheme")
		@PreAuthorize("hasAuthority('SCOPE_read')")
		String scheme(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
			return authorization.substring(0, authorization.indexOf(' '));
		}

	}

	@RestController
	public static class ReactiveNotesController {

		@GetMapping("/notes")
		@PreAuthorize("hasAuthority('SCOPE_read')")
		Mono<String> notes(java.security.Principal principal) {
			return Mono.just("notes of " + principal.getName());
		}

		/** The scheme of the Authorization header as the handler sees it. */
		@GetMapping("/notes/scheme")
		@PreAuthorize("hasAuthority('SCOPE_read')")
		Mono<String> scheme(@RequestHeader(HttpHeaders.AUTHORIZATION) String authorization) {
			return Mono.just(authorization.substring(0, authorization.indexOf(' ')));
		}

		/** Blocks on purpose: on an event loop, BlockHound fails it. */
		@GetMapping("/blocking")
		String blocking() throws InterruptedException {
			Thread.sleep(1);
			return "slept";
		}

	}

	/** Whether each decision was made on a non-blocking thread. */
	public static class DecisionThreads implements IntrospectionListener {

		private final List<Boolean> nonBlocking = new CopyOnWriteArrayList<>();

		@Override
		public void decisionMade(IntrospectionDecision decision) {
			this.nonBlocking.add(Schedulers.isInNonBlockingThread());
		}

		public List<Boolean> nonBlocking() {
			return this.nonBlocking;
		}

	}

}
