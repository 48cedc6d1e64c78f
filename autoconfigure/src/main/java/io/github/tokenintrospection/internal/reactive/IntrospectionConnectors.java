package io.github.tokenintrospection.internal.reactive;

import java.net.http.HttpClient;
import java.time.Duration;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;
import reactor.netty.http.HttpProtocol;

import org.springframework.boot.http.client.HttpClientSettings;
import org.springframework.boot.http.client.HttpRedirects;
import org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder;
import org.springframework.boot.ssl.SslBundle;
import org.springframework.http.client.reactive.ClientHttpConnector;
import org.springframework.http.client.reactive.JdkClientHttpConnector;
import org.springframework.util.ClassUtils;

/**
 * The transport of the reactive pipeline's calls to the authorization server, the same
 * for the auto-configuration and a pipeline wired by hand: Reactor Netty's client where
 * it is on the class path (with Spring Boot's {@code ClientHttpConnectorBuilder}), which
 * answers on its event loops; otherwise the JDK {@link HttpClient}, which completes every
 * call on {@code CompletableFuture}'s default executor, a new thread per call on machines
 * with two or fewer CPUs. Either way HTTP/1.1, the given timeouts and TLS material, and
 * no redirects (a redirect could carry the token to another host).
 */
public final class IntrospectionConnectors {

	private static final boolean REACTOR_NETTY_PRESENT = isPresent("reactor.netty.http.client.HttpClient")
			&& isPresent("org.springframework.boot.http.client.reactive.ClientHttpConnectorBuilder");

	private IntrospectionConnectors() {
	}

	/**
	 * Returns the connector for calls to the authorization server.
	 * @param connectTimeout how long to wait for a connection
	 * @param readTimeout how long to wait for an answer
	 * @param sslBundle trust (and a client certificate) for TLS, or {@code null} for the
	 * JVM's defaults
	 * @param jdkClient the JDK client to use without Reactor Netty, with the same
	 * settings
	 * @return the connector
	 */
	public static ClientHttpConnector create(Duration connectTimeout, Duration readTimeout,
			@Nullable SslBundle sslBundle, Supplier<HttpClient> jdkClient) {
		if (REACTOR_NETTY_PRESENT) {
			return ReactorNetty.connector(connectTimeout, readTimeout, sslBundle);
		}
		return jdk(jdkClient.get(), readTimeout);
	}

	/**
	 * Returns a connector over the given JDK client, for an application that chose that
	 * client itself.
	 * @param httpClient the client
	 * @param readTimeout how long to wait for an answer
	 * @return the connector
	 */
	public static ClientHttpConnector jdk(HttpClient httpClient, Duration readTimeout) {
		JdkClientHttpConnector connector = new JdkClientHttpConnector(httpClient);
		connector.setReadTimeout(readTimeout);
		return connector;
	}

	private static boolean isPresent(String className) {
		return ClassUtils.isPresent(className, IntrospectionConnectors.class.getClassLoader());
	}

	/** Kept apart so that the class loads without Reactor Netty on the class path. */
	private static final class ReactorNetty {

		static ClientHttpConnector connector(Duration connectTimeout, Duration readTimeout,
				@Nullable SslBundle sslBundle) {
			HttpClientSettings settings = HttpClientSettings.defaults()
				.withTimeouts(connectTimeout, readTimeout)
				.withRedirects(HttpRedirects.DONT_FOLLOW)
				.withSslBundle(sslBundle);
			return ClientHttpConnectorBuilder.reactor()
				.withHttpClientCustomizer((client) -> client.protocol(HttpProtocol.HTTP11))
				.build(settings);
		}

	}

}
