package io.github.tokenintrospection.cache;

import org.springframework.cache.Cache;

/**
 * A cache shared by the instances of an application, whose evictions are meant to reach all
 * of them and can fail to (the shared store does not answer).
 */
public interface SharedCache extends Cache {

	/**
	 * Evicts the key here, from the shared store and on every other instance.
	 * @param key the key
	 * @return {@code true} when the shared store and the other instances were reached;
	 * {@code false} when only this instance was, the rest being retried later
	 */
	boolean evictEverywhere(Object key);

	/**
	 * Clears this cache here, in the shared store and on every other instance.
	 * @return {@code true} when the shared store and the other instances were reached;
	 * {@code false} when only this instance was, the rest being retried later
	 */
	boolean clearEverywhere();

	/**
	 * Returns this instance's own part of the cache.
	 * @return the local cache
	 */
	Cache local();

}
