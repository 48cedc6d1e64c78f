package io.github.tokenintrospection.internal.web;

/**
 * The names by which both stacks mark a response whose token was accepted on a stale
 * introspection result. Stack-neutral, so that the reactive classes need no servlet class
 * to read them. Not API: the values are documented in the README.
 */
public final class StaleResponseMarks {

	/** Response header set on a stale result, to the result's age in seconds. */
	public static final String HEADER = "X-Token-Introspection-Stale";

	/**
	 * Request (exchange) attribute set on a stale result, to the age as a
	 * {@code Duration}.
	 */
	public static final String ATTRIBUTE = "io.github.tokenintrospection.web.StaleResponseHeader.age";

	private StaleResponseMarks() {
	}

}
