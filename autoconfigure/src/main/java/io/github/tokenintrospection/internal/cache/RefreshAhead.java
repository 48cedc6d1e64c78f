package io.github.tokenintrospection.internal.cache;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.Set;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.function.BooleanSupplier;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.github.tokenintrospection.IntrospectedToken;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

import org.springframework.util.Assert;

/**
 * Refresh-ahead: an active answer used after a fraction of its lifetime is introspected
 * again in the background, while requests go on being served from it, so that under
 * steady traffic no request waits for the authorization server when an entry would have
 * expired. The rules, the same for both stacks (the lookups run the call):
 * <ul>
 * <li>only an answer that is used is refreshed: the use triggers it, so an idle token
 * just expires;</li>
 * <li>once per key at a time (single flight), after {@code fraction} of the answer's
 * lifetime ({@code min(ttl, exp - obtained)}), less a jitter of up to {@code jitter} of
 * it per key, so that answers obtained together are not refreshed together;</li>
 * <li>never at or past the token's {@code exp};</li>
 * <li>not while the circuit breaker is open, and at most {@code maxPerSecond} refreshes
 * per second (a cache full of hot tokens cannot flood the server);</li>
 * <li>an active answer replaces the entry (written through to Redis with the shared
 * cache); an inactive one evicts it at once, so a refresh doubles as a revocation check;
 * a failure keeps the entry until its normal end.</li>
 * </ul>
 * The {@link Listener} is told of each outcome and each answer served (the meters).
 */
public final class RefreshAhead {

	private static final Log logger = LogFactory.getLog(RefreshAhead.class);

	private final double fraction;

	private final double jitter;

	private final Duration ttl;

	private final RefreshBudget budget;

	private final BooleanSupplier callsPermitted;

	private final Clock clock;

	/** When each cached answer was obtained, as far as this instance knows. */
	private final Cache<String, Instant> obtained;

	private final Set<String> inFlight = ConcurrentHashMap.newKeySet();

	private final Executor executor;

	private final Listener listener;

	/**
	 * Creates the rules.
	 * @param fraction of an answer's lifetime after which a use refreshes it (0 to 1,
	 * exclusive)
	 * @param jitter the most that is taken off the fraction, per key (0 to fraction)
	 * @param maxPerSecond the most refreshes started per second
	 * @param ttl the cache's TTL: the longest lifetime of an answer
	 * @param maxSize the most answers remembered (the cache's size)
	 * @param callsPermitted whether the authorization server may be called now (the
	 * circuit breaker is not open)
	 * @param listener told of every refresh and answer served (the meters)
	 * @param clock the wall clock
	 */
	public RefreshAhead(double fraction, double jitter, int maxPerSecond, Duration ttl, long maxSize,
			BooleanSupplier callsPermitted, Listener listener, Clock clock) {
		Assert.isTrue(fraction > 0 && fraction < 1, "fraction must be between 0 and 1");
		Assert.isTrue(jitter >= 0 && jitter < fraction, "jitter must be at least 0 and below the fraction");
		Assert.isTrue(maxPerSecond > 0, "maxPerSecond must be positive");
		this.fraction = fraction;
		this.jitter = jitter;
		this.ttl = ttl;
		this.budget = new RefreshBudget(maxPerSecond, clock);
		this.callsPermitted = callsPermitted;
		this.listener = listener;
		this.clock = clock;
		ThreadPoolExecutor threads = new ThreadPoolExecutor(2, 2, 30, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(Math.min(maxPerSecond, 1_000)), (task) -> {
					Thread thread = new Thread(task, "token-introspection-refresh");
					thread.setDaemon(true);
					return thread;
				});
		threads.allowCoreThreadTimeOut(true);
		this.executor = threads;
		this.obtained = Caffeine.newBuilder()
			.maximumSize(maxSize)
			.expireAfterWrite(ttl.toNanos(), TimeUnit.NANOSECONDS)
			.build();
	}

	/**
	 * Runs the refreshes of the blocking stack: at most two threads, made when needed and
	 * ended when idle, and a queue no longer than one second's budget (a refresh that
	 * does not fit is dropped and counted as failed; its entry lives on).
	 * @return the executor
	 */
	Executor executor() {
		return this.executor;
	}

	/**
	 * Records that an answer was just obtained from the authorization server.
	 * @param key the token's SHA-256
	 */
	void obtained(String key) {
		this.obtained.put(key, this.clock.instant());
	}

	/**
	 * Decides whether an answer served from the cache is to be refreshed now; when it is,
	 * the caller holds the key's single flight and must end it with {@link #refreshed} or
	 * {@link #failed}.
	 * @param key the token's SHA-256
	 * @param answer the cached answer, active
	 * @return whether to start a refresh
	 */
	boolean due(String key, IntrospectedToken answer) {
		Instant now = this.clock.instant();
		// An answer read from Redis, or cached before this instance counted: from now.
		Instant obtainedAt = this.obtained.get(key, (ignored) -> now);
		// A refresh finishing meanwhile may have stamped the entry after this 'now'.
		Duration age = Duration.between(obtainedAt, now);
		tell(() -> this.listener.served(age.isNegative() ? Duration.ZERO : age));
		Instant exp = answer.expiresAt();
		if (exp != null && !now.isBefore(exp)) {
			return false;
		}
		Duration lifetime = (exp != null && Duration.between(obtainedAt, exp).compareTo(this.ttl) < 0)
				? Duration.between(obtainedAt, exp) : this.ttl;
		double share = this.fraction - this.jitter * spread(key);
		if (now.isBefore(obtainedAt.plusNanos((long) (lifetime.toNanos() * share)))) {
			return false;
		}
		if (!this.inFlight.add(key)) {
			return false;
		}
		if (!this.callsPermitted.getAsBoolean()) {
			this.inFlight.remove(key);
			count("skipped_breaker");
			return false;
		}
		if (!this.budget.tryAcquire()) {
			this.inFlight.remove(key);
			count("skipped_budget");
			return false;
		}
		return true;
	}

	/**
	 * Ends a refresh with the server's answer: an active one replaces the entry if it
	 * still holds the answer that was served (an eviction meanwhile wins), an inactive
	 * one evicts it.
	 * @param key the token's SHA-256
	 * @param served the answer served when the refresh began
	 * @param result the server's answer
	 * @param caches the caches to update
	 */
	void refreshed(String key, IntrospectedToken served, IntrospectedToken result, TokenCaches caches) {
		try {
			if (result.isActive()) {
				if (caches.active().replace(key, served, result)) {
					this.obtained.put(key, this.clock.instant());
					count("done");
				}
				else {
					// Evicted, expired or loaded again while the call ran: that wins.
					count("superseded");
				}
			}
			else {
				// Evicted first: an answer the server just called inactive is not served.
				caches.active().evict(key);
				caches.inactive().put(key, result);
				this.obtained.invalidate(key);
				count("inactive");
			}
		}
		catch (RuntimeException ex) {
			logger.warn("A refreshed answer could not be written to the cache: " + ex.getMessage());
			count("failed");
		}
		finally {
			this.inFlight.remove(key);
		}
	}

	/**
	 * Whether a refresh that waited for a thread is still to run: not once the answer is
	 * at or past its {@code exp} (the server would call it inactive, which is no
	 * revocation); when not, the key's single flight ends here.
	 * @param key the token's SHA-256
	 * @param served the answer served when the refresh was decided
	 * @return {@code true} to run it
	 */
	boolean stillDue(String key, IntrospectedToken served) {
		if (served.isExpiredAt(this.clock.instant())) {
			this.inFlight.remove(key);
			count("skipped_expired");
			return false;
		}
		return true;
	}

	/**
	 * Ends a refresh that failed: the entry stays until its normal end.
	 * @param key the token's SHA-256
	 */
	void failed(String key) {
		this.inFlight.remove(key);
		count("failed");
	}

	/** A number in [0, 1) of the key's own, so that jitter does not change per use. */
	private static double spread(String key) {
		return (key.hashCode() & 0x7fffffff) / (double) Integer.MAX_VALUE * 0.999;
	}

	private void count(String outcome) {
		tell(() -> this.listener.refreshed(outcome));
	}

	/** A listener (the meters) never fails a request. */
	private static void tell(Runnable call) {
		try {
			call.run();
		}
		catch (RuntimeException ex) {
			logger.debug("A refresh-ahead listener failed", ex);
		}
	}

	/** Told of refreshes and of the answers served, for meters. */
	public interface Listener {

		/** Tells nobody. */
		Listener NONE = new Listener() {
		};

		/**
		 * A refresh ended, or was not started.
		 * @param outcome done, inactive, failed, skipped_budget or skipped_breaker
		 */
		default void refreshed(String outcome) {
		}

		/**
		 * An answer was served from the cache.
		 * @param age how long ago it was obtained, as far as this instance knows
		 */
		default void served(Duration age) {
		}

	}

}
