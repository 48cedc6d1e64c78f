package io.github.tokenintrospection.testsupport;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Predicate;

/**
 * A minimal HTTP/1.1 introspection endpoint on loopback for high request volumes: one
 * thread per keep-alive connection, each answer written in one piece, nothing recorded
 * but a call count per token. {@code active: true} for tokens the predicate accepts,
 * {@code active: false} for all others.
 */
public final class LoopbackIntrospectionStub implements AutoCloseable {

	private static final byte[] ACTIVE = response("{\"active\":true,\"sub\":\"alice\",\"scope\":\"read\"}");

	private static final byte[] INACTIVE = response("{\"active\":false}");

	private final Map<String, Integer> callsPerToken = new ConcurrentHashMap<>();

	private final Predicate<String> active;

	private final ServerSocket serverSocket;

	private final ExecutorService connections = Executors.newCachedThreadPool();

	public LoopbackIntrospectionStub(Predicate<String> active) {
		this.active = active;
		try {
			this.serverSocket = new ServerSocket(0, 128, InetAddress.getLoopbackAddress());
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		this.connections.execute(this::accept);
	}

	public String url() {
		return "http://127.0.0.1:" + this.serverSocket.getLocalPort() + "/introspect";
	}

	/** Calls received, per token. */
	public Map<String, Integer> callsPerToken() {
		return this.callsPerToken;
	}

	@Override
	public void close() {
		try {
			this.serverSocket.close();
		}
		catch (IOException ex) {
			// Closing anyway.
		}
		this.connections.shutdownNow();
	}

	private void accept() {
		while (!this.serverSocket.isClosed()) {
			try {
				Socket socket = this.serverSocket.accept();
				socket.setTcpNoDelay(true);
				this.connections.execute(() -> serve(socket));
			}
			catch (IOException ex) {
				return;
			}
		}
	}

	private void serve(Socket socket) {
		try (socket;
				InputStream in = new BufferedInputStream(socket.getInputStream());
				OutputStream out = socket.getOutputStream()) {
			while (true) {
				int contentLength = readHeaders(in);
				if (contentLength < 0) {
					return;
				}
				String token = token(new String(in.readNBytes(contentLength), StandardCharsets.UTF_8));
				this.callsPerToken.merge(token, 1, Integer::sum);
				out.write(this.active.test(token) ? ACTIVE : INACTIVE);
				out.flush();
			}
		}
		catch (IOException ex) {
			// The client went away.
		}
	}

	/**
	 * Reads a request's head; returns its Content-Length, or -1 at the end of the stream.
	 */
	private static int readHeaders(InputStream in) throws IOException {
		int contentLength = 0;
		StringBuilder line = new StringBuilder();
		boolean any = false;
		int c;
		while ((c = in.read()) != -1) {
			any = true;
			if (c == '\n') {
				String header = line.toString().strip();
				if (header.isEmpty()) {
					return contentLength;
				}
				if (header.toLowerCase(Locale.ROOT).startsWith("content-length:")) {
					contentLength = Integer.parseInt(header.substring("content-length:".length()).strip());
				}
				line.setLength(0);
			}
			else {
				line.append((char) c);
			}
		}
		return any ? contentLength : -1;
	}

	private static String token(String form) {
		for (String pair : form.split("&")) {
			if (pair.startsWith("token=")) {
				return URLDecoder.decode(pair.substring("token=".length()), StandardCharsets.UTF_8);
			}
		}
		return "";
	}

	private static byte[] response(String json) {
		return ("HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + json.length() + "\r\n\r\n"
				+ json)
			.getBytes(StandardCharsets.US_ASCII);
	}

}
