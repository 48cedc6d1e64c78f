package io.github.tokenintrospection.test;

import io.github.tokenintrospection.client.IntrospectionClient;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.test.web.servlet.request.RequestPostProcessor;
import org.springframework.util.Assert;
import org.springframework.web.context.WebApplicationContext;
import org.springframework.web.context.support.WebApplicationContextUtils;

/**
 * MockMvc {@link RequestPostProcessor}s that send a bearer token whose introspection
 * answer is written in the test.
 * <p>
 * Unlike {@code SecurityMockMvcRequestPostProcessors.opaqueToken()}, which puts a
 * ready-made authentication in the security context, the request goes through the
 * starter's whole pipeline: the answer is parsed strictly and validated (expiry, issuer,
 * audience, scopes, token type) and mapped to authorities as the application is
 * configured. The test class must be annotated with
 * {@link AutoConfigureIntrospectionAnswers}.
 */
public final class TokenIntrospectionRequestPostProcessors {

	private TokenIntrospectionRequestPostProcessors() {
	}

	/**
	 * Sends {@code Authorization: Bearer <token>} with a token whose introspection answer
	 * is the given JSON, exactly as the authorization server would send it, for example
	 * {@code {"active":true,"scope":"orders:read","exp":1893456000,"aud":"orders-api"}}
	 * ({@code exp} in epoch seconds, {@code scope} a space-separated string). Each
	 * request gets a token of its own, so no answer can be served from the cache to
	 * another request.
	 * @param json the introspection response body
	 * @return the post-processor
	 */
	public static RequestPostProcessor introspectionAnswer(String json) {
		Assert.hasText(json, "json must not be empty");
		return (request) -> {
			checkAnswersAreServed(request);
			request.addHeader(HttpHeaders.AUTHORIZATION, "Bearer " + IntrospectionAnswers.register(json));
			return request;
		};
	}

	/**
	 * Without {@link AutoConfigureIntrospectionAnswers} the token would go to the real
	 * authorization server; said here rather than as a puzzling 401 or 503.
	 */
	private static void checkAnswersAreServed(MockHttpServletRequest request) {
		WebApplicationContext context = WebApplicationContextUtils
			.findWebApplicationContext(request.getServletContext());
		if (context == null) {
			return;
		}
		boolean served = context.getBeanProvider(IntrospectionClient.class)
			.stream()
			.anyMatch(RegisteredAnswerIntrospectionClient.class::isInstance);
		if (!served) {
			throw new IllegalStateException("No registered introspection answers are served in this test's "
					+ "application context: annotate the test class with @"
					+ AutoConfigureIntrospectionAnswers.class.getSimpleName()
					+ " (and make sure the starter is active: spring.security.oauth2.resourceserver"
					+ ".opaquetoken.introspection-uri set)");
		}
	}

}
