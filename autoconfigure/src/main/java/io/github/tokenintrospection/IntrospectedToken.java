package io.github.tokenintrospection;

import java.io.InvalidObjectException;
import java.io.ObjectInputStream;
import java.io.Serial;
import java.io.Serializable;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.function.Function;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.jspecify.annotations.Nullable;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimAccessor;
import org.springframework.security.oauth2.core.OAuth2TokenIntrospectionClaimNames;

/**
 * Immutable, parsed answer of the authorization server's introspection endpoint for one
 * token. It never holds the token itself, so it can be cached and logged safely.
 * <p>
 * The claims map follows Spring Security's conventions: {@code exp}, {@code iat} and
 * {@code nbf} are {@link Instant}s, {@code scope} and {@code aud} are lists of strings.
 * <p>
 * Serializable, so that a cache that serializes its values (a {@code RedisCacheManager}
 * named by {@code token-introspection.cache.name}) can hold it: the active flag and the
 * claims are written, and reading them back goes through the same factory methods, so a
 * deserialized result is as immutable as any other and the inactive one stays shared.
 */
public final class IntrospectedToken implements OAuth2TokenIntrospectionClaimAccessor, Serializable {

	@Serial
	private static final long serialVersionUID = 1L;

	/** Each name to itself, as the constant (interned) string. */
	private static final Map<String, String> KNOWN_CLAIM_NAMES = Stream
		.of(OAuth2TokenIntrospectionClaimNames.ACTIVE, OAuth2TokenIntrospectionClaimNames.USERNAME,
				OAuth2TokenIntrospectionClaimNames.CLIENT_ID, OAuth2TokenIntrospectionClaimNames.SCOPE,
				OAuth2TokenIntrospectionClaimNames.TOKEN_TYPE, OAuth2TokenIntrospectionClaimNames.EXP,
				OAuth2TokenIntrospectionClaimNames.IAT, OAuth2TokenIntrospectionClaimNames.NBF,
				OAuth2TokenIntrospectionClaimNames.SUB, OAuth2TokenIntrospectionClaimNames.AUD,
				OAuth2TokenIntrospectionClaimNames.ISS, OAuth2TokenIntrospectionClaimNames.JTI, "typ", "cnf", "sid",
				"azp", "scp", "preferred_username", "realm_access", "resource_access")
		.collect(Collectors.toUnmodifiableMap(Function.identity(), Function.identity()));

	private static final IntrospectedToken INACTIVE = new IntrospectedToken(false, Map.of(), false, null, null);

	private static final IntrospectedToken INACTIVE_SIGNED = new IntrospectedToken(false, Map.of(), true, null, null);

	private final boolean active;

	private final Map<String, Object> claims;

	private final boolean signedAnswer;

	private final @Nullable String signedAnswerSha256;

	private final @Nullable String signedAnswerEvidence;

	/**
	 * Authorities derived from the claims by the introspector, kept with this result so
	 * that a cached result is not mapped again on every request.
	 */
	private transient volatile @Nullable Derived derived;

	private IntrospectedToken(boolean active, Map<String, Object> claims, boolean signedAnswer,
			@Nullable String signedAnswerSha256, @Nullable String signedAnswerEvidence) {
		this.active = active;
		this.claims = claims;
		this.signedAnswer = signedAnswer;
		this.signedAnswerSha256 = signedAnswerSha256;
		this.signedAnswerEvidence = signedAnswerEvidence;
	}

	/**
	 * Returns the result for a token the authorization server does not consider active.
	 * @return the shared inactive result, which carries no claims
	 */
	public static IntrospectedToken inactive() {
		return INACTIVE;
	}

	/**
	 * Creates the result for an active token.
	 * @param claims the normalized claims (see the class description)
	 * @return an active result holding an unmodifiable copy of the claims
	 */
	public static IntrospectedToken active(Map<String, Object> claims) {
		return new IntrospectedToken(true, withKnownNamesShared(claims), false, null, null);
	}

	/**
	 * An unmodifiable copy in which the claim names that the starter and Spring Security
	 * read on every request are the very string constants they read them with: a lookup
	 * then compares references instead of characters (the parsed names are new strings).
	 */
	@SuppressWarnings("unchecked")
	private static Map<String, Object> withKnownNamesShared(Map<String, Object> claims) {
		Map.Entry<String, Object>[] entries = new Map.Entry[claims.size()];
		int i = 0;
		for (Map.Entry<String, Object> claim : claims.entrySet()) {
			String name = claim.getKey();
			entries[i++] = Map.entry(KNOWN_CLAIM_NAMES.getOrDefault(name, name), claim.getValue());
		}
		return Map.ofEntries(entries);
	}

	/**
	 * Returns the same result, marked as read from a signed answer (RFC 9701) whose
	 * signature, issuer, audience and age were verified.
	 * @return the marked result
	 */
	public IntrospectedToken asSignedAnswer() {
		if (this.signedAnswer) {
			return this;
		}
		return this.active ? new IntrospectedToken(true, this.claims, true, null, null) : INACTIVE_SIGNED;
	}

	/**
	 * Returns the same result, marked as read from a verified signed answer, with the
	 * evidence kept ({@code token-introspection.signed-answers.keep-evidence}).
	 * @param sha256 the SHA-256 (lowercase hex) of the signed answer as received
	 * @param evidence the signed answer itself (a compact JWT), or {@code null} when it
	 * must not be kept (Keycloak's {@code jwt} member is a copy of the token)
	 * @return the marked result
	 */
	public IntrospectedToken asSignedAnswer(String sha256, @Nullable String evidence) {
		return new IntrospectedToken(this.active, this.claims, true, sha256, evidence);
	}

	/**
	 * The SHA-256 (lowercase hex) of the verified signed answer, when evidence is kept;
	 * the audit trail reports it as {@code answer_sha256}.
	 * @return the digest, or {@code null}
	 */
	public @Nullable String signedAnswerSha256() {
		return this.signedAnswerSha256;
	}

	/**
	 * The verified signed answer (RFC 9701) as received, a compact JWT, when evidence is
	 * kept: proof, for whoever keeps it, of what the authorization server said.
	 * @return the signed answer, or {@code null}
	 */
	public @Nullable String signedAnswer() {
		return this.signedAnswerEvidence;
	}

	/**
	 * Whether the authorization server's answer was a signed JWT (RFC 9701) that the
	 * starter verified, rather than plain JSON; the audit trail reports it as
	 * {@code format=jwt}.
	 * @return {@code true} for a verified signed answer
	 */
	public boolean isSignedAnswer() {
		return this.signedAnswer;
	}

	/**
	 * Whether the authorization server answered {@code "active": true}.
	 * @return {@code true} only for an active token
	 */
	@Override
	public boolean isActive() {
		return this.active;
	}

	@Override
	public Map<String, Object> getClaims() {
		return this.claims;
	}

	/**
	 * Returns the expiry instant, or {@code null} when the server sent no {@code exp}.
	 * @return the {@code exp} claim
	 */
	public @Nullable Instant expiresAt() {
		return (Instant) this.claims.get(OAuth2TokenIntrospectionClaimNames.EXP);
	}

	/**
	 * Whether the token has an {@code exp} that is not after the given instant.
	 * @param now the instant to compare with
	 * @return {@code true} when the token is expired at {@code now}
	 */
	public boolean isExpiredAt(Instant now) {
		Instant expiresAt = expiresAt();
		return expiresAt != null && !expiresAt.isAfter(now);
	}

	/**
	 * Returns a claim as a string, or {@code null} when it is absent or not a string.
	 * @param name the claim name
	 * @return the claim value
	 */
	public @Nullable String stringClaim(String name) {
		return (this.claims.get(name) instanceof String value) ? value : null;
	}

	/**
	 * Returns a claim that holds either a space-delimited string or a list of strings as
	 * a list, which is how servers differ in sending {@code scope}-like claims.
	 * @param name the claim name
	 * @return the values, empty when the claim is absent or of another type
	 */
	public List<String> stringListClaim(String name) {
		Object value = this.claims.get(name);
		if (value instanceof String string) {
			String trimmed = string.strip();
			return trimmed.isEmpty() ? List.of() : List.of(trimmed.split(" +"));
		}
		if (value instanceof Collection<?> collection) {
			List<String> strings = new ArrayList<>(collection.size());
			for (Object element : collection) {
				if (element instanceof String elementString) {
					strings.add(elementString);
				}
			}
			return strings;
		}
		return List.of();
	}

	/**
	 * Returns the authorities that the given pure function derives from these claims,
	 * computing them on first use and keeping them for the next calls with the same
	 * function (the introspectors use it so that a cached token does not map its scopes
	 * again).
	 * @param converter a function of the claims alone, compared by identity
	 * @return the authorities
	 */
	public Collection<GrantedAuthority> authorities(
			Function<IntrospectedToken, Collection<GrantedAuthority>> converter) {
		return derive(converter);
	}

	/**
	 * Returns what the given pure function derives from these claims (the principal of
	 * the token, for one), computing it on first use and keeping it for the next calls
	 * with the same function, so that a cached token is not mapped again on every
	 * request. One value is kept: a call with another function replaces it.
	 * @param <T> the type of the derived value
	 * @param function a function of the claims alone, compared by identity; its value
	 * must be immutable, as every request for the token shares it
	 * @return the derived value
	 */
	@SuppressWarnings("unchecked")
	public <T> T derive(Function<IntrospectedToken, T> function) {
		Derived kept = this.derived;
		if (kept != null && kept.function() == function) {
			return (T) kept.value();
		}
		T value = function.apply(this);
		// Racing threads compute equal values; either may stay.
		this.derived = new Derived(function, value);
		return value;
	}

	@Serial
	private Object writeReplace() {
		return new SerializedForm(this.active, this.claims, this.signedAnswer, this.signedAnswerSha256,
				this.signedAnswerEvidence);
	}

	@Serial
	private void readObject(ObjectInputStream stream) throws InvalidObjectException {
		throw new InvalidObjectException("An IntrospectedToken is read through its serialized form");
	}

	private record Derived(Object function, Object value) {
	}

	/**
	 * What is written of a result: its derived authorities are left out, to be computed
	 * again.
	 *
	 * @param active whether the token is active
	 * @param claims the claims
	 * @param signedAnswer whether the answer was a verified signed JWT (absent, so false,
	 * in forms written before it existed)
	 * @param signedAnswerSha256 the signed answer's digest, when kept
	 * @param signedAnswerEvidence the signed answer, when kept
	 */
	private record SerializedForm(boolean active, Map<String, Object> claims, boolean signedAnswer,
			@Nullable String signedAnswerSha256, @Nullable String signedAnswerEvidence) implements Serializable {

		@Serial
		private static final long serialVersionUID = 1L;

		@Serial
		private Object readResolve() {
			IntrospectedToken token = this.active ? IntrospectedToken.active(this.claims) : INACTIVE;
			if (this.signedAnswerSha256 != null) {
				return token.asSignedAnswer(this.signedAnswerSha256, this.signedAnswerEvidence);
			}
			return this.signedAnswer ? token.asSignedAnswer() : token;
		}

	}

}
