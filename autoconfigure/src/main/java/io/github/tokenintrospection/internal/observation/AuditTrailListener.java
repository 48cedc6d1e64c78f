package io.github.tokenintrospection.internal.observation;

import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.possession.Binding;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;

/**
 * One structured log event per decision on the {@value #LOGGER_NAME} logger (INFO), with
 * the token's fingerprint, never the token; and, when the application keeps an audit
 * event repository, the same data to the given publisher (for Spring Boot's
 * {@code AuditApplicationEvent}).
 * <p>
 * Unless told otherwise, a token accepted from the cache, or verified locally as a JWT,
 * is not recorded: the trail then has one event per call to the authorization server and
 * one per rejection, not one per request, which on a busy service would be most of its
 * log.
 * <p>
 * At the end of each request that carried a token, one more event says how the request
 * ended ({@link #requestCompleted}): method, handler pattern, status and, when it was
 * denied, the authorization rule that denied it. It follows the same volume rule: it is
 * written when the request's decision was, and always when the request failed (status 400
 * or more), since a valid token can still end in 403 or 500. Decision and outcome share
 * the request's correlation id.
 */
public final class AuditTrailListener implements IntrospectionListener {

	/** Logger of the audit trail; set it to WARN to silence the trail. */
	public static final String LOGGER_NAME = "io.github.tokenintrospection.audit";

	private static final Log logger = LogFactory.getLog(LOGGER_NAME);

	private final @Nullable AuditEventSink sink;

	private final boolean includeCacheHits;

	private final Function<String, String> endpoint;

	private final Function<String, String> resourceServerClientId;

	/**
	 * Creates the listener for a resource server whose identity is not known.
	 * @param sink receives each decision's principal, type and data, or {@code null}
	 * @param includeCacheHits whether tokens accepted from the cache are recorded too
	 */
	public AuditTrailListener(@Nullable AuditEventSink sink, boolean includeCacheHits) {
		this(sink, includeCacheHits, () -> "", "");
	}

	/**
	 * Creates the listener.
	 * @param sink receives each decision's principal, type and data, or {@code null}
	 * @param includeCacheHits whether tokens accepted from the cache are recorded too
	 * @param endpoint gives the introspection endpoint as far as it is known, without
	 * calling the network
	 * @param resourceServerClientId the client id this resource server introspects with
	 */
	public AuditTrailListener(@Nullable AuditEventSink sink, boolean includeCacheHits, Supplier<String> endpoint,
			String resourceServerClientId) {
		this(sink, includeCacheHits, (server) -> endpoint.get(), (server) -> resourceServerClientId);
	}

	/**
	 * Creates the listener for a resource server with several authorization servers.
	 * @param sink receives each decision's principal, type and data, or {@code null}
	 * @param includeCacheHits whether tokens accepted from the cache are recorded too
	 * @param endpoint gives a server's introspection endpoint (by the server's name) as
	 * far as it is known, without calling the network
	 * @param resourceServerClientId gives the client id this resource server introspects
	 * with at a server
	 */
	public AuditTrailListener(@Nullable AuditEventSink sink, boolean includeCacheHits,
			Function<String, String> endpoint, Function<String, String> resourceServerClientId) {
		this.sink = sink;
		this.includeCacheHits = includeCacheHits;
		this.endpoint = endpoint;
		this.resourceServerClientId = resourceServerClientId;
	}

	@Override
	public void decisionMade(IntrospectionDecision decision) {
		RequestAudit request = RequestAudit.current();
		boolean recorded = this.includeCacheHits || decision.outcome() != IntrospectionDecision.Outcome.ACCEPTED
				|| (decision.cacheStatus() != CacheStatus.HIT && decision.path() != IntrospectionDecision.Path.LOCAL);
		if (request != null) {
			request.decided(decision.outcome().tagValue(), decision.tokenFingerprint(),
					decision.token().stringClaim(OAuth2TokenIntrospectionClaimNames.SUB), recorded);
		}
		if (!recorded) {
			return;
		}
		boolean logged = logger.isInfoEnabled();
		if (!logged && this.sink == null) {
			// Every request comes here: build nothing when nobody listens.
			return;
		}
		Map<String, @Nullable Object> data = data(decision);
		data.put("server", decision.server());
		data.put("endpoint", this.endpoint.apply(decision.server()));
		data.put("rs_client_id", this.resourceServerClientId.apply(decision.server()));
		data.put("request_id", (request != null) ? request.id() : "none");
		publish(logged, data, "TOKEN_INTROSPECTION_" + decision.outcome().name(), data.get("sub"));
	}

	/**
	 * Records how a request that carried a token ended; nothing for a request without a
	 * token decision, nor for a successful one whose decision was not recorded.
	 * @param request the request's record
	 * @param method the HTTP method
	 * @param pathPattern the pattern of the handler that matched, never the raw path
	 * @param status the response status
	 */
	public void requestCompleted(RequestAudit request, String method, Supplier<String> pathPattern, int status) {
		String decision = request.decision();
		if (decision == null || (!request.decisionRecorded() && status < 400)) {
			return;
		}
		boolean logged = logger.isInfoEnabled();
		if (!logged && this.sink == null) {
			return;
		}
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("request", "completed");
		data.put("status", status);
		data.put("method", method);
		data.put("path", pathPattern.get());
		data.put("denied_rule", (request.deniedRule() != null) ? request.deniedRule() : "none");
		data.put("decision", decision);
		data.put("fingerprint", request.fingerprint());
		data.put("request_id", request.id());
		publish(logged, data, "TOKEN_INTROSPECTION_REQUEST_COMPLETED", request.subject());
	}

	private void publish(boolean logged, Map<String, @Nullable Object> data, String type, @Nullable Object subject) {
		if (logged) {
			logger.info(line(data));
		}
		if (this.sink != null) {
			this.sink.publish((subject != null) ? subject.toString() : "anonymous", type, data);
		}
	}

	static Map<String, @Nullable Object> data(IntrospectionDecision decision) {
		IntrospectedToken token = decision.token();
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("decision", decision.outcome().tagValue());
		data.put("reason", decision.reasons().isEmpty() ? "none" : String.join(",", decision.reasons()));
		data.put("cache", decision.cacheStatus().tagValue());
		data.put("path", decision.path().tagValue());
		data.put("fingerprint", decision.tokenFingerprint());
		data.put("active", token.isActive());
		data.put("client_id", token.stringClaim(OAuth2TokenIntrospectionClaimNames.CLIENT_ID));
		data.put("sub", token.stringClaim(OAuth2TokenIntrospectionClaimNames.SUB));
		data.put("scope", String.join(" ", token.stringListClaim(OAuth2TokenIntrospectionClaimNames.SCOPE)));
		data.put("aud", String.join(",", token.stringListClaim(OAuth2TokenIntrospectionClaimNames.AUD)));
		Instant expiresAt = token.expiresAt();
		data.put("exp", (expiresAt != null) ? expiresAt.getEpochSecond() : null);
		data.put("format", format(decision));
		data.put("proof", Binding.of(token).tagValue());
		if (token.signedAnswerSha256() != null) {
			data.put("answer_sha256", token.signedAnswerSha256());
		}
		return data;
	}

	/**
	 * How the authorization server answered: {@code none} when it was not asked (a token
	 * refused for its syntax) or could not answer.
	 */
	private static String format(IntrospectionDecision decision) {
		if (decision.outcome() == IntrospectionDecision.Outcome.ERROR || decision.reasons().contains("malformed")) {
			return "none";
		}
		return decision.token().isSignedAnswer() ? "jwt" : "json";
	}

	/**
	 * logfmt: key=value pairs, values quoted when they hold spaces, quotes, equals signs
	 * or control characters; control characters (C0, DEL, C1 such as NEL) and the Unicode
	 * line and paragraph separators become {@code ?}, so that a claim cannot forge a log
	 * line.
	 */
	public static String line(Map<String, @Nullable Object> data) {
		StringBuilder line = new StringBuilder("token-introspection");
		for (Map.Entry<String, @Nullable Object> entry : data.entrySet()) {
			String value = (entry.getValue() != null) ? entry.getValue().toString() : "";
			line.append(' ').append(entry.getKey()).append('=');
			if (value.isEmpty() || value.chars().anyMatch((c) -> c == ' ' || c == '"' || c == '=' || isUnsafe(c))) {
				line.append('"')
					.append(value.replace("\\", "\\\\")
						.replace("\"", "\\\"")
						.replaceAll("[\\p{Cc}\\u2028\\u2029]", "?"))
					.append('"');
			}
			else {
				line.append(value);
			}
		}
		return line.toString();
	}

	private static boolean isUnsafe(int c) {
		return Character.isISOControl(c) || c == '\u2028' || c == '\u2029';
	}

	/**
	 * Where audit events go besides the log, e.g. Spring Boot's audit event repository.
	 */
	@FunctionalInterface
	public interface AuditEventSink {

		/**
		 * Publishes one audit event.
		 * @param principal the token's subject, or "anonymous"
		 * @param type the event type
		 * @param data the event data
		 */
		void publish(String principal, String type, Map<String, @Nullable Object> data);

	}

}
