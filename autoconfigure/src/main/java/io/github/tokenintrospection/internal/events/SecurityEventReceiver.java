package io.github.tokenintrospection.internal.events;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.time.Clock;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Supplier;

import io.github.tokenintrospection.cache.CacheEviction;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.observation.AuditTrailListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;
import tools.jackson.databind.json.JsonMapper;

import org.springframework.http.InvalidMediaTypeException;
import org.springframework.http.MediaType;

/**
 * Receives pushed Security Event Tokens (RFC 8935) and acts on them: the delivery's
 * authorization and content type, the SET's verification, a {@code jti} acted on once,
 * then each event turned into an eviction by session or by user (see {@link #ACTIONS}).
 * Answers 202 to a SET it accepted (also a repeated or unknown one), 400 with RFC 8935's
 * {@code err} to one it refuses, 401 without the transmitter's authorization, 413 to a
 * body too large, 503 while the transmitter's keys cannot be had (the transmitter
 * retries). Never 500.
 */
public final class SecurityEventReceiver {

	/** The media type of a pushed SET. */
	public static final MediaType SECEVENT_JWT = MediaType.parseMediaType("application/secevent+jwt");

	static final String CAEP = "https://schemas.openid.net/secevent/caep/event-type/";

	static final String RISC = "https://schemas.openid.net/secevent/risc/event-type/";

	static final String SSF = "https://schemas.openid.net/secevent/ssf/event-type/";

	/** What each event type does; any other type is acknowledged and counted. */
	static final Map<String, Action> ACTIONS = Map.ofEntries(Map.entry(CAEP + "session-revoked", Action.SESSION),
			Map.entry(CAEP + "credential-change", Action.SUBJECT),
			Map.entry(CAEP + "token-claims-change", Action.SUBJECT),
			Map.entry(RISC + "account-disabled", Action.SUBJECT), Map.entry(RISC + "account-purged", Action.SUBJECT),
			Map.entry(RISC + "account-credential-change-required", Action.SUBJECT),
			Map.entry(RISC + "credential-compromise", Action.SUBJECT),
			Map.entry(RISC + "sessions-revoked", Action.SUBJECT), Map.entry(SSF + "verification", Action.NONE),
			Map.entry(SSF + "stream-updated", Action.NONE));

	/**
	 * Keycloak's session id for "every session of the user" (an administrator's logout of
	 * the user).
	 */
	private static final String ALL_SESSIONS = "ALL";

	private static final Log audit = LogFactory.getLog(AuditTrailListener.LOGGER_NAME);

	private final SecurityEventTokenVerifier verifier;

	private final Supplier<String> issuer;

	private final byte @Nullable [] authorization;

	private final IntrospectionCacheControl caches;

	private final ReceivedEvents received;

	private final long maxBodyBytes;

	private final Clock clock;

	private volatile Listener listener = Listener.NONE;

	/**
	 * Creates the receiver.
	 * @param verifier verifies SETs
	 * @param issuer gives the transmitter's issuer
	 * @param authorization the {@code Authorization} header the transmitter sends, or
	 * {@code null} when deliveries are authenticated by their signature only
	 * @param caches evicts
	 * @param window how long a {@code jti} is remembered: the accepted age of a SET
	 * @param maxEvents most {@code jti}s remembered
	 * @param maxBodyBytes largest body read
	 * @param clock tells now
	 */
	public SecurityEventReceiver(SecurityEventTokenVerifier verifier, Supplier<String> issuer,
			@Nullable String authorization, IntrospectionCacheControl caches, Duration window, long maxEvents,
			long maxBodyBytes, Clock clock) {
		this.verifier = verifier;
		this.issuer = issuer;
		this.authorization = (authorization != null) ? authorization.getBytes(StandardCharsets.UTF_8) : null;
		this.caches = caches;
		this.received = new ReceivedEvents(window, maxEvents);
		this.maxBodyBytes = maxBodyBytes;
		this.clock = clock;
	}

	/**
	 * Tells a listener (the meters) of every event from now on.
	 * @param listener the listener
	 */
	public void listen(Listener listener) {
		this.listener = listener;
	}

	/**
	 * Returns the largest body read; a longer one is refused with 413.
	 * @return the limit in bytes
	 */
	public long maxBodyBytes() {
		return this.maxBodyBytes;
	}

	/**
	 * Receives one delivery.
	 * @param contentType the request's {@code Content-Type}
	 * @param authorization the request's {@code Authorization}
	 * @param body the body, or {@code null} when it was longer than
	 * {@link #maxBodyBytes()}
	 * @return what to answer
	 */
	public Receipt receive(@Nullable String contentType, @Nullable String authorization, byte @Nullable [] body) {
		try {
			checkDelivery(contentType, authorization, body);
		}
		catch (SecurityEventException ex) {
			count("none", "refused", ex.error());
			return Receipt.refused(ex);
		}
		return accept(body);
	}

	/**
	 * Checks what a delivery's headers tell, before its body is read: the transmitter's
	 * authorization, the content type, and a declared length over the limit.
	 * @param contentType the request's {@code Content-Type}
	 * @param authorization the request's {@code Authorization}
	 * @param contentLength the declared {@code Content-Length}, or -1
	 * @return the refusal, or {@code null} when the body is to be read
	 */
	public @Nullable Receipt refuseBeforeReading(@Nullable String contentType, @Nullable String authorization,
			long contentLength) {
		try {
			checkDelivery(contentType, authorization, (contentLength > this.maxBodyBytes) ? null : new byte[0]);
			return null;
		}
		catch (SecurityEventException ex) {
			count("none", "refused", ex.error());
			return Receipt.refused(ex);
		}
	}

	/**
	 * Verifies one SET and acts on it, however it came: pushed, or polled (RFC 8936).
	 * @param set the SET in compact form
	 * @return 202 when accepted (also a repeated or unknown one), else the refusal
	 */
	public Receipt accept(byte[] set) {
		SecurityEvent event;
		try {
			event = this.verifier.verify(set);
		}
		catch (SecurityEventException ex) {
			count("none", "refused", ex.error());
			return Receipt.refused(ex);
		}
		if (!this.received.firstDelivery(this.issuer.get(), event.jti())) {
			event.events()
				.forEach((each) -> count(name(each.type(), ACTIONS.getOrDefault(each.type(), Action.UNKNOWN)),
						"duplicate", "none"));
			return Receipt.ACCEPTED;
		}
		try {
			for (SecurityEvent.Event each : event.events()) {
				act(event, each);
			}
			return Receipt.ACCEPTED;
		}
		catch (RuntimeException ex) {
			// Not acted on everywhere: forgotten, so that the transmitter's retry is.
			this.received.forget(this.issuer.get(), event.jti());
			audit.warn("A security event could not be acted on everywhere, the transmitter is asked to retry: "
					+ ex.getMessage());
			count("none", "refused", SecurityEventException.TEMPORARILY_UNAVAILABLE);
			return Receipt.refused(new SecurityEventException(SecurityEventException.TEMPORARILY_UNAVAILABLE,
					"the event cannot be acted on now", 503));
		}
	}

	private void checkDelivery(@Nullable String contentType, @Nullable String authorization, byte @Nullable [] body) {
		if (this.authorization != null && (authorization == null
				|| !MessageDigest.isEqual(this.authorization, authorization.getBytes(StandardCharsets.UTF_8)))) {
			throw new SecurityEventException(SecurityEventException.AUTHENTICATION_FAILED,
					"the delivery does not carry the transmitter's authorization", 401);
		}
		if (!isSecurityEventToken(contentType)) {
			throw new SecurityEventException(SecurityEventException.INVALID_REQUEST,
					"Content-Type must be application/secevent+jwt");
		}
		if (body == null) {
			throw new SecurityEventException(SecurityEventException.INVALID_REQUEST,
					"the body is longer than " + this.maxBodyBytes + " bytes", 413);
		}
	}

	private static boolean isSecurityEventToken(@Nullable String contentType) {
		try {
			return contentType != null && SECEVENT_JWT.equalsTypeAndSubtype(MediaType.parseMediaType(contentType));
		}
		catch (InvalidMediaTypeException ex) {
			return false;
		}
	}

	private void act(SecurityEvent event, SecurityEvent.Event each) {
		Action action = ACTIONS.getOrDefault(each.type(), Action.UNKNOWN);
		boolean oneSession = action == Action.SESSION && each.session() != null && !ALL_SESSIONS.equals(each.session());
		CacheEviction eviction = switch (action) {
			case SESSION -> oneSession ? this.caches.evictSession(each.session()) : evictSubject(each);
			case SUBJECT -> evictSubject(each);
			case NONE, UNKNOWN -> null;
		};
		String by = (eviction == null) ? "none" : (oneSession ? "session" : "user");
		if (eviction != null && CacheEviction.REDIS_INDEX_UNREACHABLE.equals(eviction.reason())) {
			throw new IllegalStateException("Redis did not answer: the eviction reached this instance only");
		}
		String name = name(each.type(), action);
		Duration lag = Duration.between(event.issuedAt(), this.clock.instant());
		if (eviction != null) {
			count(name, "evicted", "none");
			this.listener.evicted(name, lag.isNegative() ? Duration.ZERO : lag);
		}
		else {
			count(name, (action == Action.UNKNOWN) ? "unknown" : "acknowledged", "none");
		}
		log(event, each, name, by, eviction, lag);
	}

	private @Nullable CacheEviction evictSubject(SecurityEvent.Event each) {
		return (each.subject() != null) ? this.caches.evictSubject(each.subject()) : null;
	}

	private static String name(String type, Action action) {
		return (action == Action.UNKNOWN) ? "unknown" : type.substring(type.lastIndexOf('/') + 1);
	}

	private void count(String event, String outcome, String error) {
		this.listener.received(event, outcome, error);
	}

	private static void log(SecurityEvent event, SecurityEvent.Event each, String name, String by,
			@Nullable CacheEviction eviction, Duration lag) {
		if (!audit.isInfoEnabled()) {
			return;
		}
		Map<String, @Nullable Object> data = new LinkedHashMap<>();
		data.put("security_event", name);
		data.put("jti", event.jti());
		data.put("sub", each.subject());
		data.put("evicted_by", by);
		data.put("evicted", (eviction != null) ? eviction.evicted() : 0);
		data.put("scope", (eviction != null) ? eviction.scope().value() : "none");
		data.put("lag_ms", lag.toMillis());
		audit.info(AuditTrailListener.line(data));
	}

	/**
	 * Told of every event received, for meters: tag values are the receiver's own words
	 * only (event names it knows, outcomes, RFC 8935 codes).
	 */
	public interface Listener {

		/** Tells nobody. */
		Listener NONE = new Listener() {
		};

		/**
		 * An event was received.
		 * @param event the event type's last segment, {@code unknown} or {@code none}
		 * @param outcome evicted, acknowledged, duplicate, unknown or refused
		 * @param error the refusal's code, or {@code none}
		 */
		default void received(String event, String outcome, String error) {
		}

		/**
		 * An event evicted answers on this instance.
		 * @param event the event type's last segment
		 * @param lag from the event's {@code iat} to the eviction
		 */
		default void evicted(String event, Duration lag) {
		}

	}

	/** What an event type does. */
	enum Action {

		/** Evict the session named, or the user when no single session is. */
		SESSION,

		/** Evict every answer of the user. */
		SUBJECT,

		/** A stream's own event: acknowledged. */
		NONE,

		/** Not a type this receiver knows: acknowledged and counted. */
		UNKNOWN

	}

	/**
	 * The answer to a delivery.
	 *
	 * @param status the HTTP status
	 * @param error the RFC 8935 {@code err} code of a refusal, or {@code null}
	 * @param description why, or {@code null}
	 */
	public record Receipt(int status, @Nullable String error, @Nullable String description) {

		static final Receipt ACCEPTED = new Receipt(202, null, null);

		private static final JsonMapper JSON = JsonMapper.builder().build();

		static Receipt refused(SecurityEventException ex) {
			return new Receipt(ex.status(), ex.error(), ex.getMessage());
		}

		/**
		 * Whether the SET was accepted.
		 * @return {@code true} for 202
		 */
		public boolean accepted() {
			return this.status == 202;
		}

		/**
		 * Returns the JSON body of a refusal.
		 * @return {@code {"err": ..., "description": ...}}, or {@code null} when accepted
		 */
		public @Nullable String body() {
			if (this.error == null) {
				return null;
			}
			Map<String, String> body = new LinkedHashMap<>();
			body.put("err", this.error);
			body.put("description", (this.description != null) ? this.description : "");
			return JSON.writeValueAsString(body);
		}

	}

}
