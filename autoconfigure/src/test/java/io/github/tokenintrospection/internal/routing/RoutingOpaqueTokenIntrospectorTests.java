package io.github.tokenintrospection.internal.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.tokenintrospection.internal.introspector.InactiveTokenException;
import io.github.tokenintrospection.internal.introspector.MalformedTokenException;
import io.github.tokenintrospection.internal.reactive.ReactiveRoutingOpaqueTokenIntrospector;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.junit.jupiter.api.Test;
import reactor.core.publisher.Mono;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The probe on both stacks: which failure asks the next server, which one ends the probe,
 * what is raised when no server accepts, and the authority that names the accepting
 * server.
 */
class RoutingOpaqueTokenIntrospectorTests {

	private final List<String> asked = new ArrayList<>();

	@Test
	void introspectWhenFirstInactiveThenSecondAcceptsAndIsNamedInAuthorities() {
		Probe probe = new Probe(failing("a", new InactiveTokenException()), accepting("b"));

		for (OAuth2AuthenticatedPrincipal principal : probe.both("token")) {
			assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority)
				.containsExactlyInAnyOrder("SCOPE_read", "SERVER_b");
		}
		assertThat(this.asked).containsExactly("a", "b", "a", "b");
	}

	@Test
	void introspectWhenFirstRefusesSyntaxThenSecondIsAsked() {
		Probe probe = new Probe(failing("a", new MalformedTokenException("too long")), accepting("b"));

		assertThat(probe.both("token")).hasSize(2);
		assertThat(this.asked).containsExactly("a", "b", "a", "b");
	}

	@Test
	void introspectWhenFirstRefusesAClaimThenNoFurtherServer() {
		Probe probe = new Probe(failing("a", new BadOpaqueTokenException("audience")), accepting("b"));

		probe.bothFail("token", BadOpaqueTokenException.class, "audience");
		assertThat(this.asked).containsExactly("a", "a");
	}

	@Test
	void introspectWhenFirstUnavailableAndSecondInactiveThenUnavailable() {
		Probe probe = new Probe(failing("a", new OAuth2IntrospectionException("down")),
				failing("b", new InactiveTokenException()));

		probe.bothFail("token", OAuth2IntrospectionException.class, "down");
	}

	@Test
	void introspectWhenEveryServerInactiveThenInactive() {
		Probe probe = new Probe(failing("a", new InactiveTokenException()), failing("b", new InactiveTokenException()));

		probe.bothFail("token", InactiveTokenException.class, "Token is not active");
	}

	@Test
	void introspectWhenNoServerTakesTheTokenThen401WithoutAsking() {
		RoutingTable<OpaqueTokenIntrospector> servlet = new RoutingTable<>(List.of(new RoutingTable.Server<>("a",
				RequestRules.of(List.of("/a/**"), List.of(), Map.of()), Set.of(), null, servletOf(accepting("a")))),
				true, 3, new IntrospectionListener() {
				});
		RoutingOpaqueTokenIntrospector introspector = new RoutingOpaqueTokenIntrospector(servlet,
				() -> RoutingTableTests.request("/b"));

		assertThatExceptionOfType(BadOpaqueTokenException.class).isThrownBy(() -> introspector.introspect("token"));
		assertThat(this.asked).isEmpty();
	}

	private Answer accepting(String server) {
		return (token) -> {
			this.asked.add(server);
			return new OAuth2IntrospectionAuthenticatedPrincipal("alice", Map.of("sub", "alice"),
					List.of(new SimpleGrantedAuthority("SCOPE_read")));
		};
	}

	private Answer failing(String server, RuntimeException failure) {
		return (token) -> {
			this.asked.add(server);
			throw failure;
		};
	}

	private static OpaqueTokenIntrospector servletOf(Answer answer) {
		return answer::answer;
	}

	private static ReactiveOpaqueTokenIntrospector reactiveOf(Answer answer) {
		return (token) -> Mono.fromCallable(() -> answer.answer(token));
	}

	@FunctionalInterface
	interface Answer {

		OAuth2AuthenticatedPrincipal answer(String token);

	}

	/** The same two servers, probed by each stack's introspector. */
	private static final class Probe {

		private final RoutingOpaqueTokenIntrospector servlet;

		private final ReactiveRoutingOpaqueTokenIntrospector reactive;

		Probe(Answer first, Answer second) {
			IntrospectionListener listener = new IntrospectionListener() {
			};
			this.servlet = new RoutingOpaqueTokenIntrospector(
					new RoutingTable<>(List.of(server("a", servletOf(first)), server("b", servletOf(second))), true, 3,
							listener),
					() -> RoutingTableTests.request("/notes"));
			this.reactive = new ReactiveRoutingOpaqueTokenIntrospector(
					new RoutingTable<>(List.of(server("a", reactiveOf(first)), server("b", reactiveOf(second))), true,
							3, listener),
					(context) -> RoutingTableTests.request("/notes"));
		}

		List<OAuth2AuthenticatedPrincipal> both(String token) {
			return List.of(this.servlet.introspect(token), this.reactive.introspect(token).block());
		}

		void bothFail(String token, Class<? extends RuntimeException> type, String message) {
			assertThatExceptionOfType(type).isThrownBy(() -> this.servlet.introspect(token))
				.withMessageContaining(message);
			assertThatExceptionOfType(type).isThrownBy(() -> this.reactive.introspect(token).block())
				.withMessageContaining(message);
		}

		private static <I> RoutingTable.Server<I> server(String name, I introspector) {
			return new RoutingTable.Server<>(name, RoutingTableTests.rules(), Set.of(), null, introspector);
		}

	}

}
