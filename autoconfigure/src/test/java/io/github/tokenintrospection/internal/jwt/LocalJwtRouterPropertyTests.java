package io.github.tokenintrospection.internal.jwt;

import java.util.List;

import com.nimbusds.jose.util.Base64URL;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.lifecycle.AfterContainer;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Hostile input for the local JWT path: whatever the bearer token, reading it never
 * throws, and only a token whose signed parts are the issuer's, unchanged, is ever
 * accepted.
 */
class LocalJwtRouterPropertyTests {

	private static final String B64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";

	private static final TestIssuer issuer = new TestIssuer();

	private static final LocalJwtRouter router = new LocalJwtRouter(
			new LocalJwtRouter.Settings(TestIssuer.ISSUER, List.of("RS256"), List.of("JWT"), List.of(), List.of()),
			issuer.keys());

	private static final String VALID = issuer.accessToken();

	@AfterContainer
	static void stop() {
		issuer.close();
	}

	@Property(tries = 2000)
	void peekWhenAnyStringThenNeverThrows(@ForAll("anyTokens") String token) {
		CompactJws.peek(token, LocalJwtRouter.MAX_HEADER_LENGTH);
	}

	@Property(tries = 1000)
	void routeWhenAnyStringThenNeverAcceptsWithoutVerification(@ForAll("anyTokens") String token) {
		JwtRoute route = router.route(token, "/notes");

		assertThat(route).isNotInstanceOf(JwtRoute.Accepted.class);
	}

	@Property(tries = 1000)
	void decideWhenValidTokenTamperedThenAcceptedOnlyIfSignedPartsUnchanged(@ForAll("tampered") String token) {
		JwtRoute route = router.decide(token, "/notes");

		if (route instanceof JwtRoute.Accepted) {
			// Base64url's unused trailing bits may change without changing a signed byte.
			assertThat(decodedParts(token)).isEqualTo(decodedParts(VALID));
		}
	}

	@Provide
	Arbitrary<String> anyTokens() {
		Arbitrary<String> b64Part = Arbitraries.strings().withChars(B64URL).ofMaxLength(300);
		Arbitrary<String> jsonPart = Arbitraries
			.of("{}", "{\"alg\":\"RS256\"}", "{\"alg\":\"none\",\"kid\":\"key-1\",\"typ\":\"JWT\"}",
					"{\"alg\":\"RS256\",\"kid\":\"key-1\",\"typ\":\"JWT\"}", "{\"iss\":\"" + TestIssuer.ISSUER + "\"}",
					"[1,2]", "{\"alg\":1}", "{\"iss\":{\"a\":[]}}", "{\"a\":" + "[".repeat(2000), "null", "\"s\"",
					"{\"alg\":\"HS256\",\"kid\":\"key-1\",\"typ\":\"JWT\"}")
			.map(TestIssuer::base64Url);
		Arbitrary<String> part = Arbitraries.oneOf(b64Part, jsonPart);
		Arbitrary<String> jwsShaped = Combinators.combine(part, part, b64Part)
			.as((header, payload, signature) -> header + "." + payload + "." + signature);
		Arbitrary<String> dotted = Arbitraries.strings().withChars(B64URL + ".~+/=").ofMaxLength(200);
		return Arbitraries.oneOf(jwsShaped, dotted, Arbitraries.strings().ofMaxLength(200));
	}

	@Provide
	Arbitrary<String> tampered() {
		return Combinators
			.combine(Arbitraries.integers().between(0, VALID.length() - 1), Arbitraries.of(B64URL.toCharArray()))
			.as((index, replacement) -> VALID.substring(0, index) + replacement + VALID.substring(index + 1));
	}

	private static List<String> decodedParts(String token) {
		String[] parts = token.split("\\.", -1);
		return List.of(new String(new Base64URL(parts[0]).decode()), new String(new Base64URL(parts[1]).decode()),
				new Base64URL(parts[2]).toString().isEmpty() ? ""
						: java.util.HexFormat.of().formatHex(new Base64URL(parts[2]).decode()));
	}

}
