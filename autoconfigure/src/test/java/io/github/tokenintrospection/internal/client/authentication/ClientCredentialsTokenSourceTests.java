package io.github.tokenintrospection.internal.client.authentication;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.testsupport.MutableClock;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class ClientCredentialsTokenSourceTests {

	private static final ClientAuthentication BASIC = ClientAuthentications.clientSecretBasic("notes-api", "s3cret");

	private static final String EXPECTED_BASIC = "Basic "
			+ Base64.getEncoder().encodeToString("notes-api:s3cret".getBytes(StandardCharsets.UTF_8));

	private final MockWebServer server = new MockWebServer();

	private final MutableClock clock = MutableClock.startingAt("2030-01-01T10:00:00Z");

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void getWhenFirstCalledThenRequestsTokenWithClientCredentialsGrantAndClientAuthentication() throws Exception {
		enqueueToken("rs-token-1", 300);

		String token = tokenSource("introspect").get();

		assertThat(token).isEqualTo("rs-token-1");
		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getUrl().encodedPath()).isEqualTo("/token");
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(EXPECTED_BASIC);
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
		assertThat(form(request)).containsOnly(Map.entry("grant_type", "client_credentials"),
				Map.entry("scope", "introspect"));
	}

	@Test
	void getWhenNoScopeConfiguredThenSendsNoScope() throws Exception {
		enqueueToken("rs-token-1", 300);

		tokenSource(null).get();

		assertThat(form(this.server.takeRequest())).containsOnly(Map.entry("grant_type", "client_credentials"));
	}

	@Test
	void getWhenCalledAgainBeforeRefreshTimeThenReusesTokenWithoutRequest() {
		enqueueToken("rs-token-1", 300);
		enqueueToken("rs-token-2", 300);
		ClientCredentialsTokenSource tokenSource = tokenSource(null);
		tokenSource.get();
		// expires_in 300s, refreshed 30s before: still reused 1s before the refresh time.
		this.clock.advance(Duration.ofSeconds(269));

		String token = tokenSource.get();

		assertThat(token).isEqualTo("rs-token-1");
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getWhenClockReachesExpiresInMinusRefreshBeforeExpiryThenRequestsNewToken() {
		enqueueToken("rs-token-1", 300);
		enqueueToken("rs-token-2", 300);
		ClientCredentialsTokenSource tokenSource = tokenSource(null);
		tokenSource.get();
		this.clock.advance(Duration.ofSeconds(270));

		String token = tokenSource.get();

		assertThat(token).isEqualTo("rs-token-2");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void getWhenTokenLivesShorterThanRefreshMarginThenReusedForHalfItsLife() {
		enqueueToken("rs-token-1", 20);
		enqueueToken("rs-token-2", 20);
		ClientCredentialsTokenSource tokenSource = tokenSource(null);
		tokenSource.get();
		this.clock.advance(Duration.ofSeconds(9));
		assertThat(tokenSource.get()).isEqualTo("rs-token-1");
		assertThat(this.server.getRequestCount()).isEqualTo(1);

		this.clock.advance(Duration.ofSeconds(1));

		assertThat(tokenSource.get()).isEqualTo("rs-token-2");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	static Stream<Arguments> failedTokenResponses() {
		return Stream.of(Arguments.of("HTTP 401", json(401, "{\"error\":\"invalid_client\"}")),
				Arguments.of("HTTP 500", json(500, "{\"access_token\":\"rs-token-1\"}")),
				Arguments.of("non-JSON body",
						new MockResponse.Builder().code(200)
							.addHeader("Content-Type", "text/html")
							.body("<html>login</html>")
							.build()),
				Arguments.of("no access_token", json(200, "{\"token_type\":\"Bearer\",\"expires_in\":300}")),
				Arguments.of("empty access_token", json(200, "{\"access_token\":\"\",\"expires_in\":300}")),
				Arguments.of("access_token not a string", json(200, "{\"access_token\":42,\"expires_in\":300}")));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("failedTokenResponses")
	void getWhenTokenEndpointFailsThenIntrospectionExceptionAndNextCallTriesAgain(String description,
			MockResponse failure) {
		this.server.enqueue(failure);
		enqueueToken("rs-token-1", 300);
		ClientCredentialsTokenSource tokenSource = tokenSource(null);

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(tokenSource::get)
			.withMessageContaining(this.server.url("/token").toString());
		String token = tokenSource.get();

		assertThat(token).isEqualTo("rs-token-1");
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void getWhenRefreshFailsThenNextCallTriesAgain() {
		enqueueToken("rs-token-1", 300);
		this.server.enqueue(json(500, "{}"));
		enqueueToken("rs-token-2", 300);
		ClientCredentialsTokenSource tokenSource = tokenSource(null);
		tokenSource.get();
		this.clock.advance(Duration.ofSeconds(280));

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(tokenSource::get);
		String token = tokenSource.get();

		assertThat(token).isEqualTo("rs-token-2");
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void getWhenResponseHasNoExpiresInThenReusedForFiveMinutesLessRefreshBeforeExpiry() {
		assertFirstTokenReusedFor("{\"access_token\":\"rs-token-1\"}", Duration.ofSeconds(270));
	}

	@ParameterizedTest(name = "expires_in {0}")
	@ValueSource(strings = { "0", "-300", "300.5", "\"300\"", "1e30", "18446744073709551676", "-9223372036854775809" })
	void getWhenExpiresInIsNotAPositiveWholeNumberThenLifetimeIsTheDefault(String expiresIn) {
		// 18446744073709551676 is 2^64 + 60: narrowed to a long, it would read as 60 s.
		assertFirstTokenReusedFor("{\"access_token\":\"rs-token-1\",\"expires_in\":" + expiresIn + "}",
				Duration.ofSeconds(270));
	}

	@ParameterizedTest(name = "expires_in {0}")
	@ValueSource(strings = { "9223372036854775807", "31556889864403199" })
	void getWhenExpiresInIsAbsurdlyLongThenCappedAtADay(String expiresIn) {
		assertFirstTokenReusedFor("{\"access_token\":\"rs-token-1\",\"expires_in\":" + expiresIn + "}",
				Duration.ofDays(1).minusSeconds(30));
	}

	/**
	 * The first token response's token is reused until one second before {@code reuse}
	 * has passed, and replaced at {@code reuse}.
	 */
	private void assertFirstTokenReusedFor(String firstResponse, Duration reuse) {
		this.server.enqueue(json(200, firstResponse));
		enqueueToken("rs-token-2", 300);
		ClientCredentialsTokenSource tokenSource = tokenSource(null);
		tokenSource.get();

		this.clock.advance(reuse.minusSeconds(1));
		assertThat(tokenSource.get()).isEqualTo("rs-token-1");
		this.clock.advance(Duration.ofSeconds(1));
		assertThat(tokenSource.get()).isEqualTo("rs-token-2");
	}

	private ClientCredentialsTokenSource tokenSource(String scope) {
		URI tokenUri = this.server.url("/token").uri();
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		RestClient restClient = RestClient.builder()
			.requestFactory(new JdkClientHttpRequestFactory(httpClient))
			.build();
		return new ClientCredentialsTokenSource(restClient, () -> tokenUri, BASIC, scope, Duration.ofSeconds(30),
				this.clock);
	}

	private void enqueueToken(String token, long expiresIn) {
		this.server.enqueue(json(200,
				"{\"access_token\":\"" + token + "\",\"token_type\":\"Bearer\",\"expires_in\":" + expiresIn + "}"));
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

	private static Map<String, String> form(RecordedRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		for (String pair : request.getBody().utf8().split("&")) {
			String[] parts = pair.split("=", 2);
			String previous = form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
			assertThat(previous).as("parameter %s sent once", parts[0]).isNull();
		}
		return form;
	}

}
