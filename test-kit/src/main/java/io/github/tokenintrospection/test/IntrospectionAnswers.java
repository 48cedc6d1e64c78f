package io.github.tokenintrospection.test;

import java.security.SecureRandom;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The introspection answers registered by tests, each under a token of its own.
 * <p>
 * One registry for the whole JVM, so that a request reaches its answer however the test
 * sends it (MockMvc, or a WebTestClient bound to a running server) and whichever cached
 * application context serves it. Every registration gets a fresh random token: two tests
 * never share a token, so neither the registry nor the starter's cache (keyed by the
 * token) can hand one test's answer to another. Answers are kept for the life of the JVM,
 * a few hundred bytes each.
 */
final class IntrospectionAnswers {

	private static final SecureRandom random = new SecureRandom();

	private static final Map<String, String> answers = new ConcurrentHashMap<>();

	private IntrospectionAnswers() {
	}

	/**
	 * Registers an answer under a fresh token.
	 * @param json the introspection response body, as the authorization server would send
	 * it
	 * @return the token to present
	 */
	static String register(String json) {
		Assert.hasText(json, "json must not be empty");
		String token = newToken();
		answers.put(token, json);
		return token;
	}

	/**
	 * Returns the answer registered under a token.
	 * @param token the token
	 * @return the answer, or {@code null} when the token was never registered
	 */
	static @Nullable String find(String token) {
		return answers.get(token);
	}

	static String newToken() {
		byte[] bytes = new byte[24];
		random.nextBytes(bytes);
		// Base64url is within RFC 6750's b64token: the starter's syntax guard lets it
		// through.
		return "answer-" + Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
	}

}
