package io.github.tokenintrospection.internal.observation;

import java.util.LinkedHashMap;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
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
 */
public final class AuditTrailListener implements IntrospectionListener {

	/** Logger of the audit trail; set it to WARN to silence the trail. */
	public static final String LOGGER_NAME = "io.github.tokenintrospection.audit";

	private static final Log logger = LogFactory.getLog(LOGGER_NAME);

	private final @Nullable AuditEventSink sink;

	private final boolean includeCacheHits;

	/**
	 * Creates the listener.
	 * @param sink receives each decision's principal, type and data, or {@code null}
	 * @param includeCacheHits whether tokens accepted from the cache are recorded too
	 */
	public AuditTrailListener(@Nullable AuditEventSink sink, boolean includeCacheHits) {
		this.sink = sink;
		this.includeCacheHits = includeCacheHits;
	}

	@Override
	public void decisionMade(IntrospectionDecision decision) {
		if (!this.includeCacheHits && decision.outcome() == IntrospectionDecision.Outcome.ACCEPTED
				&& (decision.cacheStatus() == CacheStatus.HIT || decision.path() == IntrospectionDecision.Path.LOCAL)) {
			return;
		}
		boolean logged = logger.isInfoEnabled();
		if (!logged && this.sink == null) {
			// Every request comes here: build nothing when nobody listens.
			return;
		}
		Map<String, Object> data = data(decision);
		if (logged) {
			logger.info(line(data));
		}
		if (this.sink != null) {
			Object subject = data.get("sub");
			this.sink.publish((subject != null) ? subject.toString() : "anonymous",
					"TOKEN_INTROSPECTION_" + decision.outcome().name(), data);
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
		return data;
	}

	/**
	 * logfmt: key=value pairs, values quoted when they hold spaces, quotes, equals signs
	 * or control characters; control characters (C0, DEL, C1 such as NEL) and the Unicode
	 * line and paragraph separators become {@code ?}, so that a claim cannot forge a log
	 * line.
	 */
	static String line(Map<String, @Nullable Object> data) {
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
