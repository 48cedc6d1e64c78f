package io.github.tokenintrospection.autoconfigure;

import java.util.concurrent.ForkJoinPool;

import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Warns, once at start-up, when every introspection call would start a thread of its own.
 * <p>
 * Both stacks call the JDK {@code HttpClient} asynchronously ({@code sendAsync}, through
 * Spring's JDK request factory and connector), and the JDK completes every such call on
 * {@code CompletableFuture}'s default executor: the common {@code ForkJoinPool}, or a new
 * thread per task when that pool's parallelism is below 2, the default with two or fewer
 * CPUs. An executor of the client's own does not change that hop; only the parallelism, a
 * JVM-wide setting, does.
 */
final class CompletionThreadCheck {

	static final String PARALLELISM_PROPERTY = "java.util.concurrent.ForkJoinPool.common.parallelism";

	private static final Log logger = LogFactory.getLog(CompletionThreadCheck.class);

	private CompletionThreadCheck() {
	}

	static void warnIfThreadPerCall() {
		String warning = warning(ForkJoinPool.getCommonPoolParallelism());
		if (warning != null) {
			logger.warn(warning);
		}
	}

	/**
	 * Returns the warning for a common pool of the given parallelism.
	 * @param commonPoolParallelism the common pool's parallelism
	 * @return the warning, or {@code null} when calls complete on the common pool
	 */
	static @Nullable String warning(int commonPoolParallelism) {
		if (commonPoolParallelism >= 2) {
			return null;
		}
		return "Each token introspection call will start a new thread: the JDK HttpClient completes "
				+ "asynchronous calls on the common ForkJoinPool, whose parallelism is " + commonPoolParallelism
				+ " here, and below 2 the JDK uses a new thread per task instead; start the JVM with -D"
				+ PARALLELISM_PROPERTY + "=2 (or more)";
	}

}
