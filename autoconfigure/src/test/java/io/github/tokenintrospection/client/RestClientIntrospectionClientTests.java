package io.github.tokenintrospection.client;

import java.io.IOException;
import java.net.URI;
import java.net.URLDecoder;
import java.net.http.HttpClient;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
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
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

class RestClientIntrospectionClientTests {

	private static final String TOKEN = "tok-3f9a.secret+value/with=chars";

	private static final ClientAuthentication BASIC = ClientAuthentications.clientSecretBasic("resource-server",
			"s3cret");

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectWhenCalledThenPostsFormWithTokenAndDefaultHint() throws Exception {
		enqueueJson("{\"active\":true}");

		client(BASIC, "access_token").introspect(TOKEN);

		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("POST");
		assertThat(request.getHeaders().get("Content-Type")).startsWith("application/x-www-form-urlencoded");
		assertThat(form(request)).containsEntry("token", TOKEN).containsEntry("token_type_hint", "access_token");
	}

	@Test
	void introspectWhenHintEmptyThenOmitsHint() throws Exception {
		enqueueJson("{\"active\":true}");

		client(BASIC, "").introspect(TOKEN);

		assertThat(form(this.server.takeRequest())).containsEntry("token", TOKEN).doesNotContainKey("token_type_hint");
	}

	@Test
	void introspectWhenCustomHintThenSendsIt() throws Exception {
		enqueueJson("{\"active\":true}");

		client(BASIC, "urn:example:custom").introspect(TOKEN);

		assertThat(form(this.server.takeRequest())).containsEntry("token_type_hint", "urn:example:custom");
	}

	@Test
	void introspectWhenClientSecretBasicThenSendsFormEncodedCredentialsInHeaderOnly() throws Exception {
		enqueueJson("{\"active\":true}");
		ClientAuthentication credentials = ClientAuthentications.clientSecretBasic("a b:c", "p%ss:w&rd");

		client(credentials, "access_token").introspect(TOKEN);

		RecordedRequest request = this.server.takeRequest();
		String expected = "Basic "
				+ Base64.getEncoder().encodeToString("a+b%3Ac:p%25ss%3Aw%26rd".getBytes(StandardCharsets.UTF_8));
		assertThat(request.getHeaders().get("Authorization")).isEqualTo(expected);
		assertThat(form(request)).doesNotContainKeys("client_id", "client_secret");
	}

	@Test
	void introspectWhenClientSecretPostThenSendsCredentialsInBodyAndNoAuthorizationHeader() throws Exception {
		enqueueJson("{\"active\":true}");
		ClientAuthentication credentials = ClientAuthentications.clientSecretPost("a b:c", "p%ss:w&rd");

		client(credentials, "access_token").introspect(TOKEN);

		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getHeaders().get("Authorization")).isNull();
		assertThat(form(request)).containsEntry("client_id", "a b:c")
			.containsEntry("client_secret", "p%ss:w&rd")
			.containsEntry("token", TOKEN);
	}

	@Test
	void introspectWhenActiveThenTimeClaimsAreInstants() {
		enqueueJson("{\"active\":true,\"exp\":1700000300,\"iat\":1700000000,\"nbf\":1700000001,\"sub\":\"alice\"}");

		IntrospectedToken token = client(BASIC, "access_token").introspect(TOKEN);

		assertThat(token.isActive()).isTrue();
		assertThat(token.getClaims()).containsEntry("exp", Instant.ofEpochSecond(1700000300))
			.containsEntry("iat", Instant.ofEpochSecond(1700000000))
			.containsEntry("nbf", Instant.ofEpochSecond(1700000001))
			.containsEntry("sub", "alice");
		assertThat(token.expiresAt()).isEqualTo(Instant.ofEpochSecond(1700000300));
	}

	@Test
	void introspectWhenScopeIsSpaceDelimitedStringThenList() {
		enqueueJson("{\"active\":true,\"scope\":\"read  write\"}");

		assertThat(client(BASIC, "access_token").introspect(TOKEN).getClaims()).containsEntry("scope",
				List.of("read", "write"));
	}

	@Test
	void introspectWhenScopeIsArrayThenList() {
		enqueueJson("{\"active\":true,\"scope\":[\"read\",\"write\"]}");

		assertThat(client(BASIC, "access_token").introspect(TOKEN).getClaims()).containsEntry("scope",
				List.of("read", "write"));
	}

	@Test
	void introspectWhenAudIsStringThenSingleElementList() {
		enqueueJson("{\"active\":true,\"aud\":\"notes api\"}");

		assertThat(client(BASIC, "access_token").introspect(TOKEN).getClaims()).containsEntry("aud",
				List.of("notes api"));
	}

	@Test
	void introspectWhenAudIsArrayThenList() {
		enqueueJson("{\"active\":true,\"aud\":[\"a\",\"b\"]}");

		assertThat(client(BASIC, "access_token").introspect(TOKEN).getClaims()).containsEntry("aud", List.of("a", "b"));
	}

	@Test
	void introspectWhenNestedObjectsThenPreservedAsMapsAndLists() {
		enqueueJson("{\"active\":true,\"realm_access\":{\"roles\":[\"admin\",\"user\"]},\"n\":42}");

		Map<String, Object> claims = client(BASIC, "access_token").introspect(TOKEN).getClaims();

		assertThat(claims.get("realm_access")).isInstanceOf(Map.class);
		assertThat(((Map<?, ?>) claims.get("realm_access")).get("roles")).isEqualTo(List.of("admin", "user"));
		assertThat(claims.get("n")).isEqualTo(42);
	}

	@Test
	void introspectWhenClaimIsJsonNullThenClaimIsAbsentAndTokenStillActive() {
		enqueueJson("{\"active\":true,\"sub\":\"alice\",\"username\":null}");

		IntrospectedToken token = client(BASIC, "access_token").introspect(TOKEN);

		assertThat(token.isActive()).isTrue();
		assertThat(token.getClaims()).containsEntry("sub", "alice").doesNotContainKey("username");
	}

	@ParameterizedTest
	@ValueSource(strings = { "{\"active\":\"true\",\"sub\":\"alice\"}", "{\"active\":1,\"sub\":\"alice\"}",
			"{\"sub\":\"alice\",\"exp\":4102444800}", "{\"active\":false,\"sub\":\"alice\"}",
			"{\"active\":null,\"sub\":\"alice\"}" })
	void introspectWhenActiveIsNotJsonTrueThenInactive(String body) {
		enqueueJson(body);

		IntrospectedToken token = client(BASIC, "access_token").introspect(TOKEN);

		assertThat(token.isActive()).isFalse();
		assertThat(token.getClaims()).isEmpty();
	}

	static Stream<Arguments> faultyResponses() {
		String active = "{\"active\":true,\"sub\":\"alice\"}";
		String large = "{\"active\":true,\"padding\":\"" + "x".repeat(RestClientIntrospectionClient.MAX_RESPONSE_BYTES)
				+ "\"}";
		return Stream.of(Arguments.of("HTTP 500", json(500, active)), Arguments.of("HTTP 400", json(400, active)),
				Arguments.of("HTTP 401", json(401, active)),
				Arguments.of("HTTP 400 with an OAuth error body", json(400, "{\"error\":\"invalid_client\"}")),
				Arguments.of("non-JSON body", json(200, "active=true")),
				Arguments.of("JSON array body", json(200, "[" + active + "]")),
				Arguments.of("duplicate key", json(200, "{\"active\":true,\"active\":false}")),
				Arguments.of("exp as string", json(200, "{\"active\":true,\"exp\":\"123\"}")),
				Arguments.of("exp as null", json(200, "{\"active\":true,\"exp\":null}")),
				Arguments.of("scope array with a number", json(200, "{\"active\":true,\"scope\":[\"read\",7]}")),
				Arguments.of("aud as object", json(200, "{\"active\":true,\"aud\":{\"a\":1}}")),
				Arguments.of("iss as number", json(200, "{\"active\":true,\"iss\":1}")),
				Arguments.of("content type text/html",
						new MockResponse.Builder().code(200)
							.addHeader("Content-Type", "text/html")
							.body(active)
							.build()),
				Arguments.of("body larger than 64 KiB", json(200, large)));
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("faultyResponses")
	void introspectWhenServerAnswersFaultThenIntrospectionExceptionWithoutToken(String description,
			MockResponse response) {
		this.server.enqueue(response);

		Throwable thrown = catchThrowable(() -> client(BASIC, "access_token").introspect(TOKEN));

		assertServerFault(thrown);
	}

	@Test
	void introspectWhenBodyIsExactly64KiBThenAccepted() {
		String prefix = "{\"active\":true,\"padding\":\"";
		String suffix = "\"}";
		String body = prefix
				+ "x".repeat(RestClientIntrospectionClient.MAX_RESPONSE_BYTES - prefix.length() - suffix.length())
				+ suffix;
		enqueueJson(body);

		assertThat(client(BASIC, "access_token").introspect(TOKEN).isActive()).isTrue();
	}

	@Test
	void introspectWhenConnectionRefusedThenIntrospectionExceptionWithoutToken() {
		URI uri = this.server.url("/introspect").uri();
		this.server.close();
		RestClientIntrospectionClient client = client(uri, BASIC, "access_token", Duration.ofSeconds(5));

		assertServerFault(catchThrowable(() -> client.introspect(TOKEN)));
	}

	@Test
	void introspectWhenResponseSlowerThanReadTimeoutThenIntrospectionExceptionWithoutToken() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "application/json")
			.body("{\"active\":true}")
			.headersDelay(10, TimeUnit.SECONDS)
			.build());
		RestClientIntrospectionClient client = client(this.server.url("/introspect").uri(), BASIC, "access_token",
				Duration.ofMillis(200));

		assertServerFault(catchThrowable(() -> client.introspect(TOKEN)));
	}

	@Test
	void requestCountWhenIntrospectingThenCountsEveryRequestIncludingFailures() {
		enqueueJson("{\"active\":true}");
		enqueueJson("{\"active\":false}");
		this.server.enqueue(json(500, "{}"));
		RestClientIntrospectionClient client = client(BASIC, "access_token");
		assertThat(client.requestCount()).isZero();

		client.introspect(TOKEN);
		client.introspect(TOKEN);
		catchThrowable(() -> client.introspect(TOKEN));

		assertThat(client.requestCount()).isEqualTo(3);
		assertThat(this.server.getRequestCount()).isEqualTo(3);
	}

	@Test
	void clientCredentialsToStringWhenPrintedThenOmitsSecret() {
		assertThat(BASIC.toString()).contains("resource-server").doesNotContain("s3cret");
	}

	private static void assertServerFault(Throwable thrown) {
		assertThat(thrown).isInstanceOf(OAuth2IntrospectionException.class)
			.isNotInstanceOf(BadOpaqueTokenException.class);
		for (Throwable cause = thrown; cause != null; cause = cause.getCause()) {
			assertThat(String.valueOf(cause.getMessage())).doesNotContain(TOKEN);
		}
	}

	private void enqueueJson(String body) {
		this.server.enqueue(json(200, body));
	}

	private static MockResponse json(int code, String body) {
		return new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build();
	}

	private RestClientIntrospectionClient client(ClientAuthentication credentials, String hint) {
		return client(this.server.url("/introspect").uri(), credentials, hint, Duration.ofSeconds(5));
	}

	/** Builds the client the way IntrospectorConfiguration does. */
	private static RestClientIntrospectionClient client(URI uri, ClientAuthentication credentials, String hint,
			Duration readTimeout) {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.connectTimeout(Duration.ofSeconds(2))
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		JdkClientHttpRequestFactory requestFactory = new JdkClientHttpRequestFactory(httpClient);
		requestFactory.setReadTimeout(readTimeout);
		RestClient restClient = RestClient.builder().requestFactory(requestFactory).build();
		return new RestClientIntrospectionClient(restClient, () -> uri, credentials, hint);
	}

	private static Map<String, String> form(RecordedRequest request) {
		Map<String, String> form = new LinkedHashMap<>();
		String body = request.getBody().utf8();
		for (String pair : body.split("&")) {
			String[] parts = pair.split("=", 2);
			String previous = form.put(URLDecoder.decode(parts[0], StandardCharsets.UTF_8),
					URLDecoder.decode(parts.length > 1 ? parts[1] : "", StandardCharsets.UTF_8));
			assertThat(previous).as("parameter %s sent once", parts[0]).isNull();
		}
		return form;
	}

}
