package io.github.tokenintrospection.testsupport;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/**
 * A real redis-server process (Debian's package, installed by
 * {@code .ci/provision-redis}) on a free loopback port, without persistence unless asked
 * for. Fails, never skips, when redis-server is missing. Can be stopped and started again
 * on the same port to simulate an outage.
 */
public final class RedisServer implements AutoCloseable {

	private final int port;

	private final Path directory;

	/** Whether the data outlives a stop: saved on shutdown, loaded on restart. */
	private final boolean persistent;

	private Process process;

	private RedisServer(int port, Path directory, boolean persistent) {
		this.port = port;
		this.directory = directory;
		this.persistent = persistent;
	}

	/**
	 * Starts a server on a free port.
	 * @return the running server
	 */
	public static RedisServer start() {
		return start(false);
	}

	/**
	 * Starts a server on a free port whose data outlives {@link #stop()}, like a Redis
	 * that was unreachable for a while rather than emptied.
	 * @return the running server
	 */
	public static RedisServer startPersistent() {
		return start(true);
	}

	private static RedisServer start(boolean persistent) {
		try {
			RedisServer server = new RedisServer(LocalProcesses.freePort(), Files.createTempDirectory("redis-test"),
					persistent);
			server.restart();
			return server;
		}
		catch (IOException ex) {
			throw new IllegalStateException(ex);
		}
	}

	public int port() {
		return this.port;
	}

	/** Starts the process again (on the same port) after {@link #stop()}. */
	public synchronized void restart() {
		String executable = LocalProcesses.executable("redis-server",
				"run .ci/provision-redis (apt-get install redis-server)");
		try {
			// With a save point, redis-server saves its data when stopped and loads it on
			// restart.
			this.process = new ProcessBuilder(
					List.of(executable, "--port", String.valueOf(this.port), "--bind", "127.0.0.1", "--save",
							this.persistent ? "3600 1" : "", "--appendonly", "no", "--dir", this.directory.toString()))
				.redirectErrorStream(true)
				.redirectOutput(this.directory.resolve("redis.log").toFile())
				.start();
		}
		catch (IOException ex) {
			throw new IllegalStateException("Could not start " + executable, ex);
		}
		awaitPort(true);
	}

	/** Stops the process (an outage); {@link #restart()} brings it back. */
	public synchronized void stop() {
		if (this.process != null) {
			LocalProcesses.stop(this.process);
			this.process = null;
			awaitPort(false);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private void awaitPort(boolean open) {
		LocalProcesses.awaitPort("redis-server", this.port, open, Duration.ofSeconds(20), this.process,
				() -> "see " + this.directory.resolve("redis.log"));
	}

}
