package io.github.tokenintrospection.cache;

/**
 * Leaves the active cache's loader without storing anything; carries no stack trace.
 */
final class InactiveTokenSignal extends RuntimeException {

	private static final long serialVersionUID = 1L;

	static final InactiveTokenSignal INSTANCE = new InactiveTokenSignal();

	private InactiveTokenSignal() {
		super("inactive token", null, false, false);
	}

}
