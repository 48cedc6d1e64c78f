package io.github.tokenintrospection.internal.discovery;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.util.List;

import io.github.tokenintrospection.internal.client.HttpsRequirement;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import mockwebserver3.RecordedRequest;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.JdkClientHttpRequestFactory;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class AuthorizationServerMetadataResolverTests {

	private static final String RFC8414_PATH = "/.well-known/oauth-authorization-server/realms/a";

	private static final String OIDC_PATH = "/realms/a/.well-known/openid-configuration";

	private final MockWebServer server = new MockWebServer();

	private String issuer;

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
		this.issuer = this.server.url("/realms/a").toString();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void constructorWhenCalledThenSendsNoRequest() {
		resolver("client_secret_basic");

		assertThat(this.server.getRequestCount()).isZero();
	}

	@Test
	void getWhenRfc8414MetadataPublishedThenFetchedWithWellKnownInsertedBeforeIssuerPath() throws Exception {
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));

		AuthorizationServerMetadata metadata = resolver("client_secret_basic").get();

		RecordedRequest request = this.server.takeRequest();
		assertThat(request.getMethod()).isEqualTo("GET");
		assertThat(request.getTarget()).isEqualTo(RFC8414_PATH);
		assertThat(metadata.issuer()).isEqualTo(this.issuer);
		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create(this.issuer + "/introspect"));
		assertThat(metadata.tokenEndpoint()).isEqualTo(URI.create(this.issuer + "/token"));
		assertThat(metadata.introspectionEndpointAuthMethods()).isEmpty();
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getWhenRfc8414MetadataNotFoundThenFallsBackToOpenIdConfigurationUnderIssuer() throws Exception {
		enqueueJson(404, "{}");
		enqueueJson(200, metadata(this.issuer, this.issuer + "/protocol/openid-connect/token/introspect", null));

		AuthorizationServerMetadata metadata = resolver("client_secret_basic").get();

		assertThat(this.server.takeRequest().getTarget()).isEqualTo(RFC8414_PATH);
		RecordedRequest second = this.server.takeRequest();
		assertThat(second.getMethod()).isEqualTo("GET");
		assertThat(second.getTarget()).isEqualTo(OIDC_PATH);
		assertThat(metadata.introspectionEndpoint())
			.isEqualTo(URI.create(this.issuer + "/protocol/openid-connect/token/introspect"));
	}

	@Test
	void getWhenIssuerHasTrailingSlashThenWellKnownPathsHaveNoDoubleSlash() throws Exception {
		String issuer = this.issuer + "/";
		enqueueJson(404, "{}");
		enqueueJson(200, metadata(issuer, this.issuer + "/introspect", null));

		new AuthorizationServerMetadataResolver(restClient(), URI.create(issuer), null, new HttpsRequirement(false))
			.get();

		assertThat(this.server.takeRequest().getTarget()).isEqualTo(RFC8414_PATH);
		assertThat(this.server.takeRequest().getTarget()).isEqualTo(OIDC_PATH);
	}

	@Test
	void getWhenIssuerHasNoPathThenWellKnownLocationsAtRoot() throws Exception {
		String issuer = "http://" + this.server.getHostName() + ":" + this.server.getPort();
		enqueueJson(404, "{}");
		enqueueJson(200, metadata(issuer, issuer + "/introspect", null));

		AuthorizationServerMetadata metadata = new AuthorizationServerMetadataResolver(restClient(), URI.create(issuer),
				null, new HttpsRequirement(false))
			.get();

		assertThat(this.server.takeRequest().getTarget()).isEqualTo("/.well-known/oauth-authorization-server");
		assertThat(this.server.takeRequest().getTarget()).isEqualTo("/.well-known/openid-configuration");
		assertThat(metadata.issuer()).isEqualTo(issuer);
	}

	@Test
	void getWhenCalledTwiceThenMetadataFetchedOnce() {
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));
		enqueueJson(200, metadata(this.issuer, this.issuer + "/other", null));
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		AuthorizationServerMetadata first = resolver.get();
		AuthorizationServerMetadata second = resolver.get();

		assertThat(second).isSameAs(first);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getWhenBothLocationsFailThenIntrospectionExceptionAndNextCallFetchesAgain() throws Exception {
		enqueueJson(500, "{}");
		enqueueJson(500, "{}");
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get)
			.withMessageContaining(this.issuer);
		AuthorizationServerMetadata metadata = resolver.get();

		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create(this.issuer + "/introspect"));
		assertThat(this.server.getRequestCount()).isEqualTo(3);
		assertThat(this.server.takeRequest().getTarget()).isEqualTo(RFC8414_PATH);
		assertThat(this.server.takeRequest().getTarget()).isEqualTo(OIDC_PATH);
		assertThat(this.server.takeRequest().getTarget()).isEqualTo(RFC8414_PATH);
	}

	@Test
	void getWhenDocumentNotJsonThenFallsBackToOpenIdConfiguration() {
		this.server.enqueue(new MockResponse.Builder().code(200)
			.addHeader("Content-Type", "text/html")
			.body("<html>single page app</html>")
			.build());
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));

		AuthorizationServerMetadata metadata = resolver("client_secret_basic").get();

		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create(this.issuer + "/introspect"));
		assertThat(this.server.getRequestCount()).isEqualTo(2);
	}

	@Test
	void getWhenDocumentNamesAnotherIssuerThenRefusedNamingBoth() {
		enqueueJson(200, metadata("https://evil.example/realms/a", this.issuer + "/introspect", null));
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get)
			.withMessageContaining("https://evil.example/realms/a")
			.withMessageContaining(this.issuer);
	}

	@Test
	void getWhenConfiguredMethodNotSupportedByIntrospectionEndpointThenRefusedNamingMethods() {
		enqueueJson(200,
				metadata(this.issuer, this.issuer + "/introspect", List.of("client_secret_basic", "private_key_jwt")));
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_post");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get)
			.withMessageContaining("client_secret_post")
			.withMessageContaining("client_secret_basic")
			.withMessageContaining("private_key_jwt");
	}

	@Test
	void getWhenConfiguredMethodSupportedThenMethodsKept() {
		enqueueJson(200,
				metadata(this.issuer, this.issuer + "/introspect", List.of("client_secret_basic", "private_key_jwt")));

		AuthorizationServerMetadata metadata = resolver("private_key_jwt").get();

		assertThat(metadata.introspectionEndpointAuthMethods()).containsExactly("client_secret_basic",
				"private_key_jwt");
	}

	@Test
	void getWhenMetadataNamesJwksUriThenKept() {
		String document = metadata(this.issuer, this.issuer + "/introspect", null);
		enqueueJson(200, document.substring(0, document.length() - 1) + ",\"jwks_uri\":\"" + this.issuer + "/certs\"}");

		AuthorizationServerMetadata metadata = resolver("client_secret_basic").get();

		assertThat(metadata.jwksUri()).isEqualTo(URI.create(this.issuer + "/certs"));
	}

	@Test
	void getWhenMetadataHasNoJwksUriThenNull() {
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));

		assertThat(resolver("client_secret_basic").get().jwksUri()).isNull();
	}

	@Test
	void getWhenJwksUriIsPlainHttpOnAnotherHostThenRefused() {
		String document = metadata(this.issuer, this.issuer + "/introspect", null);
		enqueueJson(200, document.substring(0, document.length() - 1) + ",\"jwks_uri\":\"http://keys.example/certs\"}");

		assertThatExceptionOfType(OAuth2IntrospectionException.class)
			.isThrownBy(() -> resolver("client_secret_basic").get())
			.withMessageContaining("jwks_uri");
	}

	@Test
	void getWhenServerDoesNotListMethodsThenMethodCheckSkipped() {
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));

		AuthorizationServerMetadata metadata = resolver("tls_client_auth").get();

		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create(this.issuer + "/introspect"));
	}

	@Test
	void getWhenNoConfiguredMethodNameThenMethodCheckSkipped() {
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", List.of("client_secret_basic")));

		AuthorizationServerMetadata metadata = resolver(null).get();

		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create(this.issuer + "/introspect"));
	}

	@Test
	void getWhenDiscoveredIntrospectionEndpointIsPlainHttpToRemoteHostThenRefused() {
		enqueueJson(200, metadata(this.issuer, "http://idp.example/realms/a/introspect", null));
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get)
			.withMessageContaining("introspection_endpoint")
			.withMessageContaining("token-introspection.allow-insecure-http");
	}

	@Test
	void getWhenDiscoveredTokenEndpointIsPlainHttpToRemoteHostThenRefused() {
		enqueueJson(200, "{\"issuer\":\"" + this.issuer + "\",\"introspection_endpoint\":\"" + this.issuer
				+ "/introspect\",\"token_endpoint\":\"http://idp.example/token\"}");
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get)
			.withMessageContaining("token_endpoint");
	}

	@Test
	void getWhenInsecureHttpAllowedThenPlainHttpEndpointAccepted() {
		enqueueJson(200, metadata(this.issuer, "http://idp.example/realms/a/introspect", null));

		AuthorizationServerMetadata metadata = new AuthorizationServerMetadataResolver(restClient(),
				URI.create(this.issuer), "client_secret_basic", new HttpsRequirement(true))
			.get();

		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create("http://idp.example/realms/a/introspect"));
	}

	@Test
	void getWhenNoIntrospectionEndpointThenError() {
		enqueueJson(200, "{\"issuer\":\"" + this.issuer + "\",\"token_endpoint\":\"" + this.issuer + "/token\"}");
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get)
			.withMessageContaining("introspection_endpoint");
	}

	@Test
	void getWhenRefusedDocumentThenNotCachedAndNextCallFetchesAgain() {
		enqueueJson(200, metadata(this.issuer, "http://idp.example/realms/a/introspect", null));
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");

		assertThatExceptionOfType(OAuth2IntrospectionException.class).isThrownBy(resolver::get);
		AuthorizationServerMetadata metadata = resolver.get();

		assertThat(metadata.introspectionEndpoint()).isEqualTo(URI.create(this.issuer + "/introspect"));
	}

	@Test
	void getWhenJwksUriPublishedThenKeptAndResolvedWithoutAnotherRequest() {
		String document = metadata(this.issuer, this.issuer + "/introspect", null);
		enqueueJson(200, document.substring(0, document.length() - 1) + ",\"jwks_uri\":\"" + this.issuer + "/jwks\"}");
		AuthorizationServerMetadataResolver resolver = resolver("client_secret_basic");
		assertThat(resolver.resolved()).isNull();

		AuthorizationServerMetadata metadata = resolver.get();

		assertThat(metadata.jwksUri()).isEqualTo(URI.create(this.issuer + "/jwks"));
		assertThat(resolver.resolved()).isSameAs(metadata);
		assertThat(this.server.getRequestCount()).isEqualTo(1);
	}

	@Test
	void getWhenJwksUriAbsentThenNull() {
		enqueueJson(200, metadata(this.issuer, this.issuer + "/introspect", null));

		assertThat(resolver("client_secret_basic").get().jwksUri()).isNull();
	}

	private AuthorizationServerMetadataResolver resolver(String clientAuthenticationMethod) {
		return new AuthorizationServerMetadataResolver(restClient(), URI.create(this.issuer),
				clientAuthenticationMethod, new HttpsRequirement(false));
	}

	private static RestClient restClient() {
		HttpClient httpClient = HttpClient.newBuilder()
			.version(HttpClient.Version.HTTP_1_1)
			.followRedirects(HttpClient.Redirect.NEVER)
			.build();
		return RestClient.builder().requestFactory(new JdkClientHttpRequestFactory(httpClient)).build();
	}

	private String metadata(String issuer, String introspectionEndpoint, List<String> authMethods) {
		StringBuilder json = new StringBuilder("{\"issuer\":\"").append(issuer)
			.append("\",\"token_endpoint\":\"")
			.append(this.issuer)
			.append("/token\",\"introspection_endpoint\":\"")
			.append(introspectionEndpoint)
			.append('"');
		if (authMethods != null) {
			json.append(",\"introspection_endpoint_auth_methods_supported\":[");
			json.append(String.join(",", authMethods.stream().map((method) -> "\"" + method + "\"").toList()));
			json.append(']');
		}
		return json.append('}').toString();
	}

	private void enqueueJson(int code, String body) {
		this.server.enqueue(
				new MockResponse.Builder().code(code).addHeader("Content-Type", "application/json").body(body).build());
	}

}
