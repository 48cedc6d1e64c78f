package io.github.tokenintrospection.internal.events;

import java.time.Instant;
import java.util.List;

import org.jspecify.annotations.Nullable;

/**
 * A verified Security Event Token: what the receiver acts on.
 *
 * @param jti the SET's identifier, unique per transmitter
 * @param issuedAt when the transmitter issued it
 * @param events the events it carries (SSF sends one per SET)
 */
public record SecurityEvent(String jti, Instant issuedAt, List<Event> events) {

	/**
	 * One event and whom it is about.
	 *
	 * @param type the event type URI
	 * @param subject the user's {@code sub}, when the subject names one
	 * @param session the session's id ({@code sid}), when the subject names one
	 */
	public record Event(String type, @Nullable String subject, @Nullable String session) {
	}

}
