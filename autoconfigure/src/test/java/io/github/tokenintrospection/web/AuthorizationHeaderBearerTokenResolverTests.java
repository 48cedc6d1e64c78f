package io.github.tokenintrospection.web;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Supplier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.security.oauth2.core.OAuth2AuthenticationException;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuthorizationHeaderBearerTokenResolverTests {

	private final AuthorizationHeaderBearerTokenResolver resolver = new AuthorizationHeaderBearerTokenResolver();

	private final DefaultBearerTokenResolver springDefault = new DefaultBearerTokenResolver();

	@ParameterizedTest
	@ValueSource(strings = { "Bearer abc", "bearer abc", "BEARER abc", "bEaReR abc", "Bearer a-b.c_d~e+f/g",
			"Bearer abc==", "Bearer Zz09" })
	void resolveWhenWellFormedThenReturnsToken(String header) {
		assertThat(this.resolver.resolve(request(header))).isEqualTo(header.substring(7));
	}

	@ParameterizedTest
	@ValueSource(strings = { "Bearer", "Bearer ", "Bearer  abc", "Bearer\tabc", "Bearer abc ", "Bearer ==",
			"Bearer a=b", "Bearer abc\n", "Bearer ab%c", "Bearerabc", "Bearer,abc", "Bearer ab\u00e9c",
			"Bearer \u212Abc", "Bearer abc==x" })
	void resolveWhenMalformedThenInvalidToken(String header) {
		assertThatExceptionOfType(OAuth2AuthenticationException.class)
			.isThrownBy(() -> this.resolver.resolve(request(header)))
			.satisfies((ex) -> {
				assertThat(ex.getError().getErrorCode()).isEqualTo("invalid_token");
				assertThat(ex.getError().getDescription()).isEqualTo("Bearer token is malformed");
			});
	}

	@ParameterizedTest
	@ValueSource(strings = { "", "Basic dXNlcjpwYXNz", "Bear abc", "Token abc", " Bearer abc" })
	void resolveWhenNotBearerSchemeThenNoToken(String header) {
		assertThat(this.resolver.resolve(request(header))).isNull();
	}

	@Test
	void resolveWhenNoAuthorizationHeaderThenNoToken() {
		assertThat(this.resolver.resolve(new MockHttpServletRequest())).isNull();
	}

	@Test
	void resolveWhenAccessTokenQueryParameterThenIgnoredAsByDefault() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/");
		request.addParameter("access_token", "abc");
		assertThat(this.resolver.resolve(request)).isNull();
		assertThat(this.springDefault.resolve(request)).isNull();
	}

	/**
	 * The same answer as Spring Security's default resolver for 200,000 headers built to
	 * sit near the rules' edges: scheme spelling, separators, token characters, padding
	 * and non-ASCII characters.
	 */
	@Test
	void resolveWhenRandomHeadersThenSameAnswerAsSpringSecurityDefault() {
		Random random = new Random(7662);
		String[] schemes = { "Bearer", "bearer", "BEARER", "BeArEr", "Bearer\u0130", "Beare", "Bearerx", "B\u0435arer",
				"\u0042earer", "Basic", "" };
		String[] separators = { " ", "  ", "", "\t", ",", " =" };
		String alphabet = "abcXYZ019-._~+/= \t%,;\"\u00e9\u212A\u0131\u017f\n";
		List<String> mismatches = new ArrayList<>();
		Map<String, Integer> outcomes = new HashMap<>();
		for (int i = 0; i < 200_000; i++) {
			StringBuilder header = new StringBuilder(schemes[random.nextInt(schemes.length)]);
			header.append(separators[random.nextInt(separators.length)]);
			int length = random.nextInt(12);
			for (int c = 0; c < length; c++) {
				// Mostly token characters, so that well-formed headers are common too.
				header.append((random.nextInt(4) > 0) ? alphabet.charAt(random.nextInt(12))
						: alphabet.charAt(random.nextInt(alphabet.length())));
			}
			header.append("=".repeat(random.nextInt(3)));
			String expected = outcome(() -> this.springDefault.resolve(request(header.toString())));
			String actual = outcome(() -> this.resolver.resolve(request(header.toString())));
			if (!expected.equals(actual)) {
				mismatches.add("[" + header + "]: expected " + expected + ", got " + actual);
			}
			outcomes.merge(expected.substring(0, expected.indexOf(':') + 1), 1, Integer::sum);
		}
		assertThat(mismatches).isEmpty();
		// The corpus reaches all three outcomes in numbers, so the comparison means
		// something.
		assertThat(outcomes).containsOnlyKeys("token:", "error:", "none:")
			.allSatisfy((outcome, count) -> assertThat(count).isGreaterThan(5_000));
	}

	@Test
	void resolveWhenKeycloakSizedTokenThenSameAsSpringSecurityDefault() {
		Random random = new Random(1);
		String alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_.";
		StringBuilder token = new StringBuilder();
		for (int i = 0; i < 1200; i++) {
			token.append(alphabet.charAt(random.nextInt(alphabet.length())));
		}
		MockHttpServletRequest request = request("Bearer " + token);
		assertThat(this.resolver.resolve(request)).isEqualTo(token.toString())
			.isEqualTo(this.springDefault.resolve(request));
	}

	private static String outcome(Supplier<String> resolution) {
		try {
			String token = resolution.get();
			return (token != null) ? "token:" + token : "none:";
		}
		catch (OAuth2AuthenticationException ex) {
			return "error:" + ex.getError().getErrorCode() + ":" + ex.getError().getDescription();
		}
	}

	private static MockHttpServletRequest request(String authorization) {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/api/notes");
		request.addHeader("Authorization", authorization);
		return request;
	}

}
