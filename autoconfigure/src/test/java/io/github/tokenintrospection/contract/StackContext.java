package io.github.tokenintrospection.contract;

import java.time.Duration;

import io.github.tokenintrospection.autoconfigure.ReactiveTokenIntrospectionAutoConfiguration;
import io.github.tokenintrospection.autoconfigure.TokenIntrospectionAutoConfiguration;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ssl.SslAutoConfiguration;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

/**
 * The starter's auto-configuration on one {@link Stack}, without a web server (a context
 * runner), and its introspector called as that stack calls it: the servlet one on the
 * caller's thread, the reactive one subscribed on a non-blocking thread, as a request on
 * a Netty event loop would be, where BlockHound (installed for all tests) fails any
 * blocking call.
 *
 * @param stack the stack
 * @param context the started (or failed) context
 */
record StackContext(Stack stack, ApplicationContextAssertProvider<?> context) {

	/** What a test does with the context. */
	@FunctionalInterface
	interface Test {

		void run(StackContext context) throws Throwable;

	}

	/**
	 * Starts the auto-configuration on the stack with the given properties, and runs the
	 * test with it.
	 * @param stack the stack
	 * @param properties the properties, as {@code name=value}
	 * @param test what to do with the context
	 */
	static void run(Stack stack, String[] properties, Test test) {
		switch (stack) {
			case SERVLET -> new WebApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
						OAuth2ResourceServerAutoConfiguration.class,
						OAuth2ResourceServerWebSecurityAutoConfiguration.class, SecurityAutoConfiguration.class,
						ServletWebSecurityAutoConfiguration.class, SslAutoConfiguration.class))
				.withPropertyValues(properties)
				.run((context) -> test.run(new StackContext(stack, context)));
			case REACTIVE -> new ReactiveWebApplicationContextRunner()
				.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class,
						ReactiveOAuth2ResourceServerAutoConfiguration.class, SslAutoConfiguration.class))
				.withPropertyValues(properties)
				.run((context) -> test.run(new StackContext(stack, context)));
		}
	}

	/**
	 * Introspects the token with the stack's introspector, and waits for the answer.
	 * @param token the token
	 * @return the token's principal
	 */
	OAuth2AuthenticatedPrincipal introspect(String token) {
		return switch (this.stack) {
			case SERVLET -> this.context.getBean(OpaqueTokenIntrospector.class).introspect(token);
			case REACTIVE -> {
				ReactiveOpaqueTokenIntrospector introspector = this.context
					.getBean(ReactiveOpaqueTokenIntrospector.class);
				yield Mono.defer(() -> introspector.introspect(token))
					.subscribeOn(Schedulers.parallel())
					.block(Duration.ofSeconds(10));
			}
		};
	}

}
