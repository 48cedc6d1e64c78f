package io.github.tokenintrospection.observation;

/**
 * Where the introspection result behind a decision came from.
 */
public enum CacheStatus {

	/** The cache of active tokens had it. */
	HIT,

	/** The authorization server was asked. */
	MISS,

	/** The cache of inactive tokens had it. */
	NEGATIVE_HIT,

	/**
	 * The authorization server failed and a recent answer was used (stale-if-error).
	 */
	STALE,

	/** Caching is switched off, or the decision came before any lookup. */
	NONE;

	/**
	 * Returns the lower-case name used in metric tags and audit lines.
	 * @return the tag value
	 */
	public String tagValue() {
		return name().toLowerCase(java.util.Locale.ROOT);
	}

}
