package io.github.tokenintrospection.internal.routing;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Set;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for routing: whatever the token and the request path, choosing never
 * throws, never names a server the request rules exclude, and a token that names an
 * issuer goes only to a server of that issuer or to one whose issuer is not known.
 */
class RoutingTablePropertyTests {

	private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private final RoutingTable<String> table = new RoutingTable<>(
			List.of(RoutingTableTests.server("a", RoutingTableTests.rules(), Set.of(RoutingTableTests.ISSUER_A)),
					RoutingTableTests.server("b", RoutingTableTests.rules(), Set.of(RoutingTableTests.ISSUER_B)),
					RoutingTableTests.server("c", RequestRules.of(List.of("/c/**"), List.of(), Map.of()), Set.of())),
			true, 3, new io.github.tokenintrospection.observation.IntrospectionListener() {
			});

	@Property(tries = 2000)
	void chooseWhenAnyTokenAndPathThenNeverThrowsAndKeepsTheRules(@ForAll("tokens") String token,
			@ForAll("paths") String path) {
		List<String> chosen = RoutingTableTests.names(this.table.choose(RoutingTableTests.request(path), token));

		boolean cPath = path.equals("/c") || path.startsWith("/c/");
		if (cPath) {
			assertThat(chosen).isSubsetOf("c");
		}
		else {
			assertThat(chosen).isSubsetOf("a", "b").doesNotHaveDuplicates();
		}
	}

	@Property(tries = 1000)
	void chooseWhenTokenNamesAnIssuerThenOnlyItsServer(@ForAll("issuers") String issuer) {
		List<String> chosen = RoutingTableTests
			.names(this.table.choose(RoutingTableTests.request("/notes"), RoutingTableTests.jwt(issuer)));

		if (issuer.equals(RoutingTableTests.ISSUER_A)) {
			assertThat(chosen).containsExactly("a");
		}
		else if (issuer.equals(RoutingTableTests.ISSUER_B)) {
			assertThat(chosen).containsExactly("b");
		}
		else {
			// Both default-path servers have a known issuer: an unknown one goes nowhere.
			assertThat(chosen).isEmpty();
		}
	}

	@Provide
	Arbitrary<String> tokens() {
		Arbitrary<String> b64Part = Arbitraries.strings().withChars(B64URL).ofMaxLength(200);
		Arbitrary<String> jsonPart = Arbitraries
			.of("{}", "{\"alg\":\"RS256\"}", "{\"iss\":\"" + RoutingTableTests.ISSUER_A + "\"}",
					"{\"iss\":\"" + RoutingTableTests.ISSUER_B + "\"}", "{\"iss\":[\"x\"]}", "{\"iss\":1e999}",
					"{\"iss\":null}", "[1]", "{\"a\":" + "[".repeat(3000), "\"s\"")
			.map((json) -> Base64.getUrlEncoder()
				.withoutPadding()
				.encodeToString(json.getBytes(StandardCharsets.UTF_8)));
		Arbitrary<String> part = Arbitraries.oneOf(b64Part, jsonPart);
		Arbitrary<String> jwsShaped = Combinators.combine(part, part, b64Part)
			.as((header, payload, signature) -> header + "." + payload + "." + signature);
		Arbitrary<String> huge = Arbitraries.strings().withChars(B64URL + ".").ofMinLength(16_000).ofMaxLength(20_000);
		return Arbitraries.oneOf(jwsShaped, Arbitraries.strings().ofMaxLength(200), huge);
	}

	@Provide
	Arbitrary<String> paths() {
		return Arbitraries.oneOf(Arbitraries.of("/", "/c", "/c/1", "/notes", "/c%2F", "//c/x", "/c/../x", "/C/1"),
				Arbitraries.strings().ofMaxLength(60).map((suffix) -> "/" + suffix));
	}

	@Provide
	Arbitrary<String> issuers() {
		return Arbitraries.oneOf(
				Arbitraries.of(RoutingTableTests.ISSUER_A, RoutingTableTests.ISSUER_B, RoutingTableTests.ISSUER_A + "/",
						"HTTPS://a.example"),
				Arbitraries.strings()
					.withCharRange('!', '~')
					.ofMaxLength(40)
					.filter((s) -> s.indexOf('"') < 0 && s.indexOf('\\') < 0));
	}

}
