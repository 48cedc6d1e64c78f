package io.github.tokenintrospection.client.authentication;

import java.net.URI;
import java.security.PrivateKey;
import java.time.Clock;
import java.time.Duration;
import java.util.function.Function;
import java.util.function.Supplier;

import com.nimbusds.jose.JWSAlgorithm;
import io.github.tokenintrospection.internal.client.authentication.ClientCredentialsTokenSource;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * The client authentication methods of RFC 6749, RFC 7523 and RFC 8705, plus a bearer
 * token, as {@link ClientAuthentication}s.
 */
public final class ClientAuthentications {

	private ClientAuthentications() {
	}

	/**
	 * {@code client_secret_basic}: HTTP Basic with the id and secret form-url-encoded
	 * first, as RFC 6749 section 2.3.1 requires.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return the client authentication
	 */
	public static ClientAuthentication clientSecretBasic(String clientId, String clientSecret) {
		return new ClientSecretAuthentication(clientId, clientSecret, false);
	}

	/**
	 * {@code client_secret_post}: {@code client_id} and {@code client_secret} form
	 * parameters.
	 * @param clientId the client id
	 * @param clientSecret the client secret
	 * @return the client authentication
	 */
	public static ClientAuthentication clientSecretPost(String clientId, String clientSecret) {
		return new ClientSecretAuthentication(clientId, clientSecret, true);
	}

	/**
	 * {@code client_secret_jwt} (RFC 7523): a client assertion signed with HS256 and the
	 * client secret.
	 * @param clientId the client id
	 * @param clientSecret the client secret, at least 32 bytes long (HS256 key size)
	 * @param audience gives the assertion's {@code aud} for the endpoint being called
	 * @param lifetime how long each assertion is valid
	 * @param clock the clock for {@code iat} and {@code exp}
	 * @return the client authentication
	 */
	public static ClientAuthentication clientSecretJwt(String clientId, String clientSecret,
			Function<URI, String> audience, Duration lifetime, Clock clock) {
		return new JwtClientAssertion(clientId, JwtClientAssertion.macSigner(clientSecret), JWSAlgorithm.HS256, null,
				audience, lifetime, clock);
	}

	/**
	 * {@code private_key_jwt} (RFC 7523): a client assertion signed with the client's
	 * private key, RS256 for an RSA key and ES256 for an EC (P-256) key.
	 * @param clientId the client id
	 * @param privateKey the RSA or EC private key
	 * @param keyId the {@code kid} header, or {@code null}
	 * @param audience gives the assertion's {@code aud} for the endpoint being called
	 * @param lifetime how long each assertion is valid
	 * @param clock the clock for {@code iat} and {@code exp}
	 * @return the client authentication
	 */
	public static ClientAuthentication privateKeyJwt(String clientId, PrivateKey privateKey, @Nullable String keyId,
			Function<URI, String> audience, Duration lifetime, Clock clock) {
		return new JwtClientAssertion(clientId, JwtClientAssertion.signer(privateKey),
				JwtClientAssertion.algorithm(privateKey), keyId, audience, lifetime, clock);
	}

	/**
	 * {@code tls_client_auth} (RFC 8705): the client certificate of the TLS connection
	 * authenticates the client; the request only names it.
	 * @param clientId the client id
	 * @return the client authentication
	 */
	public static ClientAuthentication tlsClientAuth(String clientId) {
		Assert.hasText(clientId, "clientId must not be empty");
		return (endpoint, headers, form) -> form.set("client_id", clientId);
	}

	/**
	 * {@code Authorization: Bearer} with a token from the given source, for servers that
	 * protect introspection with an access token of the resource server's own.
	 * @param token supplies the current token, for example a
	 * {@link ClientCredentialsTokenSource}
	 * @return the client authentication
	 */
	public static ClientAuthentication bearer(Supplier<String> token) {
		Assert.notNull(token, "token must not be null");
		return (endpoint, headers, form) -> headers.setBearerAuth(token.get());
	}

}
