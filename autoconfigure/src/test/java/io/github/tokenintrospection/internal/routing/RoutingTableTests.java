package io.github.tokenintrospection.internal.routing;

import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.introspector.InactiveTokenException;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.junit.jupiter.api.Test;

import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * The resolution order: request rules, then a JWT's issuer, then the first server or,
 * when probing, the servers in turn with their caches consulted first.
 */
class RoutingTableTests {

	static final String ISSUER_A = "https://a.example";

	static final String ISSUER_B = "https://b.example";

	private final List<IntrospectionDecision> decisions = new ArrayList<>();

	private final IntrospectionListener listener = new IntrospectionListener() {
		@Override
		public void decisionMade(IntrospectionDecision decision) {
			RoutingTableTests.this.decisions.add(decision);
		}
	};

	@Test
	void chooseWhenRuleMatchesThenOnlyThatServer() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of()),
				server("b", RequestRules.of(List.of("/partners/**"), List.of(), Map.of()), Set.of()));

		assertThat(names(table.choose(request("/partners/1"), "opaque"))).containsExactly("b");
		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("a");
	}

	@Test
	void chooseWhenHostOrHeaderMatchesThenThatServer() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of()),
				server("b", RequestRules.of(List.of(), List.of("Partners.Example.com"), Map.of()), Set.of()),
				server("c", RequestRules.of(List.of(), List.of(), Map.of("X-Tenant", "c")), Set.of()));

		assertThat(names(table.choose(new RoutedRequest("/notes", "partners.example.COM", (name) -> null), "t")))
			.containsExactly("b");
		assertThat(names(table.choose(new RoutedRequest("/notes", "other", Map.of("X-Tenant", "c")::get), "t")))
			.containsExactly("c");
		assertThat(names(table.choose(new RoutedRequest("/notes", "other", Map.of("X-Tenant", "d")::get), "t")))
			.containsExactly("a");
	}

	@Test
	void chooseWhenEveryServerHasRulesAndNoneMatchesThenNone() {
		RoutingTable<String> table = table(true,
				server("a", RequestRules.of(List.of("/a/**"), List.of(), Map.of()), Set.of()),
				server("b", RequestRules.of(List.of("/b/**"), List.of(), Map.of()), Set.of()));

		assertThat(table.choose(request("/c"), "opaque")).isEmpty();
		assertThat(table.choose(null, "opaque")).isEmpty();
	}

	@Test
	void chooseWhenJwtNamesIssuerThenItsServer() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of(ISSUER_A)),
				server("b", rules(), Set.of(ISSUER_B)));

		assertThat(names(table.choose(request("/notes"), jwt(ISSUER_B)))).containsExactly("b");
		assertThat(names(table.choose(request("/notes"), jwt(ISSUER_A)))).containsExactly("a");
		assertThat(table.choose(request("/notes"), jwt("https://c.example"))).isEmpty();
	}

	@Test
	void chooseWhenJwtIssuerUnknownThenServersWithoutIssuerOnly() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of(ISSUER_A)),
				server("b", rules(), Set.of()));

		assertThat(names(table.choose(request("/notes"), jwt("https://c.example")))).containsExactly("b");
	}

	@Test
	void chooseWhenSingleCandidateHasOtherIssuerThenNone() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of(ISSUER_A)),
				server("b", RequestRules.of(List.of("/b/**"), List.of(), Map.of()), Set.of(ISSUER_B)));

		assertThat(table.choose(request("/b/1"), jwt(ISSUER_A))).isEmpty();
	}

	@Test
	void chooseWhenSeveralWithoutProbeThenFirstOnly() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of()), server("b", rules(), Set.of()));

		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("a");
	}

	@Test
	void chooseWhenProbingThenCachedActiveFirstAndKnownInactiveSkipped() {
		RoutingTable.Server<String> a = server("a", rules(), Set.of());
		RoutingTable.Server<String> b = server("b", rules(), Set.of());
		RoutingTable.Server<String> c = server("c", rules(), Set.of());
		RoutingTable<String> table = table(true, a, b, c);
		String key = TokenHash.sha256Hex("opaque");

		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("a", "b", "c");
		a.caches().inactive().put(key, IntrospectedToken.inactive());
		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("b", "c");
		c.caches().active().put(key, active());
		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("c", "b");
	}

	@Test
	void chooseWhenProbingAndEveryServerKnowsInactiveThenFirstOfThemAnswersFromCache() {
		RoutingTable.Server<String> a = server("a", rules(), Set.of());
		RoutingTable.Server<String> b = server("b", rules(), Set.of());
		RoutingTable<String> table = table(true, a, b);
		String key = TokenHash.sha256Hex("opaque");
		a.caches().inactive().put(key, IntrospectedToken.inactive());
		b.caches().inactive().put(key, IntrospectedToken.inactive());

		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("a");
	}

	@Test
	void chooseWhenProbingThenAtMostMaxServers() {
		RoutingTable<String> table = new RoutingTable<>(
				List.of(server("a", rules(), Set.of()), server("b", rules(), Set.of()), server("c", rules(), Set.of())),
				true, 2, this.listener);

		assertThat(names(table.choose(request("/notes"), "opaque"))).containsExactly("a", "b");
	}

	@Test
	void noServerWhenCalledThenTellsListenersWithoutToken() {
		RoutingTable<String> table = table(false, server("a", rules(), Set.of()));

		BadOpaqueTokenException failure = table.noServer("secret-token");

		assertThat(failure.getMessage()).doesNotContain("secret-token");
		assertThat(this.decisions).singleElement().satisfies((decision) -> {
			assertThat(decision.reasons()).containsExactly(RoutingTable.NO_SERVER);
			assertThat(decision.server()).isEqualTo("none");
			assertThat(decision.tokenFingerprint()).doesNotContain("secret-token");
		});
	}

	@Test
	void isWorthAskingTheNextWhenInactiveOrUnavailableThenTrue() {
		assertThat(RoutingTable.isWorthAskingTheNext(new InactiveTokenException())).isTrue();
		assertThat(RoutingTable.isWorthAskingTheNext(new OAuth2IntrospectionException("down"))).isTrue();
		assertThat(RoutingTable.isWorthAskingTheNext(new BadOpaqueTokenException("audience"))).isFalse();
		assertThat(RoutingTable.isWorthAskingTheNext(new IllegalStateException("bug"))).isFalse();
	}

	@Test
	void rulesWhenInvalidThenRefused() {
		assertThatIllegalArgumentException().isThrownBy(() -> RequestRules.of(List.of("notes"), List.of(), Map.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RequestRules.of(List.of("/notes/{id"), List.of(), Map.of()));
		assertThatIllegalArgumentException().isThrownBy(() -> RequestRules.of(List.of(), List.of(" "), Map.of()));
		assertThatIllegalArgumentException()
			.isThrownBy(() -> RequestRules.of(List.of(), List.of(), Map.of("X-Tenant", "")));
	}

	private RoutingTable<String> table(boolean probe, RoutingTable.Server<String>... servers) {
		return new RoutingTable<>(List.of(servers), probe, 3, this.listener);
	}

	static RoutingTable.Server<String> server(String name, RequestRules rules, Set<String> issuers) {
		return new RoutingTable.Server<>(name, rules, issuers,
				new TokenCaches(
						IntrospectionCaches.activeTokens(name + ".active", Duration.ofMinutes(1), 10,
								Clock.systemUTC()),
						IntrospectionCaches.inactiveTokens(name + ".inactive", Duration.ofMinutes(1), 10)),
				name);
	}

	static RequestRules rules() {
		return RequestRules.of(List.of(), List.of(), Map.of());
	}

	static RoutedRequest request(String path) {
		return new RoutedRequest(path, "localhost", (name) -> null);
	}

	static List<String> names(List<RoutingTable.Server<String>> servers) {
		return servers.stream().map(RoutingTable.Server::name).toList();
	}

	static String jwt(String issuer) {
		Base64.Encoder encoder = Base64.getUrlEncoder().withoutPadding();
		return encoder.encodeToString("{\"alg\":\"RS256\"}".getBytes(StandardCharsets.UTF_8)) + "."
				+ encoder.encodeToString(("{\"iss\":\"" + issuer + "\"}").getBytes(StandardCharsets.UTF_8)) + ".c2ln";
	}

	private static IntrospectedToken active() {
		return IntrospectedToken.active(Map.of("sub", "alice", "exp", Instant.ofEpochSecond(4102444800L)));
	}

}
