package io.github.tokenintrospection.internal.possession;

import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;

/**
 * What an introspection answer binds its token to ({@code cnf}, RFC 7800): on an accepted
 * token, also the proof that was checked, which meters and the audit trail name (never
 * the proof itself).
 */
public enum Binding {

	/** A bearer token: no proof. */
	NONE("none"),

	/** Bound to a DPoP key ({@code cnf.jkt}, RFC 9449). */
	DPOP("dpop"),

	/** Bound to a TLS client certificate ({@code cnf.x5t#S256}, RFC 8705). */
	CERTIFICATE("certificate"),

	/** Bound to both. */
	DPOP_AND_CERTIFICATE("dpop+certificate");

	private final String tagValue;

	Binding(String tagValue) {
		this.tagValue = tagValue;
	}

	/**
	 * Returns the value meters and audit lines use.
	 * @return the value
	 */
	public String tagValue() {
		return this.tagValue;
	}

	/**
	 * Reads the binding of an answer.
	 * @param token the answer
	 * @return its binding, {@link #NONE} for an inactive one
	 */
	public static Binding of(IntrospectedToken token) {
		Map<?, ?> confirmation = confirmation(token);
		boolean key = confirmation.get("jkt") != null;
		boolean certificate = confirmation.get("x5t#S256") != null;
		if (key) {
			return certificate ? DPOP_AND_CERTIFICATE : DPOP;
		}
		return certificate ? CERTIFICATE : NONE;
	}

	/** The answer's {@code cnf} member; empty when it has none or it is not an object. */
	static Map<?, ?> confirmation(IntrospectedToken token) {
		return (token.getClaims().get("cnf") instanceof Map<?, ?> cnf) ? cnf : Map.of();
	}

}
