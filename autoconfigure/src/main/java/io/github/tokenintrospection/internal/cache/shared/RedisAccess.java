package io.github.tokenintrospection.internal.cache.shared;

import java.time.Duration;
import java.util.concurrent.ArrayBlockingQueue;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ThreadPoolExecutor;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.util.Assert;

/**
 * Runs the shared cache's calls to Redis so that Redis can never fail a request: each
 * call waits at most a timeout of its own (whatever the Redis client's timeout is), a
 * failure gives "not cached" instead of an exception, and after a failure Redis is left
 * alone for a while, so that an outage costs one slow call per interval rather than one
 * per request. Failures are counted; an outage is logged once at WARN when it starts and
 * at INFO when Redis answers again, the failures in between at DEBUG.
 */
public final class RedisAccess implements AutoCloseable {

	private static final Log logger = LogFactory.getLog(RedisAccess.class);

	/** How long Redis is left alone after a failure. */
	static final Duration RETRY_INTERVAL = Duration.ofSeconds(5);

	private static final int THREADS = 8;

	private static final int QUEUE_SIZE = 1024;

	private final Duration timeout;

	private final ThreadPoolExecutor executor;

	private final AtomicLong failures = new AtomicLong();

	private final AtomicBoolean failing = new AtomicBoolean();

	/** Set while the one call let through after the retry interval is under way. */
	private final AtomicBoolean probing = new AtomicBoolean();

	private final Duration retryInterval;

	private volatile long skipUntilNanos;

	/**
	 * Creates the access with its own small thread pool.
	 * @param timeout the longest wait for one call
	 */
	public RedisAccess(Duration timeout) {
		this(timeout, RETRY_INTERVAL);
	}

	RedisAccess(Duration timeout, Duration retryInterval) {
		Assert.isTrue(timeout != null && !timeout.isNegative() && !timeout.isZero(), "timeout must be positive");
		Assert.isTrue(retryInterval != null && !retryInterval.isNegative(), "retryInterval must not be negative");
		this.timeout = timeout;
		this.retryInterval = retryInterval;
		AtomicInteger threadNumber = new AtomicInteger();
		this.executor = new ThreadPoolExecutor(THREADS, THREADS, 60, TimeUnit.SECONDS,
				new ArrayBlockingQueue<>(QUEUE_SIZE), (runnable) -> {
					Thread thread = new Thread(runnable, "token-introspection-redis-" + threadNumber.incrementAndGet());
					thread.setDaemon(true);
					return thread;
				});
		this.executor.allowCoreThreadTimeOut(true);
	}

	/**
	 * Returns how many calls to Redis failed or timed out since start-up.
	 * @return the count
	 */
	public long failures() {
		return this.failures.get();
	}

	/**
	 * Whether the last call to Redis succeeded (or none was made yet).
	 * @return {@code false} during an outage
	 */
	public boolean isAvailable() {
		return !this.failing.get();
	}

	/**
	 * Reads from Redis, unless it failed within the retry interval.
	 * @return the value, or {@code null} when absent or Redis could not answer
	 */
	<T> @Nullable T read(String operation, Supplier<T> call) {
		if (backingOff()) {
			return null;
		}
		return await(operation, submitUntilDeadline(call));
	}

	/**
	 * Reads from Redis without blocking the caller; completes with {@code null} on
	 * failure.
	 */
	<T> CompletableFuture<@Nullable T> readAsync(String operation, Supplier<T> call) {
		if (backingOff()) {
			return CompletableFuture.completedFuture(null);
		}
		return callAsync(operation, call);
	}

	private <T> CompletableFuture<@Nullable T> callAsync(String operation, Supplier<T> call) {
		return submitUntilDeadline(call).orTimeout(this.timeout.toMillis(), TimeUnit.MILLISECONDS)
			.handle((value, failure) -> {
				if (failure != null) {
					failed(operation, unwrap(failure));
					return null;
				}
				succeeded();
				return value;
			});
	}

	/**
	 * Writes to Redis and waits for it, unless it failed within the retry interval.
	 */
	void write(String operation, Runnable call) {
		if (!backingOff()) {
			await(operation, submitUntilDeadline(asSupplier(call)));
		}
	}

	/**
	 * Writes to Redis without waiting, unless it failed within the retry interval.
	 */
	void writeInBackground(String operation, Runnable call) {
		if (!backingOff()) {
			callAsync(operation, asSupplier(call));
		}
	}

	/**
	 * Writes to Redis even within the retry interval (an eviction must be tried), and
	 * waits.
	 * @return whether Redis took it
	 */
	boolean writeNow(String operation, Runnable call) {
		Object done = await(operation, submit(() -> {
			call.run();
			return Boolean.TRUE;
		}));
		return done != null;
	}

	/**
	 * Writes to Redis and waits, unless it failed within the retry interval: sends again
	 * what failed before, without costing more than one slow call per interval during an
	 * outage.
	 * @return whether Redis took it
	 */
	boolean writeAgain(String operation, Runnable call) {
		if (backingOff()) {
			return false;
		}
		return await(operation, submit(() -> {
			call.run();
			return Boolean.TRUE;
		})) != null;
	}

	private static Supplier<@Nullable Object> asSupplier(Runnable call) {
		return () -> {
			call.run();
			return null;
		};
	}

	/**
	 * Whether to skip Redis: during an outage, yes until the retry interval has passed;
	 * then exactly one caller probes it while the others go on skipping, so that an
	 * outage costs one slow call per interval. The probe's success or failure ends the
	 * probing.
	 */
	private boolean backingOff() {
		if (!this.failing.get()) {
			return false;
		}
		if (System.nanoTime() - this.skipUntilNanos < 0) {
			return true;
		}
		return !this.probing.compareAndSet(false, true);
	}

	/**
	 * Submits a call that is dropped if it has not started by the time its caller stops
	 * waiting: run late, a write could land after a later eviction and undo it.
	 */
	private <T> CompletableFuture<T> submitUntilDeadline(Supplier<T> call) {
		long deadline = System.nanoTime() + this.timeout.toNanos();
		return submit(() -> {
			if (System.nanoTime() - deadline > 0) {
				throw new CancellationException("not started within the timeout");
			}
			return call.get();
		});
	}

	private <T> CompletableFuture<T> submit(Supplier<T> call) {
		try {
			return CompletableFuture.supplyAsync(call, this.executor);
		}
		catch (RejectedExecutionException ex) {
			return CompletableFuture.failedFuture(ex);
		}
	}

	private <T> @Nullable T await(String operation, CompletableFuture<T> call) {
		try {
			T value = call.get(this.timeout.toNanos(), TimeUnit.NANOSECONDS);
			succeeded();
			return value;
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			call.cancel(false);
			// No answer either way: let another caller probe.
			this.probing.set(false);
			return null;
		}
		catch (ExecutionException | TimeoutException ex) {
			call.cancel(false);
			failed(operation, unwrap(ex));
			return null;
		}
	}

	private static Throwable unwrap(Throwable failure) {
		Throwable cause = failure;
		while ((cause instanceof ExecutionException || cause instanceof java.util.concurrent.CompletionException)
				&& cause.getCause() != null) {
			cause = cause.getCause();
		}
		return cause;
	}

	private void succeeded() {
		this.probing.set(false);
		if (this.failing.compareAndSet(true, false)) {
			logger.info("Redis answers again: the shared introspection cache is back in use");
		}
	}

	private void failed(String operation, Throwable failure) {
		this.failures.incrementAndGet();
		// The back-off starts before the probe ends, so that no other caller slips
		// through.
		this.skipUntilNanos = System.nanoTime() + this.retryInterval.toNanos();
		String message = "Redis failed (" + operation + ": " + describe(failure)
				+ "); requests are served from the local cache and the authorization server, Redis is tried again in "
				+ this.retryInterval.toSeconds() + "s";
		boolean outageStarts = this.failing.compareAndSet(false, true);
		this.probing.set(false);
		if (outageStarts) {
			logger.warn(message);
		}
		else if (logger.isDebugEnabled()) {
			logger.debug(message);
		}
	}

	private String describe(Throwable failure) {
		if (failure instanceof TimeoutException) {
			return "no answer within " + this.timeout.toMillis() + "ms";
		}
		if (failure instanceof RejectedExecutionException) {
			return "too many calls waiting";
		}
		return failure.getClass().getSimpleName() + ": " + failure.getMessage();
	}

	/**
	 * Stops the threads.
	 */
	@Override
	public void close() {
		this.executor.shutdownNow();
	}

}
