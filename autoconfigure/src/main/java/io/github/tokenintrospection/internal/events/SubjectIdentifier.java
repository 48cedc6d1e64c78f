package io.github.tokenintrospection.internal.events;

import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * Reads whom an event is about from a Subject Identifier (RFC 9493, {@code sub_id}): the
 * user as the introspection answers name it ({@code sub}) and the session ({@code sid}).
 * Formats: {@code iss_sub} and {@code opaque} name a user; {@code complex} names a user
 * in its {@code user} member and a session in its {@code session} member. Others (an
 * {@code email}, a phone number) cannot be matched with cached answers: neither user nor
 * session.
 *
 * @param subject the user's {@code sub}, or {@code null}
 * @param session the session's id, or {@code null}
 */
record SubjectIdentifier(@Nullable String subject, @Nullable String session) {

	static final SubjectIdentifier NONE = new SubjectIdentifier(null, null);

	/** Longest identifier taken: a {@code sub} is at most 255 characters (OIDC). */
	private static final int MAX_LENGTH = 1024;

	static SubjectIdentifier of(@Nullable Object subId) {
		if (!(subId instanceof Map<?, ?> identifier)) {
			return NONE;
		}
		Object format = identifier.get("format");
		if ("complex".equals(format)) {
			return new SubjectIdentifier(user(identifier.get("user")), opaque(identifier.get("session")));
		}
		return new SubjectIdentifier(user(identifier), null);
	}

	private static @Nullable String user(@Nullable Object member) {
		if (!(member instanceof Map<?, ?> identifier)) {
			return null;
		}
		Object format = identifier.get("format");
		if ("iss_sub".equals(format)) {
			return text(identifier.get("sub"));
		}
		if ("opaque".equals(format)) {
			return text(identifier.get("id"));
		}
		return null;
	}

	private static @Nullable String opaque(@Nullable Object member) {
		return (member instanceof Map<?, ?> identifier && "opaque".equals(identifier.get("format")))
				? text(identifier.get("id")) : null;
	}

	private static @Nullable String text(@Nullable Object value) {
		return (value instanceof String text && !text.isBlank() && text.length() <= MAX_LENGTH) ? text : null;
	}

}
