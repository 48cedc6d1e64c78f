package io.github.tokenintrospection.contract;

import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.web.ServiceUnavailableAnswer;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static io.github.tokenintrospection.testsupport.AuthorizationServerStub.json;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * Stale-if-error over HTTP, the same on each {@link Stack}: with the setting on, a token
 * the server called active shortly before an outage is still accepted during it, marked
 * with the {@code X-Token-Introspection-Stale} header; without the setting, or for a
 * token the server called inactive, or one it never saw, the outage means 503.
 */
@ExtendWith(OutputCaptureExtension.class)
class StaleIfErrorTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String STALE_HEADER = "X-Token-Introspection-Stale";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	private static final RunningStacks staleIfErrorEnabled = new RunningStacks(
			properties("token-introspection.resilience.stale-if-error.enabled", "true"), StaleListener.class);

	private static final RunningStacks staleIfErrorByDefault = new RunningStacks(properties());

	@AfterAll
	static void stop() {
		staleIfErrorEnabled.close();
		staleIfErrorByDefault.close();
		authorizationServer.close();
	}

	@BeforeEach
	void healthy() {
		authorizationServer.healthy();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenValidatedBeforeTheOutageThenAcceptedStaleWithHeaderAndFreshAgainAfterRecovery(Stack stack,
			CapturedOutput output) {
		RunningStack application = staleIfErrorEnabled.on(stack);
		StaleListener staleListener = application.bean(StaleListener.class);
		staleListener.usedSinceLastCall();
		String token = perStack(stack, "validated-token");
		HttpResponse<String> fresh = application.get("/notes", token);
		assertThat(fresh.statusCode()).isEqualTo(200);
		assertThat(fresh.headers().firstValue(STALE_HEADER)).isEmpty();
		// Out of the cache, so that the next request has to ask the failing server.
		application.bean(IntrospectionCacheControl.class).evict(token);
		authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

		HttpResponse<String> stale = application.get("/notes", token);

		assertThat(stale.statusCode()).isEqualTo(200);
		assertThat(stale.body()).isEqualTo("notes of alice");
		assertThat(stale.headers().firstValue(STALE_HEADER))
			.hasValueSatisfying((age) -> assertThat(Long.parseLong(age)).isBetween(0L, 60L));
		assertThat(authorizationServer.calls(token)).isEqualTo(2);
		assertThat(staleListener.usedSinceLastCall()).singleElement()
			.satisfies((used) -> assertThat(used.getClaims()).containsEntry("sub", "alice"));
		assertThat(output).containsPattern(" WARN .*stale-if-error");

		authorizationServer.healthy();
		HttpResponse<String> recovered = application.get("/notes", token);
		assertThat(recovered.statusCode()).isEqualTo(200);
		assertThat(recovered.headers().firstValue(STALE_HEADER)).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenServerAnswers503ThenValidatedTokenAcceptedStale(Stack stack) {
		RunningStack application = staleIfErrorEnabled.on(stack);
		String token = perStack(stack, "unavailable-validated-token");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		application.bean(IntrospectionCacheControl.class).evict(token);
		authorizationServer.answer(json(503, ""));

		HttpResponse<String> stale = application.get("/notes", token);

		assertThat(stale.statusCode()).isEqualTo(200);
		assertThat(stale.headers().firstValue(STALE_HEADER)).isPresent();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenConnectionRefusedThenValidatedTokenAcceptedStale(Stack stack) {
		RunningStack application = staleIfErrorEnabled.on(stack);
		String token = perStack(stack, "refused-validated-token");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		application.bean(IntrospectionCacheControl.class).evict(token);
		authorizationServer.refuseConnections();

		HttpResponse<String> stale = application.get("/notes", token);

		assertThat(stale.statusCode()).isEqualTo(200);
		assertThat(stale.headers().firstValue(STALE_HEADER)).isPresent();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenNeverValidatedThen503(Stack stack) {
		RunningStack application = staleIfErrorEnabled.on(stack);
		StaleListener staleListener = application.bean(StaleListener.class);
		staleListener.usedSinceLastCall();
		String token = perStack(stack, "unknown-token");
		authorizationServer.answer(json(503, ""));

		HttpResponse<String> response = application.get("/notes", token);

		assertServiceUnavailable(response);
		assertThat(response.headers().firstValue(STALE_HEADER)).isEmpty();
		assertThat(staleListener.usedSinceLastCall()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenServerCalledTheTokenInactiveSinceThenNotServedStale(Stack stack) {
		RunningStack application = staleIfErrorEnabled.on(stack);
		StaleListener staleListener = application.bean(StaleListener.class);
		staleListener.usedSinceLastCall();
		IntrospectionCacheControl cacheControl = application.bean(IntrospectionCacheControl.class);
		String token = perStack(stack, "revoked-token");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		cacheControl.evict(token);
		authorizationServer.answer(json(200, "{\"active\":false}"));
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(401);
		// Out of the negative cache too: the outage has to be what answers.
		cacheControl.evict(token);
		authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

		HttpResponse<String> response = application.get("/notes", token);

		assertServiceUnavailable(response);
		assertThat(response.headers().firstValue(STALE_HEADER)).isEmpty();
		assertThat(authorizationServer.calls(token)).isEqualTo(3);
		assertThat(staleListener.usedSinceLastCall()).isEmpty();
	}

	@ParameterizedTest
	@EnumSource
	void getWhenStaleIfErrorNotEnabledAndValidatedBeforeTheOutageThen503(Stack stack) {
		RunningStack application = staleIfErrorByDefault.on(stack);
		String token = perStack(stack, "unprotected-token");
		assertThat(application.get("/notes", token).statusCode()).isEqualTo(200);
		application.bean(IntrospectionCacheControl.class).evict(token);
		authorizationServer.answer(json(500, "{\"error\":\"server_error\"}"));

		HttpResponse<String> response = application.get("/notes", token);

		assertServiceUnavailable(response);
		assertThat(response.headers().firstValue(STALE_HEADER)).isEmpty();
		assertThat(authorizationServer.calls(token)).isEqualTo(2);
	}

	private static Map<String, Object> properties(String... more) {
		Map<String, Object> properties = new HashMap<>(
				Map.of(OPAQUETOKEN + "introspection-uri", authorizationServer.url(), OPAQUETOKEN + "client-id",
						"notes-api", OPAQUETOKEN + "client-secret", "s3cret",
						// One attempt per request and no breaker: each request below
						// reaches the stub once.
						"token-introspection.resilience.retry.enabled", "false",
						"token-introspection.resilience.circuit-breaker.enabled", "false"));
		for (int i = 0; i < more.length; i += 2) {
			properties.put(more[i], more[i + 1]);
		}
		return properties;
	}

	/** The 503 of the error contract, with the default Retry-After. */
	private static void assertServiceUnavailable(HttpResponse<String> response) {
		assertThat(response.statusCode()).isEqualTo(503);
		assertThat(response.headers().firstValue("Retry-After")).hasValue("5");
		assertThat(response.headers().firstValue("Cache-Control")).hasValue("no-store");
		assertThat(response.headers().firstValue("Content-Type")).hasValue("application/json");
		assertThat(response.headers().firstValue("WWW-Authenticate")).isEmpty();
		assertThat(response.body()).isEqualTo(ServiceUnavailableAnswer.BODY);
	}

	/**
	 * A token of the stack's own: both stacks ask one server, which counts calls per
	 * token.
	 */
	private static String perStack(Stack stack, String token) {
		return stack.name().toLowerCase(Locale.ROOT) + "-" + token;
	}

	/** Records every stale result used, as an application's metric would. */
	@Configuration(proxyBeanMethods = false)
	static class StaleListener {

		private final List<IntrospectedToken> used = new CopyOnWriteArrayList<>();

		@Bean
		StaleResultListener recordingStaleResultListener() {
			return (IntrospectedToken token, Duration age, OAuth2IntrospectionException failure) -> this.used
				.add(token);
		}

		/** The stale results used since the last call. */
		List<IntrospectedToken> usedSinceLastCall() {
			List<IntrospectedToken> used = List.copyOf(this.used);
			this.used.clear();
			return used;
		}

	}

}
