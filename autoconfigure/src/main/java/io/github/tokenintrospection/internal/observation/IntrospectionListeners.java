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

	/**
	 * Combines listeners.
	 * @param listeners the listeners, called in order
	 */
	public IntrospectionListeners(List<IntrospectionListener> listeners) {
		this.listeners = List.copyOf(listeners);
	}

	@Override
	public void introspectionCalled(IntrospectionCall call) {
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
