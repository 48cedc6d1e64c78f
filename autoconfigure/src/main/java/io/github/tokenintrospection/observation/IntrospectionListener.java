package io.github.tokenintrospection.observation;

/**
 * Told about every call to the authorization server and every decision. Metrics, health
 * and the audit trail are listeners; declare a bean of this type to add your own.
 * Listeners run on the request thread: keep them quick, and never let them throw.
 */
public interface IntrospectionListener {

	/**
	 * Called after each call to the introspection endpoint.
	 * @param call what happened
	 */
	default void introspectionCalled(IntrospectionCall call) {
	}

	/**
	 * Called once per authenticated or rejected request.
	 * @param decision the verdict
	 */
	default void decisionMade(IntrospectionDecision decision) {
	}

}
