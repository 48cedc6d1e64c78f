package io.github.tokenintrospection.internal.introspector;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.function.Function;
import java.util.stream.Collectors;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.cache.TokenLookup.Lookup;
import io.github.tokenintrospection.internal.jwt.LocalJwtRejectedException;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.possession.ProofOfPossessionException;
import io.github.tokenintrospection.observation.CacheStatus;
import io.github.tokenintrospection.observation.IntrospectionDecision.Outcome;
import io.github.tokenintrospection.observation.IntrospectionDecision.Path;
import io.github.tokenintrospection.observation.IntrospectionDecision;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.validation.ClaimValidationError;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.util.Assert;

/**
 * What both introspectors, blocking and reactive, do once a token has been looked up:
 * validate the claims (on every request, cached or not), build the principal with its
 * authorities, and tell the listeners (metrics, audit trail) what was decided and why.
 */
public final class IntrospectionDecider {

	private static final String CUSTOM_REASON = "custom";

	private final IntrospectionClaimsValidator validator;

	private final Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter;

	private final String principalClaimName;

	private final IntrospectionListener listener;

	private final @Nullable PossessionCheck possession;

	/**
	 * The principal as a function of the claims alone, kept with a (cached) token, when
	 * the authorities come from the built-in converter; {@code null} for any other
	 * converter, which is called on every request.
	 */
	private final @Nullable Function<IntrospectedToken, OAuth2AuthenticatedPrincipal> purePrincipal;

	/**
	 * Creates a decider.
	 * @param validator the validator of an active token's claims
	 * @param authoritiesConverter maps claims to authorities
	 * @param principalClaimName the claim that names the principal; {@code sub} is used
	 * when the token lacks it
	 * @param listener told about every decision
	 */
	public IntrospectionDecider(IntrospectionClaimsValidator validator,
			Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter, String principalClaimName,
			IntrospectionListener listener) {
		this(validator, authoritiesConverter, principalClaimName, listener, null);
	}

	/**
	 * Creates a decider that also holds tokens to their sender constraint.
	 * @param validator validates an active token's claims
	 * @param authoritiesConverter maps claims to authorities
	 * @param principalClaimName the claim that names the principal; {@code sub} is used
	 * when the token lacks it
	 * @param listener told about every decision
	 * @param possession the sender-constraint rules, or {@code null} for none
	 */
	public IntrospectionDecider(IntrospectionClaimsValidator validator,
			Converter<IntrospectedToken, Collection<GrantedAuthority>> authoritiesConverter, String principalClaimName,
			IntrospectionListener listener, @Nullable PossessionCheck possession) {
		this.possession = possession;
		Assert.notNull(validator, "validator must not be null");
		Assert.notNull(authoritiesConverter, "authoritiesConverter must not be null");
		Assert.hasText(principalClaimName, "principalClaimName must not be empty");
		Assert.notNull(listener, "listener must not be null");
		this.validator = validator;
		this.authoritiesConverter = authoritiesConverter;
		this.principalClaimName = principalClaimName;
		this.listener = listener;
		this.purePrincipal = (authoritiesConverter instanceof IntrospectionAuthoritiesConverter builtIn)
				? (token) -> principal(token, builtIn.convert(token)) : null;
	}

	/**
	 * Accepts or rejects a looked-up token.
	 * @param found the lookup's result
	 * @return the principal of an active token whose claims are valid
	 * @throws BadOpaqueTokenException when the token is inactive or a claim is invalid
	 */
	public OAuth2AuthenticatedPrincipal decide(Lookup found) {
		return decide(found, null, null);
	}

	/**
	 * Checks a request's DPoP proof before the token is looked up, so that a junk proof
	 * costs no call; a failure is told to the listeners.
	 * @param presented what the caller presented, or {@code null} outside a request
	 * @param token the raw token
	 * @return the thumbprint of the proof's key, or {@code null} without a proof
	 * @throws ProofOfPossessionException when the proof is not valid
	 */
	public @Nullable String checkProof(@Nullable PresentedCredentials presented, String token) {
		if (this.possession == null) {
			return null;
		}
		try {
			return this.possession.beforeLookup(presented, token);
		}
		catch (ProofOfPossessionException ex) {
			this.listener.decisionMade(new IntrospectionDecision(Outcome.REJECTED, List.of(ex.getReason()),
					CacheStatus.NONE, IntrospectionCacheControl.fingerprint(token), IntrospectedToken.inactive()));
			throw ex;
		}
	}

	/**
	 * Whether {@link #checkProof} waits for the network.
	 * @return {@code true} when a reactive caller must check proofs off the event loop
	 */
	public boolean proofCheckBlocks() {
		return this.possession != null && this.possession.proofCheckBlocks();
	}

	/**
	 * Accepts or rejects a looked-up token presented by a caller.
	 * @param found the lookup's result
	 * @param presented what the caller presented, or {@code null} outside a request
	 * @param proofThumbprint the thumbprint {@link #checkProof} returned
	 * @return the principal of an active token whose claims are valid and whose sender
	 * constraint holds
	 * @throws BadOpaqueTokenException when the token is inactive, a claim is invalid or
	 * the caller did not prove possession
	 */
	public OAuth2AuthenticatedPrincipal decide(Lookup found, @Nullable PresentedCredentials presented,
			@Nullable String proofThumbprint) {
		IntrospectedToken introspected = found.token();
		if (!introspected.isActive()) {
			reject(found, List.of("inactive"));
			throw new InactiveTokenException();
		}
		OAuth2TokenValidatorResult result = this.validator.validate(introspected);
		if (result.hasErrors()) {
			reject(found, reasons(result));
			throw new BadOpaqueTokenException(describe(result));
		}
		if (this.possession != null) {
			ProofOfPossessionException unproven = this.possession.afterLookup(introspected, presented, proofThumbprint);
			if (unproven != null) {
				reject(found, List.of(unproven.getReason()));
				throw unproven;
			}
		}
		OAuth2AuthenticatedPrincipal principal = (this.purePrincipal != null) ? introspected.derive(this.purePrincipal)
				: principal(introspected, this.authoritiesConverter.convert(introspected));
		this.listener.decisionMade(new IntrospectionDecision(Outcome.ACCEPTED, List.of(), found.cacheStatus(),
				found.fingerprint(), introspected, found.path()));
		return principal;
	}

	/** Immutable, so that the requests of one cached token may share it. */
	private OAuth2AuthenticatedPrincipal principal(IntrospectedToken token,
			@Nullable Collection<GrantedAuthority> authorities) {
		return new OAuth2IntrospectionAuthenticatedPrincipal(principalName(token), token.getClaims(), authorities);
	}

	/**
	 * Tells the listeners about a lookup that failed: a token refused before any lookup
	 * (too long, not token syntax), or an authorization server that could not answer.
	 * @param failure what the lookup threw
	 * @param token the raw token, only to compute its fingerprint
	 * @return the failure, to be rethrown
	 */
	public RuntimeException lookupFailed(RuntimeException failure, String token) {
		if (failure instanceof LocalJwtRejectedException rejected) {
			// The issuer's JWT, refused by local verification: worth a fingerprint.
			this.listener.decisionMade(
					new IntrospectionDecision(Outcome.REJECTED, List.of(rejected.getReason()), CacheStatus.NONE,
							IntrospectionCacheControl.fingerprint(token), IntrospectedToken.inactive(), Path.LOCAL));
		}
		else if (failure instanceof BadOpaqueTokenException) {
			// Refused before any lookup: not worth hashing.
			decide(Outcome.REJECTED, List.of("malformed"), "none");
		}
		else if (failure instanceof OAuth2IntrospectionException) {
			decide(Outcome.ERROR, List.of("unavailable"), IntrospectionCacheControl.fingerprint(token));
		}
		return failure;
	}

	private void decide(Outcome outcome, List<String> reasons, String fingerprint) {
		this.listener.decisionMade(new IntrospectionDecision(outcome, reasons, CacheStatus.NONE, fingerprint,
				IntrospectedToken.inactive()));
	}

	private void reject(Lookup found, List<String> reasons) {
		this.listener.decisionMade(new IntrospectionDecision(Outcome.REJECTED, reasons, found.cacheStatus(),
				found.fingerprint(), found.token(), found.path()));
	}

	private static List<String> reasons(OAuth2TokenValidatorResult result) {
		List<String> reasons = new ArrayList<>(result.getErrors().size());
		for (OAuth2Error error : result.getErrors()) {
			String reason = (error instanceof ClaimValidationError claimError) ? claimError.getReason() : CUSTOM_REASON;
			if (!reasons.contains(reason)) {
				reasons.add(reason);
			}
		}
		return reasons;
	}

	/**
	 * The configured claim, else {@code sub}, else {@code client_id} (a
	 * client-credentials token of a server that sends no {@code sub}), else empty: never
	 * {@code null}, which applications calling {@code getName()} would not expect.
	 */
	private String principalName(IntrospectedToken token) {
		for (String claim : new String[] { this.principalClaimName, "sub", "client_id" }) {
			String name = token.stringClaim(claim);
			if (name != null && !name.isEmpty()) {
				return name;
			}
		}
		return "";
	}

	private static String describe(OAuth2TokenValidatorResult result) {
		return result.getErrors().stream().map(OAuth2Error::getDescription).collect(Collectors.joining("; "));
	}

}
