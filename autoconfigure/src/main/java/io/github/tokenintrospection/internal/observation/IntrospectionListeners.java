package io.github.tokenintrospection.internal.observation;

import java.util.List;

import io.github.tokenintrospection.observation.IntrospectionCall;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;

/**
 * Several listeners as one; a failing listener is logged and does not stop the others or
 * the request.
 */
public final class IntrospectionListeners implements IntrospectionListener {

	private static final Log logger = LogFactory.getLog(IntrospectionListeners.class);

	private final List<IntrospectionListener> listeners;

	private final String server;

	/**
	 * Combines listeners of the default authorization server.
	 * @param listeners the listeners, called in order
	 */
	public IntrospectionListeners(List<IntrospectionListener> listeners) {
		this(listeners, IntrospectionDecision.DEFAULT_SERVER);
	}

	/**
	 * Combines listeners of one authorization server's pipeline.
	 * @param listeners the listeners, called in order
	 * @param server the server's name, given to every call and decision
	 */
	public IntrospectionListeners(List<IntrospectionListener> listeners, String server) {
		this.listeners = List.copyOf(listeners);
		this.server = server;
	}

	@Override
	public void introspectionCalled(IntrospectionCall call) {
		call = call.withServer(this.server);
		for (IntrospectionListener listener : this.listeners) {
			try {
				listener.introspectionCalled(call);
			}
			catch (RuntimeException ex) {
				logger.warn("Introspection listener " + listener.getClass().getName() + " failed: " + ex);
			}
		}
	}

	@Override
	public void decisionMade(IntrospectionDecision decision) {
		decision = decision.withServer(this.server);
		for (IntrospectionListener listener : this.listeners) {
			try {
				listener.decisionMade(decision);
			}
			catch (RuntimeException ex) {
				logger.warn("Introspection listener " + listener.getClass().getName() + " failed: " + ex);
			}
		}
	}

}
