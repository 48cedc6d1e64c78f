package io.github.tokenintrospection.internal.client.authentication;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Supplier;

import io.github.tokenintrospection.client.authentication.ClientAuthentication;
import org.jspecify.annotations.Nullable;
import tools.jackson.core.JacksonException;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.HttpHeaders;
import org.springframework.http.MediaType;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;
import org.springframework.util.LinkedMultiValueMap;
import org.springframework.util.MultiValueMap;
import org.springframework.util.StringUtils;
import org.springframework.web.client.RestClient;
import org.springframework.web.client.RestClientException;

/**
 * The resource server's own access token, obtained with the {@code client_credentials}
 * grant and reused until shortly before it expires. Concurrent callers share one token
 * request. A failure is not remembered: the next call tries again.
 */
public final class ClientCredentialsTokenSource implements Supplier<String> {

	/** Lifetime assumed when the token response has no {@code expires_in}. */
	private static final Duration DEFAULT_LIFETIME = Duration.ofMinutes(5);

	private static final Duration MAX_LIFETIME = Duration.ofDays(1);

	private final JsonMapper jsonMapper = JsonMapper.builder().build();

	private final RestClient restClient;

	private final Supplier<URI> tokenUri;

	private final ClientAuthentication clientAuthentication;

	private final @Nullable String scope;

	private final Duration refreshBeforeExpiry;

	private final Clock clock;

	private @Nullable String token;

	private Instant refreshAt = Instant.MIN;

	/**
	 * Creates a token source.
	 * @param restClient the client to call the token endpoint with
	 * @param tokenUri gives the token endpoint (it may be discovered on first use)
	 * @param clientAuthentication how to authenticate at the token endpoint
	 * @param scope the scope to ask for, or {@code null}
	 * @param refreshBeforeExpiry how long before expiry a new token is fetched
	 * @param clock the clock that expiry is measured with
	 */
	public ClientCredentialsTokenSource(RestClient restClient, Supplier<URI> tokenUri,
			ClientAuthentication clientAuthentication, @Nullable String scope, Duration refreshBeforeExpiry,
			Clock clock) {
		Assert.notNull(restClient, "restClient must not be null");
		Assert.notNull(tokenUri, "tokenUri must not be null");
		Assert.notNull(clientAuthentication, "clientAuthentication must not be null");
		Assert.notNull(refreshBeforeExpiry, "refreshBeforeExpiry must not be null");
		Assert.notNull(clock, "clock must not be null");
		this.restClient = restClient;
		this.tokenUri = tokenUri;
		this.clientAuthentication = clientAuthentication;
		this.scope = scope;
		this.refreshBeforeExpiry = refreshBeforeExpiry;
		this.clock = clock;
	}

	@Override
	public synchronized String get() {
		Instant now = this.clock.instant();
		if (this.token == null || !now.isBefore(this.refreshAt)) {
			requestToken(now);
		}
		return this.token;
	}

	private void requestToken(Instant now) {
		URI endpoint = this.tokenUri.get();
		MultiValueMap<String, String> form = new LinkedMultiValueMap<>();
		form.add("grant_type", "client_credentials");
		if (StringUtils.hasText(this.scope)) {
			form.add("scope", this.scope);
		}
		HttpHeaders headers = new HttpHeaders();
		this.clientAuthentication.authenticate(endpoint, headers, form);
		JsonNode response;
		try {
			String body = this.restClient.post()
				.uri(endpoint)
				.headers((requestHeaders) -> requestHeaders.addAll(headers))
				.contentType(MediaType.APPLICATION_FORM_URLENCODED)
				.accept(MediaType.APPLICATION_JSON)
				.body(form)
				.retrieve()
				.body(String.class);
			response = this.jsonMapper.readTree((body != null) ? body : "");
		}
		catch (RestClientException | JacksonException ex) {
			throw new OAuth2IntrospectionException(
					"Could not obtain the resource server's access token from " + endpoint + ": " + ex.getMessage(),
					ex);
		}
		JsonNode accessToken = response.get("access_token");
		if (accessToken == null || !accessToken.isString() || accessToken.stringValue().isEmpty()) {
			throw new OAuth2IntrospectionException("Token response from " + endpoint + " has no access_token");
		}
		Duration lifetime = lifetime(response.get("expires_in"));
		this.token = accessToken.stringValue();
		// A token shorter-lived than the margin is still reused for half its life.
		Duration margin = (lifetime.compareTo(this.refreshBeforeExpiry) > 0) ? this.refreshBeforeExpiry
				: lifetime.dividedBy(2);
		this.refreshAt = now.plus(lifetime).minus(margin);
	}

	/**
	 * The token's lifetime from {@code expires_in}: a positive whole number of seconds up
	 * to {@link #MAX_LIFETIME}. Anything else (absent, not a number, zero or negative,
	 * beyond a {@code long}) counts as unknown; a longer lifetime is capped, which only
	 * makes the token be fetched again sooner.
	 */
	private static Duration lifetime(JsonNode expiresIn) {
		if (expiresIn == null || !expiresIn.isIntegralNumber() || !expiresIn.canConvertToLong()) {
			return DEFAULT_LIFETIME;
		}
		long seconds = expiresIn.longValue();
		if (seconds <= 0) {
			return DEFAULT_LIFETIME;
		}
		return Duration.ofSeconds(Math.min(seconds, MAX_LIFETIME.toSeconds()));
	}

}
