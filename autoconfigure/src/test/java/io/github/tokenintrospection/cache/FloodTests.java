package io.github.tokenintrospection.cache;

import java.net.URI;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.client.authentication.ClientAuthentications;
import io.github.tokenintrospection.internal.cache.CachingIntrospectionClient;
import io.github.tokenintrospection.internal.cache.CaffeineEntries;
import io.github.tokenintrospection.internal.cache.IntrospectionCaches;
import io.github.tokenintrospection.internal.cache.TokenCache;
import io.github.tokenintrospection.internal.introspector.TokenSyntaxGuard;
import io.github.tokenintrospection.testsupport.LoopbackIntrospectionStub;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.http.client.SimpleClientHttpRequestFactory;
import org.springframework.web.client.RestClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A flood of 200,000 distinct random tokens through the guard, the caches and the HTTP
 * client to a loopback introspection endpoint that calls them inactive, with a revoked
 * token presented again and again in between: the caches stay within their bounds, the
 * valid token's entry survives, the endpoint sees exactly one call per random token, and
 * the revoked token is answered from the negative cache almost every time.
 * <p>
 * The flood is twenty times the negative cache's size. Caffeine's TinyLFU admission then
 * keeps the tokens presented more than once and turns away one-off tokens, which cost one
 * call each: never more, but not fewer either.
 */
class FloodTests {

	private static final int FLOOD = 200_000;

	private static final int WORKERS = 4;

	private static final int MAX_SIZE = 10_000;

	private static final String VALID_TOKEN = "valid-token-of-alice";

	private static final String REVOKED_TOKEN = "revoked-token-of-bob";

	/** Each worker presents the revoked token after this many random ones. */
	private static final int REVOKED_EVERY = 250;

	private final LoopbackIntrospectionStub authorizationServer = new LoopbackIntrospectionStub(VALID_TOKEN::equals);

	private final Map<String, Integer> callsPerToken = this.authorizationServer.callsPerToken();

	@AfterEach
	void stopAuthorizationServer() {
		this.authorizationServer.close();
	}

	@Test
	void introspectWhenFloodOfRandomTokensThenCachesBoundedValidEntryKeptAndOneCallPerToken() throws Exception {
		Clock clock = Clock.systemUTC();
		// A TTL longer than the flood lasts: this is about eviction, not expiry.
		TokenCache activeTokens = IntrospectionCaches.activeTokens(Duration.ofHours(1), MAX_SIZE, clock);
		TokenCache inactiveTokens = IntrospectionCaches.inactiveTokens(Duration.ofSeconds(10), MAX_SIZE);
		IntrospectionClient client = new TokenSyntaxGuard(
				new CachingIntrospectionClient(httpClient(), activeTokens, inactiveTokens, clock), 4096);
		assertThat(client.introspect(VALID_TOKEN).isActive()).isTrue();

		long started = System.nanoTime();
		flood(client);
		long millis = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - started);
		System.out.printf("Flood of %,d tokens took %,d ms%n", FLOOD, millis);

		nativeCache(inactiveTokens).cleanUp();
		nativeCache(activeTokens).cleanUp();
		assertThat(nativeCache(inactiveTokens).estimatedSize()).isLessThanOrEqualTo(MAX_SIZE);
		assertThat(nativeCache(activeTokens).estimatedSize()).isLessThanOrEqualTo(MAX_SIZE);
		// The valid token is still answered from the cache: no second call for it.
		assertThat(client.introspect(VALID_TOKEN).isActive()).isTrue();
		assertThat(this.callsPerToken.get(VALID_TOKEN)).isEqualTo(1);
		// One call per random token, and the revoked token was asked about only a few
		// times.
		int revokedPresentations = FLOOD / REVOKED_EVERY;
		int revokedCalls = this.callsPerToken.remove(REVOKED_TOKEN);
		System.out.printf("Revoked token presented %,d times, introspected %,d times%n", revokedPresentations,
				revokedCalls);
		assertThat(revokedCalls).isLessThan(revokedPresentations / 20);
		assertThat(this.callsPerToken).hasSize(FLOOD + 1);
		assertThat(this.callsPerToken.values()).containsOnly(1);
	}

	private void flood(IntrospectionClient client) throws Exception {
		ExecutorService workers = Executors.newFixedThreadPool(WORKERS);
		try {
			List<Future<Integer>> accepted = new ArrayList<>();
			for (int worker = 0; worker < WORKERS; worker++) {
				SplittableRandom random = new SplittableRandom(worker);
				accepted.add(workers.submit(() -> {
					int active = 0;
					byte[] bytes = new byte[32];
					for (int i = 1; i <= FLOOD / WORKERS; i++) {
						random.nextBytes(bytes);
						String token = Base64.getUrlEncoder().withoutPadding().encodeToString(bytes);
						active += client.introspect(token).isActive() ? 1 : 0;
						if (i % REVOKED_EVERY == 0) {
							active += client.introspect(REVOKED_TOKEN).isActive() ? 1 : 0;
						}
					}
					return active;
				}));
			}
			for (Future<Integer> result : accepted) {
				assertThat(result.get(10, TimeUnit.MINUTES)).as("random tokens accepted").isZero();
			}
		}
		finally {
			workers.shutdownNow();
		}
	}

	private IntrospectionClient httpClient() {
		// HttpURLConnection needs about half the CPU of java.net.http per call, which
		// matters
		// for 200,000 calls on a small CI machine; what is tested here is the caching.
		URI uri = URI.create(this.authorizationServer.url());
		return new RestClientIntrospectionClient(
				RestClient.builder().requestFactory(new SimpleClientHttpRequestFactory()).build(), () -> uri,
				ClientAuthentications.clientSecretBasic("notes-api", "s3cret"), "access_token");
	}

	private static com.github.benmanes.caffeine.cache.Cache<String, Object> nativeCache(TokenCache cache) {
		return CaffeineEntries.of(cache);
	}

}
