package io.github.tokenintrospection.internal.possession;

import java.time.Duration;

/**
 * Remembers which DPoP proofs were used, so that each is accepted once while its
 * {@code iat} window is open: in this instance's memory, or in Redis for the whole fleet
 * when the token cache is shared.
 */
public interface ProofReplays {

	/**
	 * Records a proof's first use.
	 * @param key the proof's key (its key thumbprint and {@code jti}), never the proof
	 * @param window how long the proof could be presented again
	 * @return {@code true} the first time, {@code false} for a replay
	 */
	boolean firstUse(String key, Duration window);

	/**
	 * Whether recording waits for the network, so that a reactive caller must not call it
	 * on an event loop.
	 * @return {@code true} for a remote store
	 */
	default boolean blocks() {
		return false;
	}

}
