/**
 * Testing support for applications that use the token introspection starter: requests
 * whose introspection answer is written in the test, for MockMvc
 * ({@link io.github.tokenintrospection.test.TokenIntrospectionRequestPostProcessors}) and
 * WebTestClient
 * ({@link io.github.tokenintrospection.test.TokenIntrospectionWebTestClientConfigurers}),
 * enabled by {@link io.github.tokenintrospection.test.AutoConfigureIntrospectionAnswers};
 * and a stub authorization server for integration tests
 * ({@link io.github.tokenintrospection.test.StubAuthorizationServer}).
 */
@NullMarked
package io.github.tokenintrospection.test;

import org.jspecify.annotations.NullMarked;
