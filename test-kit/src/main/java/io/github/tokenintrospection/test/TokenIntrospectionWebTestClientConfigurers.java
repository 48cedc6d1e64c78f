package io.github.tokenintrospection.test;

import org.springframework.test.web.reactive.server.WebTestClientConfigurer;
import org.springframework.util.Assert;
import org.springframework.web.reactive.function.client.ClientRequest;

/**
 * {@link WebTestClientConfigurer}s that send a bearer token whose introspection answer is
 * written in the test: the WebTestClient counterpart of
 * {@link TokenIntrospectionRequestPostProcessors}, for a WebTestClient bound to a running
 * server or to the application context, on either stack.
 * <p>
 * Unlike {@code SecurityMockServerConfigurers.mockOpaqueToken()}, the request goes
 * through the starter's whole pipeline (strict parsing, claim validation, authorities
 * mapping). The test class must be annotated with
 * {@link AutoConfigureIntrospectionAnswers}.
 */
public final class TokenIntrospectionWebTestClientConfigurers {

	private TokenIntrospectionWebTestClientConfigurers() {
	}

	/**
	 * Makes every request of the mutated client send
	 * {@code Authorization: Bearer <token>} with a token whose introspection answer is
	 * the given JSON, exactly as the authorization server would send it:
	 * {@code webTestClient.mutateWith(introspectionAnswer(json))}. Each request gets a
	 * token of its own, so no answer can be served from the cache to another request.
	 * @param json the introspection response body
	 * @return the configurer
	 */
	public static WebTestClientConfigurer introspectionAnswer(String json) {
		Assert.hasText(json, "json must not be empty");
		return (builder, httpHandlerBuilder,
				connector) -> builder.filter((request,
						next) -> next.exchange(ClientRequest.from(request)
							.headers((headers) -> headers.setBearerAuth(IntrospectionAnswers.register(json)))
							.build()));
	}

}
