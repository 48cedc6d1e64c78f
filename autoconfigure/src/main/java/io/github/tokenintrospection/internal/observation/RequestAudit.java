package io.github.tokenintrospection.internal.observation;

import java.util.function.Supplier;

import org.jspecify.annotations.Nullable;

/**
 * What the audit trail knows of one HTTP request: its correlation id, the token decision
 * made for it, and the authorization rule that denied it, if one did. The web filters of
 * both stacks open one per request; the decision and the authorization events find it
 * through {@link #current()} while they run on the request's behalf.
 */
public final class RequestAudit {

	private static final ThreadLocal<@Nullable RequestAudit> current = new ThreadLocal<>();

	private final String id;

	private volatile @Nullable String decision;

	private volatile @Nullable String fingerprint;

	private volatile @Nullable String subject;

	private volatile boolean decisionRecorded;

	private volatile @Nullable String deniedRule;

	/**
	 * Creates the record of one request.
	 * @param id the request's correlation id, shared by its decision and outcome lines
	 */
	public RequestAudit(String id) {
		this.id = id;
	}

	/**
	 * Returns the record of the request the current thread works for, if any.
	 * @return the record, or {@code null}
	 */
	public static @Nullable RequestAudit current() {
		return current.get();
	}

	/**
	 * Runs an action on behalf of a request, so that what it decides is recorded for it.
	 * @param <T> the action's result type
	 * @param audit the request's record, or {@code null} to run the action as it is
	 * @param action the action
	 * @return the action's result
	 */
	public static <T> T within(@Nullable RequestAudit audit, Supplier<T> action) {
		if (audit == null) {
			return action.get();
		}
		RequestAudit previous = current.get();
		current.set(audit);
		try {
			return action.get();
		}
		finally {
			restore(previous);
		}
	}

	/**
	 * Makes this record the current thread's until {@link #close(RequestAudit)}.
	 * @return the record that was current before, to hand back to {@link #close}
	 */
	public @Nullable RequestAudit open() {
		RequestAudit previous = current.get();
		current.set(this);
		return previous;
	}

	/**
	 * Ends what {@link #open()} began.
	 * @param previous what {@link #open()} returned
	 */
	public static void close(@Nullable RequestAudit previous) {
		restore(previous);
	}

	private static void restore(@Nullable RequestAudit previous) {
		if (previous == null) {
			current.remove();
		}
		else {
			current.set(previous);
		}
	}

	/**
	 * Returns the request's correlation id.
	 * @return the id
	 */
	public String id() {
		return this.id;
	}

	void decided(String decision, String fingerprint, @Nullable String subject, boolean recorded) {
		this.decision = decision;
		this.fingerprint = fingerprint;
		this.subject = subject;
		this.decisionRecorded = recorded;
	}

	/**
	 * Records the authorization rule that denied the request.
	 * @param rule the rule, as the application wrote it where possible
	 */
	public void denied(String rule) {
		this.deniedRule = rule;
	}

	/**
	 * Whether a token decision was made for the request.
	 * @return {@code true} once the request's token was accepted, rejected or not decided
	 * on
	 */
	public boolean hasDecision() {
		return this.decision != null;
	}

	@Nullable String decision() {
		return this.decision;
	}

	@Nullable String fingerprint() {
		return this.fingerprint;
	}

	@Nullable String subject() {
		return this.subject;
	}

	boolean decisionRecorded() {
		return this.decisionRecorded;
	}

	@Nullable String deniedRule() {
		return this.deniedRule;
	}

}
