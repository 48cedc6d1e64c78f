package io.github.tokenintrospection.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A real authorization server that implements RFC 9701 (JWT responses for token
 * introspection): node {@code oidc-provider}, installed by
 * {@code .ci/provision-oidc-provider} into {@code test-support/oidc-provider}, started as
 * a process on a free loopback port, as {@link RedisServer} starts redis-server. Fails
 * (never skips) when node or the package is missing. See
 * {@code test-support/oidc-provider/server.mjs} for its clients.
 */
public final class OidcProviderServer implements AutoCloseable {

	/** The resource server's client, which introspects. */
	public static final String RESOURCE_SERVER_ID = "notes-api";

	public static final String RESOURCE_SERVER_SECRET = "notes-api-secret";

	/** The client that obtains access tokens with {@code client_credentials}. */
	public static final String CLIENT_ID = "notes-web";

	private static final String CLIENT_SECRET = "notes-web-secret";

	private static final Pattern ACCESS_TOKEN = Pattern.compile("\"access_token\":\"([^\"]+)\"");

	private static final HttpClient httpClient = HttpClient.newHttpClient();

	private final int port;

	private final Path log;

	private final Process process;

	private OidcProviderServer(int port, Path log, Process process) {
		this.port = port;
		this.log = log;
		this.process = process;
	}

	/**
	 * Starts a server that signs its introspection answers when asked to.
	 * @return the running server
	 */
	public static OidcProviderServer start() {
		return start(false);
	}

	/**
	 * Starts a server whose introspection answers are plain JSON whatever is asked for.
	 * @return the running server
	 */
	public static OidcProviderServer startPlain() {
		return start(true);
	}

	/**
	 * Starts a server whose signed answers to the resource server are also encrypted
	 * (RSA-OAEP-256, A128CBC-HS256) for the given key.
	 * @param publicJwk the resource server's public key, a JWK in JSON
	 * @return the running server
	 */
	public static OidcProviderServer startEncryptingFor(String publicJwk) {
		try {
			Path jwk = Files.createTempFile("resource-server-", ".jwk");
			Files.writeString(jwk, publicJwk);
			return start(List.of("--encrypt-for", jwk.toString()));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static OidcProviderServer start(boolean plain) {
		return start(plain ? List.of("--plain") : List.of());
	}

	private static OidcProviderServer start(List<String> options) {
		Path directory = installation();
		try {
			int port = LocalProcesses.freePort();
			Path log = Files.createTempFile("oidc-provider-", ".log");
			List<String> command = new ArrayList<>(List.of(node(), "server.mjs", String.valueOf(port)));
			command.addAll(options);
			Process process = new ProcessBuilder(command).directory(directory.toFile())
				.redirectErrorStream(true)
				.redirectOutput(log.toFile())
				.start();
			OidcProviderServer server = new OidcProviderServer(port, log, process);
			try {
				LocalProcesses.awaitPort("oidc-provider", port, true, Duration.ofSeconds(30), process, server::logText);
			}
			catch (IllegalStateException ex) {
				server.close();
				throw ex;
			}
			return server;
		}
		catch (IOException ex) {
			throw new UncheckedIOException("Could not start oidc-provider", ex);
		}
	}

	/** The issuer identifier, which is also where its metadata is published. */
	public String issuer() {
		return "http://127.0.0.1:" + this.port;
	}

	/** Obtains an opaque access token for {@link #CLIENT_ID} with the given scope. */
	public String accessToken(String scope) {
		String basic = Base64.getEncoder()
			.encodeToString((CLIENT_ID + ":" + CLIENT_SECRET).getBytes(StandardCharsets.UTF_8));
		HttpRequest request = HttpRequest.newBuilder(URI.create(issuer() + "/token"))
			.header("Authorization", "Basic " + basic)
			.header("Content-Type", "application/x-www-form-urlencoded")
			.POST(HttpRequest.BodyPublishers.ofString("grant_type=client_credentials&scope=" + scope))
			.build();
		try {
			HttpResponse<String> response = send(request);
			Matcher token = ACCESS_TOKEN.matcher(response.body());
			if (response.statusCode() != 200 || !token.find()) {
				throw new IllegalStateException("oidc-provider gave no token: " + response.body());
			}
			return token.group(1);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
			throw new IllegalStateException(ex);
		}
	}

	/**
	 * Node closes an idle kept-alive connection after five seconds; a request that the
	 * client sent on it just then fails without an answer, and is sent once more.
	 */
	private static HttpResponse<String> send(HttpRequest request) throws IOException, InterruptedException {
		try {
			return httpClient.send(request, HttpResponse.BodyHandlers.ofString());
		}
		catch (IOException ex) {
			return httpClient.send(request, HttpResponse.BodyHandlers.ofString());
		}
	}

	@Override
	public void close() {
		LocalProcesses.stop(this.process);
	}

	private String logText() {
		try {
			return Files.readString(this.log);
		}
		catch (IOException ex) {
			return "(no log: " + ex.getMessage() + ")";
		}
	}

	/**
	 * The directory with server.mjs and the installed package, found from the module's
	 * directory.
	 */
	private static Path installation() {
		Path directory = Path.of("").toAbsolutePath();
		while (directory != null) {
			Path candidate = directory.resolve("test-support").resolve("oidc-provider");
			if (Files.isRegularFile(candidate.resolve("server.mjs"))) {
				if (!Files.isRegularFile(candidate.resolve("node_modules/oidc-provider/package.json"))) {
					throw new IllegalStateException("oidc-provider is not installed in " + candidate
							+ ": run .ci/provision-oidc-provider (npm ci)");
				}
				return candidate;
			}
			directory = directory.getParent();
		}
		throw new IllegalStateException("test-support/oidc-provider not found above " + Path.of("").toAbsolutePath());
	}

	private static String node() {
		return LocalProcesses.executable("node", "run .ci/provision-oidc-provider");
	}

}
