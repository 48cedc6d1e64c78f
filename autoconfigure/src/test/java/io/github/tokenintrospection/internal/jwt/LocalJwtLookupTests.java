package io.github.tokenintrospection.internal.jwt;

import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.github.benmanes.caffeine.cache.Ticker;
import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * The blocking local JWT stage with background revalidation: a locally accepted token is
 * introspected on another thread without the request waiting, once per period; once the
 * server says it is inactive, the token goes to the introspecting lookup (which refuses
 * it); a revalidation that cannot start is claimed again by the next use.
 */
class LocalJwtLookupTests {

	private final TestIssuer issuer = new TestIssuer();

	private final ExecutorService background = Executors.newSingleThreadExecutor();

	private final AtomicInteger introspections = new AtomicInteger();

	private final CountDownLatch serverAnswers = new CountDownLatch(1);

	/** The server's answer, given only once the test opens the latch. */
	private volatile IntrospectedToken answer = IntrospectedToken.inactive();

	private final TokenLookup introspecting = (token) -> {
		this.introspections.incrementAndGet();
		try {
			this.serverAnswers.await(10, TimeUnit.SECONDS);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		return new Lookup(this.answer, CacheStatus.MISS, "fingerprint");
	};

	@AfterEach
	void stop() {
		this.background.shutdownNow();
		this.issuer.close();
	}

	@Test
	void lookupWhenRevalidatingThenAcceptedLocallyWithoutWaitingForTheServer() {
		LocalJwtLookup lookup = new LocalJwtLookup(this.introspecting, router(Duration.ofHours(1)), () -> "/notes",
				this.background);
		String token = this.issuer.accessToken();

		// The server has not answered yet: the request does not wait for it.
		Lookup first = lookup.lookup(token);
		Lookup second = lookup.lookup(token);

		assertThat(first.path()).isEqualTo(Path.LOCAL);
		assertThat(second.path()).isEqualTo(Path.LOCAL);
		await().untilAsserted(() -> assertThat(this.introspections).hasValue(1));
	}

	@Test
	void lookupWhenServerSaidInactiveThenIntrospectedInstead() {
		LocalJwtLookup lookup = new LocalJwtLookup(this.introspecting, router(Duration.ofHours(1)), () -> "/notes",
				this.background);
		String token = this.issuer.accessToken();
		assertThat(lookup.lookup(token).path()).isEqualTo(Path.LOCAL);

		this.serverAnswers.countDown();

		await().untilAsserted(() -> assertThat(lookup.lookup(token).path()).isEqualTo(Path.INTROSPECTION));
		Lookup refused = lookup.lookup(token);
		assertThat(refused.token().isActive()).isFalse();
	}

	@Test
	void lookupWhenServerSaidActiveThenStillLocalAndNotAskedAgainThisPeriod() {
		this.answer = IntrospectedToken.active(TestIssuer.accessTokenClaims());
		this.serverAnswers.countDown();
		LocalJwtLookup lookup = new LocalJwtLookup(this.introspecting, router(Duration.ofHours(1)), () -> "/notes",
				this.background);
		String token = this.issuer.accessToken();

		lookup.lookup(token);
		await().untilAsserted(() -> assertThat(this.introspections).hasValue(1));
		for (int i = 0; i < 5; i++) {
			assertThat(lookup.lookup(token).path()).isEqualTo(Path.LOCAL);
		}

		assertThat(this.introspections).hasValue(1);
	}

	@Test
	void lookupWhenBackgroundRefusesWorkThenNextUseClaimsAgain() {
		AtomicInteger attempts = new AtomicInteger();
		LocalJwtLookup lookup = new LocalJwtLookup(this.introspecting, router(Duration.ofHours(1)), () -> "/notes",
				(task) -> {
					attempts.incrementAndGet();
					throw new RejectedExecutionException("busy");
				});
		String token = this.issuer.accessToken();

		assertThat(lookup.lookup(token).path()).isEqualTo(Path.LOCAL);
		assertThat(lookup.lookup(token).path()).isEqualTo(Path.LOCAL);

		assertThat(attempts).hasValue(2);
		assertThat(this.introspections).hasValue(0);
	}

	@Test
	void lookupWhenRevalidationOffThenNeverIntrospected() throws InterruptedException {
		LocalJwtLookup lookup = new LocalJwtLookup(this.introspecting, router(null), () -> "/notes", this.background);

		assertThat(lookup.lookup(this.issuer.accessToken()).path()).isEqualTo(Path.LOCAL);

		this.background.shutdown();
		assertThat(this.background.awaitTermination(5, TimeUnit.SECONDS)).isTrue();
		assertThat(this.introspections).hasValue(0);
	}

	private LocalJwtRouter router(Duration revalidateAfter) {
		return new LocalJwtRouter(
				new LocalJwtRouter.Settings(TestIssuer.ISSUER, List.of("RS256"), List.of("JWT"), List.of(), List.of()),
				this.issuer.keys(), null, (revalidateAfter != null)
						? new Revalidation(revalidateAfter, 100, Clock.systemUTC(), Ticker.systemTicker()) : null);
	}

}
