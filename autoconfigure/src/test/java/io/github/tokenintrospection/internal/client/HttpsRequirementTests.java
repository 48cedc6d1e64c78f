package io.github.tokenintrospection.internal.client;

import java.net.URI;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatNoException;

class HttpsRequirementTests {

	private final HttpsRequirement requirement = new HttpsRequirement(false);

	@ParameterizedTest
	@ValueSource(strings = { "https://idp.example/introspect", "HTTPS://IDP.EXAMPLE/introspect",
			"https://10.0.0.7:8443/introspect" })
	void checkWhenHttpsThenAccepted(String uri) {
		assertThatNoException().isThrownBy(() -> this.requirement.check(URI.create(uri)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://localhost/introspect", "http://LocalHost:8080/introspect",
			"http://127.0.0.1:8080/introspect", "http://127.8.9.10/introspect", "http://[::1]:8080/introspect" })
	void checkWhenPlainHttpToLoopbackThenAccepted(String uri) {
		assertThatNoException().isThrownBy(() -> this.requirement.check(URI.create(uri)));
	}

	@ParameterizedTest
	@ValueSource(strings = { "http://idp.example/introspect", "http://10.0.0.7/introspect",
			"http://[2001:db8::1]/introspect", "http://localhost.evil.example/introspect",
			"http://127.0.0.1.nip.io/introspect" })
	void checkWhenPlainHttpToOtherHostThenRefusedNamingTheProperty(String uri) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.requirement.check(URI.create(uri)))
			.withMessageContaining("token-introspection.allow-insecure-http");
	}

	@Test
	void checkWhenInsecureHttpAllowedThenPlainHttpToAnyHostAccepted() {
		HttpsRequirement allowing = new HttpsRequirement(true);

		assertThatNoException().isThrownBy(() -> allowing.check(URI.create("http://idp.example/introspect")));
	}

	@ParameterizedTest
	@ValueSource(strings = { "ftp://idp.example/introspect", "/introspect", "introspect", "idp.example/introspect",
			"file:///etc/passwd", "https:/introspect" })
	void checkWhenNotAbsoluteHttpUriThenRefused(String uri) {
		assertThatIllegalArgumentException().isThrownBy(() -> this.requirement.check(URI.create(uri)))
			.withMessageContaining("absolute http or https URI");
	}

	@Test
	void checkWhenNotAbsoluteHttpUriAndInsecureHttpAllowedThenStillRefused() {
		HttpsRequirement allowing = new HttpsRequirement(true);

		assertThatIllegalArgumentException()
			.isThrownBy(() -> allowing.check(URI.create("ftp://idp.example/introspect")));
	}

}
