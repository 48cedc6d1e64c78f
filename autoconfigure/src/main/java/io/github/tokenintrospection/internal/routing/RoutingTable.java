package io.github.tokenintrospection.internal.routing;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.cache.TokenHash;
import io.github.tokenintrospection.internal.introspector.InactiveTokenException;
import io.github.tokenintrospection.internal.introspector.MalformedTokenException;
import io.github.tokenintrospection.internal.jwt.CompactJws;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.jspecify.annotations.Nullable;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * Chooses which authorization servers to ask about a token, in this order:
 * <ol>
 * <li>the request: the servers whose rules match it, else the servers without rules;</li>
 * <li>a JWT's {@code iss}, a hint only (each server's pipeline validates the answer): the
 * candidates with that issuer, else those whose issuer is not known;</li>
 * <li>with several candidates left, the first one; or, when probing, each in turn until
 * one answers active, at most {@code maxServers} calls, skipping a server whose negative
 * cache already knows the token and starting with one whose cache holds it.</li>
 * </ol>
 * No candidate: the token is refused without a call.
 *
 * @param <I> the introspector type of the stack
 */
public final class RoutingTable<I> {

	/** Longest token whose JWT header and payload are read for the issuer hint. */
	private static final int MAX_HINT_TOKEN_LENGTH = 16 * 1024;

	/**
	 * Prefix of the authority that names the server which accepted a token
	 * ({@code SERVER_default}, {@code SERVER_partners}): what the caller chose (a header,
	 * a host, a JWT's {@code iss}) must not decide what a token may do, so rules can ask
	 * which server vouched for it.
	 */
	public static final String SERVER_AUTHORITY_PREFIX = "SERVER_";

	/** The server named in the decision of a token no server may take. */
	public static final String NO_SERVER_NAME = "none";

	/** The reason in the decision of a token no server may take. */
	public static final String NO_SERVER = "no_server";

	private final List<Server<I>> servers;

	private final boolean probe;

	private final int maxServers;

	private final IntrospectionListener listener;

	/**
	 * Creates the table.
	 * @param servers the servers in declaration order, the default one first
	 * @param probe whether several candidates are asked in turn
	 * @param maxServers the most servers one token is sent to when probing
	 * @param listener told about tokens no server may take
	 */
	public RoutingTable(List<Server<I>> servers, boolean probe, int maxServers, IntrospectionListener listener) {
		Assert.notEmpty(servers, "servers must not be empty");
		Assert.isTrue(maxServers >= 1, "maxServers must be at least 1");
		this.servers = List.copyOf(servers);
		this.probe = probe;
		this.maxServers = maxServers;
		this.listener = listener;
	}

	/**
	 * The servers to ask about a token, in order: ask the next only when the previous one
	 * {@linkplain #isWorthAskingTheNext says so}.
	 * @param request the request, or {@code null} outside of one
	 * @param token the raw token
	 * @return the servers, empty when none may take the token
	 */
	public List<Server<I>> choose(@Nullable RoutedRequest request, String token) {
		List<Server<I>> candidates = byRequest(request);
		if (candidates.size() > 1 || !candidates.isEmpty() && !candidates.get(0).issuers().isEmpty()) {
			candidates = byIssuer(candidates, token);
		}
		if (candidates.size() <= 1) {
			return candidates;
		}
		return this.probe ? probeOrder(candidates, token) : List.of(candidates.get(0));
	}

	/**
	 * Refuses a token that no server may take, telling the listeners.
	 * @param token the raw token, for its fingerprint only
	 * @return the failure to raise (a 401)
	 */
	public BadOpaqueTokenException noServer(String token) {
		this.listener.decisionMade(new IntrospectionDecision(IntrospectionDecision.Outcome.REJECTED, List.of(NO_SERVER),
				CacheStatus.NONE, IntrospectionCacheControl.fingerprint(token), IntrospectedToken.inactive(),
				IntrospectionDecision.Path.INTROSPECTION, "none"));
		return new BadOpaqueTokenException("No authorization server of this resource takes the token");
	}

	/**
	 * Whether a server's failure leaves the token to the next server of a probe: it said
	 * inactive, its syntax check (whose length limit is its own) refused the token, or it
	 * could not answer. A token it knew but refused (a claim) is refused.
	 * @param failure what the server's pipeline raised
	 * @return {@code true} to ask the next server
	 */
	public static boolean isWorthAskingTheNext(Throwable failure) {
		return failure instanceof InactiveTokenException || failure instanceof MalformedTokenException
				|| (failure instanceof OAuth2IntrospectionException && !(failure instanceof BadOpaqueTokenException));
	}

	/**
	 * The failure to raise when no server of a probe answered active: the server
	 * unavailability (503) if one could not answer, for the token may be its; else the
	 * last inactive answer (401).
	 * @param unavailable the first unavailability met, or {@code null}
	 * @param last the last failure
	 * @return the failure to raise
	 */
	public static Throwable outcome(@Nullable Throwable unavailable, Throwable last) {
		return (unavailable != null) ? unavailable : last;
	}

	/**
	 * The principal a server accepted, with the authority that names the server.
	 * @param principal the server pipeline's principal
	 * @param server the server's name
	 * @return the principal with one more authority
	 */
	public static OAuth2AuthenticatedPrincipal acceptedBy(OAuth2AuthenticatedPrincipal principal, String server) {
		List<GrantedAuthority> authorities = new ArrayList<>(principal.getAuthorities());
		authorities.add(new SimpleGrantedAuthority(SERVER_AUTHORITY_PREFIX + server));
		return new OAuth2IntrospectionAuthenticatedPrincipal(principal.getName(), principal.getAttributes(),
				authorities);
	}

	private List<Server<I>> byRequest(@Nullable RoutedRequest request) {
		List<Server<I>> matched = new ArrayList<>();
		List<Server<I>> unruled = new ArrayList<>();
		for (Server<I> server : this.servers) {
			if (server.rules().isEmpty()) {
				unruled.add(server);
			}
			else if (server.rules().matches(request)) {
				matched.add(server);
			}
		}
		return matched.isEmpty() ? unruled : matched;
	}

	private List<Server<I>> byIssuer(List<Server<I>> candidates, String token) {
		String issuer = issuer(token);
		if (issuer == null) {
			return candidates;
		}
		List<Server<I>> named = new ArrayList<>();
		List<Server<I>> unknown = new ArrayList<>();
		for (Server<I> server : candidates) {
			if (server.issuers().contains(issuer)) {
				named.add(server);
			}
			else if (server.issuers().isEmpty()) {
				unknown.add(server);
			}
		}
		return named.isEmpty() ? unknown : named;
	}

	private static @Nullable String issuer(String token) {
		if (token.length() > MAX_HINT_TOKEN_LENGTH) {
			return null;
		}
		CompactJws jws = CompactJws.peek(token, MAX_HINT_TOKEN_LENGTH);
		return (jws != null) ? jws.issuer() : null;
	}

	private List<Server<I>> probeOrder(List<Server<I>> candidates, String token) {
		String key = TokenHash.sha256Hex(token);
		List<Server<I>> cachedActive = new ArrayList<>();
		List<Server<I>> unknown = new ArrayList<>();
		Server<I> knownInactive = null;
		for (Server<I> server : candidates) {
			TokenCaches caches = server.caches();
			if (caches != null && caches.active().containsHere(key)) {
				cachedActive.add(server);
			}
			else if (caches != null && caches.inactive().containsHere(key)) {
				knownInactive = (knownInactive != null) ? knownInactive : server;
			}
			else {
				unknown.add(server);
			}
		}
		List<Server<I>> order = new ArrayList<>(cachedActive);
		order.addAll(unknown);
		if (order.isEmpty()) {
			// Every candidate knows the token is inactive: one answers, from its cache.
			return List.of(knownInactive);
		}
		return List.copyOf(order.subList(0, Math.min(order.size(), this.maxServers)));
	}

	/**
	 * One authorization server as routing sees it.
	 *
	 * @param <I> the introspector type of the stack
	 * @param name the server's name
	 * @param rules the requests it takes
	 * @param issuers the issuers whose tokens it takes, empty when not known
	 * @param caches its caches, or {@code null} without
	 * @param introspector its pipeline
	 */
	public record Server<I>(String name, RequestRules rules, Set<String> issuers, @Nullable TokenCaches caches,
			I introspector) {

	}

}
