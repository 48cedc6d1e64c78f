package io.github.tokenintrospection.internal.client;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.concurrent.TimeUnit;

import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.SocketEffect;
import okio.Buffer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import org.springframework.http.HttpHeaders;
import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.unit.DataSize;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

/**
 * How {@link RestClientIntrospectionClient} classifies what goes wrong on the wire, which
 * decides retries and the {@code Retry-After} of the 503.
 */
class RestClientIntrospectionClientFaultTests {

	private static final String TOKEN = "tok-3f9a.secret+value/with=chars";

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@ParameterizedTest
	@ValueSource(ints = { 502, 503, 504 })
	void introspectWhenGatewayOrUnavailableStatusThenRetryable(int status) {
		this.server.enqueue(json(status, "{}"));

		AuthorizationServerUnavailableException failure = introspectExpectingUnavailable(client());

		assertThat(failure.isRetryable()).isTrue();
		assertThat(failure.getMessage()).isEqualTo("Introspection endpoint answered HTTP " + status);
	}

	@ParameterizedTest
	@ValueSource(ints = { 400, 401, 403, 404, 429, 500, 501 })
	void introspectWhenOtherErrorStatusThenNotRetryable(int status) {
		this.server.enqueue(json(status, "{\"error\":\"x\"}"));

		assertThat(introspectExpectingUnavailable(client()).isRetryable()).isFalse();
	}

	@Test
	void introspectWhen429WithRetryAfterSecondsThenWaitPassedOn() {
		this.server.enqueue(new MockResponse.Builder().code(429).addHeader("Retry-After", "17").build());

		assertThat(introspectExpectingUnavailable(client()).getRetryAfter()).hasValue(Duration.ofSeconds(17));
	}

	@Test
	void introspectWhen503WithRetryAfterSecondsThenWaitPassedOn() {
		this.server.enqueue(new MockResponse.Builder().code(503).addHeader("Retry-After", "9").build());

		assertThat(introspectExpectingUnavailable(client()).getRetryAfter()).hasValue(Duration.ofSeconds(9));
	}

	@Test
	void introspectWhenErrorWithoutRetryAfterThenNoWait() {
		this.server.enqueue(new MockResponse.Builder().code(429).build());

		assertThat(introspectExpectingUnavailable(client()).getRetryAfter()).isEmpty();
	}

	@Test
	void retryAfterWhenHttpDateThenTimeUntilIt() {
		Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);
		String inTwoMinutes = DateTimeFormatter.RFC_1123_DATE_TIME
			.format(Instant.parse("2030-01-01T00:02:00Z").atOffset(ZoneOffset.UTC));

		assertThat(IntrospectionFailures.retryAfter(inTwoMinutes, clock)).isEqualTo(Duration.ofMinutes(2));
	}

	@Test
	void retryAfterWhenPastDateOrGarbageThenNone() {
		Clock clock = Clock.fixed(Instant.parse("2030-01-01T00:00:00Z"), ZoneOffset.UTC);

		assertThat(IntrospectionFailures.retryAfter("Tue, 01 Jan 2019 00:00:00 GMT", clock)).isNull();
		assertThat(IntrospectionFailures.retryAfter("soon", clock)).isNull();
		assertThat(IntrospectionFailures.retryAfter("-5", clock)).isNull();
		assertThat(IntrospectionFailures.retryAfter("99999999999999999999", clock)).isNull();
		assertThat(IntrospectionFailures.retryAfter(" 30 ", clock)).isEqualTo(Duration.ofSeconds(30));
	}

	@Test
	void introspectWhenConnectionRefusedThenRetryable() {
		URI uri = this.server.url("/introspect").uri();
		this.server.close();

		AuthorizationServerUnavailableException failure = introspectExpectingUnavailable(
				client(uri, Duration.ofSeconds(5)));

		assertThat(failure.isRetryable()).isTrue();
		// The JDK's ConnectException has no message; the failure still says what
		// happened.
		assertThat(failure.getMessage()).startsWith("Introspection request to " + uri + " failed after ")
			.contains(" ms: could not connect")
			.doesNotContain("null");
	}

	@Test
	void introspectWhenConnectionClosedWithoutAnswerThenRetryable() {
		this.server
			.enqueue(new MockResponse.Builder().onResponseStart(SocketEffect.ShutdownConnection.INSTANCE).build());

		AuthorizationServerUnavailableException failure = introspectExpectingUnavailable(client());

		assertThat(failure.isRetryable()).isTrue();
		assertThat(failure.getMessage()).contains(" ms: connection failed before a complete answer (")
			.doesNotContain("null");
	}

	@Test
	void introspectWhenBodyTruncatedThenRetryable() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body(new Buffer().writeUtf8("{\"active\":true,\"sub\":\"alice\"}"))
			.onResponseBody(SocketEffect.ShutdownConnection.INSTANCE)
			.build());

		assertThat(introspectExpectingUnavailable(client()).isRetryable()).isTrue();
	}

	@Test
	void introspectWhenReadTimeoutThenNotRetryable() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"active\":true}")
			.headersDelay(5, TimeUnit.SECONDS)
			.build());

		AuthorizationServerUnavailableException failure = introspectExpectingUnavailable(
				client(this.server.url("/introspect").uri(), Duration.ofMillis(200)));

		assertThat(failure.isRetryable()).isFalse();
		assertThat(failure.getMessage())
			.matches("Introspection request to \\S+ failed after \\d+ ms: no answer within the read timeout "
					+ "\\(token-introspection.read-timeout\\)");
		assertThat(failure.getMessage()).doesNotContain("null");
	}

	@Test
	void introspectWhenBodyLargerThanConfiguredMaximumThenServerFault() {
		RestClientIntrospectionClient client = client();
		client.setMaxResponseSize(DataSize.ofBytes(100));
		this.server.enqueue(json(200, "{\"active\":true,\"padding\":\"" + "x".repeat(100) + "\"}"));

		Throwable thrown = catchThrowable(() -> client.introspect(TOKEN));

		assertThat(thrown).isInstanceOf(OAuth2IntrospectionException.class)
			.hasMessage("Introspection response is larger than 100 bytes");
	}

	@Test
	void introspectWhenBodyWithinConfiguredMaximumThenParsed() {
		RestClientIntrospectionClient client = client();
		client.setMaxResponseSize(DataSize.ofBytes(100));
		this.server.enqueue(json(200, "{\"active\":true}"));

		assertThat(client.introspect(TOKEN).isActive()).isTrue();
	}

	@Test
	void introspectionFormToStringWhenLoggedThenNamesParametersWithoutValues() {
		IntrospectionForm form = new IntrospectionForm();
		form.add("token", TOKEN);
		form.add("client_secret", "s3cret");

		assertThat(form.toString()).contains("token", "client_secret").doesNotContain(TOKEN).doesNotContain("s3cret");
	}

	private static AuthorizationServerUnavailableException introspectExpectingUnavailable(
			RestClientIntrospectionClient client) {
		AuthorizationServerUnavailableException failure = catchThrowableOfType(
				AuthorizationServerUnavailableException.class, () -> client.introspect(TOKEN));
		assertThat(failure).as("server fault").isNotNull();
		assertThat(failure.getMessage()).doesNotContain(TOKEN);
		return failure;
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code)
			.addHeader(HttpHeaders.CONTENT_TYPE, "application/json")
			.body(body)
			.build();
	}

	private RestClientIntrospectionClient client() {
		return client(this.server.url("/introspect").uri(), Duration.ofSeconds(5));
	}

	private static RestClientIntrospectionClient client(URI uri, Duration readTimeout) {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(readTimeout);
		return new RestClientIntrospectionClient(RestClient.builder().requestFactory(requestFactory).build(), () -> uri,
				ClientAuthentications.clientSecretBasic("resource-server", "s3cret"), "access_token");
	}

}
