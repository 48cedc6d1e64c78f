package io.github.tokenintrospection.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

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
			RedisServer server = new RedisServer(freePort(), Files.createTempDirectory("redis-test"), persistent);
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
		String executable = findExecutable();
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
			this.process.destroy();
			try {
				if (!this.process.waitFor(10, TimeUnit.SECONDS)) {
					this.process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
				}
			}
			catch (InterruptedException ex) {
				Thread.currentThread().interrupt();
			}
			this.process = null;
			awaitPort(false);
		}
	}

	@Override
	public void close() {
		stop();
	}

	private void awaitPort(boolean open) {
		long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
		while (System.nanoTime() < deadline) {
			if (isOpen() == open) {
				return;
			}
			if (open && this.process != null && !this.process.isAlive()) {
				throw new IllegalStateException("redis-server exited: see " + this.directory.resolve("redis.log"));
			}
			sleep();
		}
		throw new IllegalStateException("redis-server port " + this.port + (open ? " did not open" : " did not close"));
	}

	private boolean isOpen() {
		try (Socket socket = new Socket("127.0.0.1", this.port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	private static void sleep() {
		try {
			Thread.sleep(50);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
	}

	private static String findExecutable() {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			File candidate = new File(directory, "redis-server");
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		for (String candidate : List.of("/usr/bin/redis-server", "/usr/local/bin/redis-server")) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IllegalStateException(
				"redis-server is not installed: run .ci/provision-redis (apt-get install redis-server)");
	}

	private static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

}
