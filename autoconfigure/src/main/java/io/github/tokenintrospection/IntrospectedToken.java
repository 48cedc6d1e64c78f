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
	private transient volatile @Nullable DerivedAuthorities derivedAuthorities;

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
		return new IntrospectedToken(true, Map.copyOf(claims), false, null, null);
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
		DerivedAuthorities derived = this.derivedAuthorities;
		if (derived != null && derived.converter() == converter) {
			return derived.authorities();
		}
		Collection<GrantedAuthority> authorities = converter.apply(this);
		// Racing threads compute equal values; either may stay.
		this.derivedAuthorities = new DerivedAuthorities(converter, authorities);
		return authorities;
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

	private record DerivedAuthorities(Object converter, Collection<GrantedAuthority> authorities) {
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
