package io.github.tokenintrospection.client.authentication;

import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;

import org.springframework.http.HttpHeaders;
import org.springframework.util.Assert;
import org.springframework.util.MultiValueMap;

/**
 * {@code client_secret_basic} or {@code client_secret_post}. Its {@code toString} leaves
 * the secret out, so the object can show up in logs and debuggers safely.
 */
final class ClientSecretAuthentication implements ClientAuthentication {

	private final String clientId;

	private final String clientSecret;

	private final boolean inBody;

	ClientSecretAuthentication(String clientId, String clientSecret, boolean inBody) {
		Assert.hasText(clientId, "clientId must not be empty");
		Assert.hasText(clientSecret, "clientSecret must not be empty");
		this.clientId = clientId;
		this.clientSecret = clientSecret;
		this.inBody = inBody;
	}

	@Override
	public void authenticate(URI endpoint, HttpHeaders headers, MultiValueMap<String, String> form) {
		if (this.inBody) {
			form.set("client_id", this.clientId);
			form.set("client_secret", this.clientSecret);
		}
		else {
			// RFC 6749 section 2.3.1: form-url-encode both before Base64.
			headers.setBasicAuth(formEncode(this.clientId), formEncode(this.clientSecret), StandardCharsets.UTF_8);
		}
	}

	private static String formEncode(String value) {
		return URLEncoder.encode(value, StandardCharsets.UTF_8);
	}

	@Override
	public String toString() {
		return (this.inBody ? "client_secret_post" : "client_secret_basic") + "[clientId=" + this.clientId + "]";
	}

}
