package io.github.tokenintrospection.internal.routing;

import java.util.List;
import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * The servlet introspector of a resource server with several authorization servers: hands
 * each token to the pipeline of the server the {@link RoutingTable} chooses.
 */
public final class RoutingOpaqueTokenIntrospector implements OpaqueTokenIntrospector {

	private final RoutingTable<OpaqueTokenIntrospector> table;

	private final Supplier<@Nullable RoutedRequest> currentRequest;

	/**
	 * Creates the introspector.
	 * @param table the servers and how to choose among them
	 * @param currentRequest the request being authenticated, {@code null} outside of one
	 */
	public RoutingOpaqueTokenIntrospector(RoutingTable<OpaqueTokenIntrospector> table,
			Supplier<@Nullable RoutedRequest> currentRequest) {
		this.table = table;
		this.currentRequest = currentRequest;
	}

	@Override
	public OAuth2AuthenticatedPrincipal introspect(String token) {
		List<RoutingTable.Server<OpaqueTokenIntrospector>> servers = this.table.choose(this.currentRequest.get(),
				token);
		if (servers.isEmpty()) {
			throw this.table.noServer(token);
		}
		RuntimeException unavailable = null;
		RuntimeException last = null;
		for (RoutingTable.Server<OpaqueTokenIntrospector> server : servers) {
			try {
				return RoutingTable.acceptedBy(server.introspector().introspect(token), server.name());
			}
			catch (RuntimeException ex) {
				if (!RoutingTable.isWorthAskingTheNext(ex)) {
					throw ex;
				}
				last = ex;
				if (unavailable == null && !(ex instanceof BadOpaqueTokenException)) {
					unavailable = ex;
				}
			}
		}
		throw (RuntimeException) RoutingTable.outcome(unavailable, last);
	}

}
