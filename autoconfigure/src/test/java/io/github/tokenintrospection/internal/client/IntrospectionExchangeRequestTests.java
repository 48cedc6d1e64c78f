package io.github.tokenintrospection.internal.client;

import java.net.URI;
import java.nio.charset.StandardCharsets;

import io.github.tokenintrospection.internal.client.IntrospectionExchange.Request;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class IntrospectionExchangeRequestTests {

	private static final String SECRET = "s3cr3t-client-password";

	private static final String TOKEN = "raw-access-token-value";

	@Test
	void toStringWhenBasicAuthAndTokenFormThenNamesHeadersAndParametersOnly() {
		IntrospectionExchange exchange = new IntrospectionExchange(() -> URI.create("https://as.example/introspect"),
				(endpoint, headers, form) -> headers.setBasicAuth("resource-server", SECRET, StandardCharsets.UTF_8),
				"access_token");

		Request request = exchange.prepare(TOKEN);
		String basic = request.headers().getFirst("Authorization");

		assertThat(request.toString())
			.contains("https://as.example/introspect", "Authorization", "token", "token_type_hint")
			.doesNotContain(SECRET, TOKEN, basic, basic.substring("Basic ".length()));
	}

}
