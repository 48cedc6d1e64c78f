package io.github.tokenintrospection.internal.jose;

import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Set;

import com.nimbusds.jose.Algorithm;
import com.nimbusds.jose.JWSAlgorithm;

/**
 * The signature algorithms an allow-list may hold: asymmetric ones only. {@code none}
 * would accept anything, and an HMAC would let whoever knows the (public) key sign.
 */
public final class SignatureAlgorithms {

	private SignatureAlgorithms() {
	}

	/**
	 * Parses an allow-list.
	 * @param names the algorithms' JOSE names, such as {@code RS256}
	 * @return the algorithms
	 * @throws IllegalArgumentException naming the first algorithm that is refused
	 */
	public static Set<JWSAlgorithm> parse(Collection<String> names) {
		Set<JWSAlgorithm> algorithms = new LinkedHashSet<>();
		for (String name : names) {
			algorithms.add(JWSAlgorithm.parse(name.strip()));
		}
		check(algorithms);
		return algorithms;
	}

	static void check(Set<JWSAlgorithm> algorithms) {
		if (algorithms.isEmpty()) {
			throw new IllegalArgumentException("at least one signature algorithm is needed");
		}
		for (JWSAlgorithm algorithm : algorithms) {
			if (Algorithm.NONE.getName().equals(algorithm.getName())) {
				throw new IllegalArgumentException("'none' is not a signature");
			}
			if (JWSAlgorithm.Family.HMAC_SHA.contains(algorithm)) {
				throw new IllegalArgumentException(
						algorithm + " is an HMAC, which anyone who knows the key can sign with");
			}
			if (!JWSAlgorithm.Family.SIGNATURE.contains(algorithm)) {
				throw new IllegalArgumentException(algorithm + " is not a known asymmetric signature algorithm");
			}
		}
	}

}
