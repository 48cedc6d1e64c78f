package io.github.tokenintrospection.observation;

import java.time.Duration;

/**
 * One call to the authorization server's introspection endpoint, as seen by listeners.
 *
 * @param outcome what the server answered
 * @param duration how long the call took
 * @param error the failure's class name (simple name), or {@code "none"}
 * @param reason the failure's message (the starter's messages name no token and no
 * secret), or {@code "none"}
 * @param server the authorization server called:
 * {@value IntrospectionDecision#DEFAULT_SERVER}, or the name of one of
 * {@code token-introspection.authorization-servers}
 */
public record IntrospectionCall(Outcome outcome, Duration duration, String error, String reason, String server) {

	/**
	 * A call to the default authorization server.
	 * @param outcome what the server answered
	 * @param duration how long the call took
	 * @param error the failure's class name (simple name), or {@code "none"}
	 * @param reason the failure's message, or {@code "none"}
	 */
	public IntrospectionCall(Outcome outcome, Duration duration, String error, String reason) {
		this(outcome, duration, error, reason, IntrospectionDecision.DEFAULT_SERVER);
	}

	/**
	 * A call whose reason is its error.
	 * @param outcome what the server answered
	 * @param duration how long the call took
	 * @param error the failure's class name (simple name), or {@code "none"}
	 */
	public IntrospectionCall(Outcome outcome, Duration duration, String error) {
		this(outcome, duration, error, error);
	}

	/**
	 * Returns this call as made to the given authorization server.
	 * @param server the server's name
	 * @return the call
	 */
	public IntrospectionCall withServer(String server) {
		return server.equals(this.server) ? this
				: new IntrospectionCall(this.outcome, this.duration, this.error, this.reason, server);
	}

	/**
	 * The call that failed with the given exception.
	 * @param duration how long the call took
	 * @param failure what went wrong
	 * @return the call
	 */
	public static IntrospectionCall failed(Duration duration, Throwable failure) {
		String message = failure.getMessage();
		return new IntrospectionCall(Outcome.ERROR, duration, failure.getClass().getSimpleName(),
				(message != null && !message.isBlank()) ? message : failure.getClass().getSimpleName());
	}

	/**
	 * What a call to the introspection endpoint came to.
	 */
	public enum Outcome {

		/** The server answered: active token. */
		ACTIVE,

		/** The server answered: inactive token. */
		INACTIVE,

		/** No usable answer (I/O error, timeout, non-200, malformed body). */
		ERROR;

		/**
		 * Returns the lower-case name used in metric tags.
		 * @return the tag value
		 */
		public String tagValue() {
			return name().toLowerCase(java.util.Locale.ROOT);
		}

	}

}
