package io.github.tokenintrospection.autoconfigure;

import org.jspecify.annotations.Nullable;

/**
 * The connection of a named authorization server, from its own properties
 * ({@code token-introspection.authorization-servers.<name>.*}).
 */
final class NamedServerConnectionDetails implements TokenIntrospectionConnectionDetails {

	private final String name;

	private final TokenIntrospectionProperties.AuthorizationServer server;

	NamedServerConnectionDetails(String name, TokenIntrospectionProperties.AuthorizationServer server) {
		this.name = name;
		this.server = server;
	}

	/** The prefix of this server's properties, ending with a dot. */
	String prefix() {
		return NamedServerProperties.prefix(this.name);
	}

	@Override
	public @Nullable String getIntrospectionUri() {
		return this.server.getIntrospectionUri();
	}

	@Override
	public @Nullable String getIssuerUri() {
		return this.server.getIssuerUri();
	}

	@Override
	public @Nullable String getClientId() {
		return this.server.getClientId();
	}

	@Override
	public @Nullable String getClientSecret() {
		return this.server.getClientSecret();
	}

}
