package io.github.tokenintrospection.testsupport;

import java.io.File;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

/**
 * What the servers the tests run as local processes ({@link RedisServer},
 * {@link OidcProviderServer}) share: finding the executable, a free port, waiting for the
 * port, stopping the process.
 */
final class LocalProcesses {

	private LocalProcesses() {
	}

	/**
	 * Finds an executable on the {@code PATH}, else in {@code /usr/bin} or
	 * {@code /usr/local/bin}.
	 * @param name the executable's name
	 * @param installHint how to install it, for the failure message
	 */
	static String executable(String name, String installHint) {
		for (String directory : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
			File candidate = new File(directory, name);
			if (candidate.canExecute()) {
				return candidate.getPath();
			}
		}
		for (String candidate : List.of("/usr/bin/" + name, "/usr/local/bin/" + name)) {
			if (new File(candidate).canExecute()) {
				return candidate;
			}
		}
		throw new IllegalStateException(name + " is not installed: " + installHint);
	}

	static int freePort() throws IOException {
		try (ServerSocket socket = new ServerSocket(0)) {
			return socket.getLocalPort();
		}
	}

	static boolean isListening(int port) {
		try (Socket socket = new Socket("127.0.0.1", port)) {
			return true;
		}
		catch (IOException ex) {
			return false;
		}
	}

	/**
	 * Waits until the port is open (or closed), failing early when the process that
	 * should open it has exited.
	 * @param name the server's name, for the failure message
	 * @param process the process, or {@code null} when waiting for the port to close
	 * @param diagnostics what to add to a failure (its log)
	 */
	static void awaitPort(String name, int port, boolean open, Duration timeout, Process process,
			Supplier<String> diagnostics) {
		long deadline = System.nanoTime() + timeout.toNanos();
		while (System.nanoTime() < deadline) {
			if (isListening(port) == open) {
				return;
			}
			if (open && process != null && !process.isAlive()) {
				throw new IllegalStateException(name + " exited: " + diagnostics.get());
			}
			sleep();
		}
		throw new IllegalStateException(
				name + " port " + port + (open ? " did not open: " : " did not close: ") + diagnostics.get());
	}

	/** Stops a process, forcibly when it does not end within ten seconds. */
	static void stop(Process process) {
		process.destroy();
		try {
			if (!process.waitFor(10, TimeUnit.SECONDS)) {
				process.destroyForcibly().waitFor(10, TimeUnit.SECONDS);
			}
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
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

}
