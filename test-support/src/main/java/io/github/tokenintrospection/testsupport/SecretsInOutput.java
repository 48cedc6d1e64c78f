package io.github.tokenintrospection.testsupport;

import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * What the no-secrets-in-logs tests of both stacks check in captured output, and the
 * tokens they send.
 */
public final class SecretsInOutput {

	private SecretsInOutput() {
	}

	/**
	 * A token no other test uses, recognizable by its prefix, remembered in
	 * {@code tokens}.
	 * @param tokens the tokens sent so far
	 * @param prefix what the token starts with (an {@code inactive} prefix makes the
	 * stubs answer inactive)
	 * @return the token
	 */
	public static String newToken(List<String> tokens, String prefix) {
		String token = prefix + "Tok" + Long.toHexString(Double.doubleToLongBits(Math.random()));
		tokens.add(token);
		return token;
	}

	/**
	 * Asserts that no token and not the client secret appears in the output: not raw, not
	 * URL-encoded, not Base64-encoded, nor the client's Basic credentials.
	 * @param logged the output
	 * @param tokens the tokens sent
	 * @param clientId the client id, for the Basic credentials
	 * @param clientSecret the client secret
	 */
	public static void assertNoneLogged(String logged, List<String> tokens, String clientId, String clientSecret) {
		List<String> secrets = new ArrayList<>(tokens);
		secrets.add(clientSecret);
		for (String secret : secrets) {
			assertThat(logged).doesNotContain(secret)
				.doesNotContain(URLEncoder.encode(secret, StandardCharsets.UTF_8))
				.doesNotContain(Base64.getEncoder().encodeToString(secret.getBytes(StandardCharsets.UTF_8)));
		}
		assertThat(logged).doesNotContain(
				Base64.getEncoder().encodeToString((clientId + ":" + clientSecret).getBytes(StandardCharsets.UTF_8)));
	}

}
