package io.github.tokenintrospection.internal.events;

import java.nio.charset.StandardCharsets;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.RateLimitReachedException;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import com.nimbusds.jwt.proc.JWTClaimsSetVerifier;
import org.apache.commons.logging.Log;
import org.apache.commons.logging.LogFactory;
import org.jspecify.annotations.Nullable;

/**
 * Verifies a Security Event Token as RFC 8417 and RFC 8935 ask: a JWS whose {@code typ}
 * is {@code secevent+jwt}, signed with an allowed asymmetric algorithm by a key of the
 * transmitter's JWKS, from the configured issuer, to this receiver's audience, issued
 * within the accepted window, with a {@code jti} and an {@code events} object. The cheap
 * rules come before the signature. Each refusal says which rule, in RFC 8935's codes.
 */
public final class SecurityEventTokenVerifier {

	private static final Log logger = LogFactory.getLog(SecurityEventTokenVerifier.class);

	static final JOSEObjectType TYPE = new JOSEObjectType("secevent+jwt");

	private static final JOSEObjectType MEDIA_TYPE = new JOSEObjectType("application/secevent+jwt");

	/** Longest {@code jti} remembered; longer ones are refused. */
	private static final int MAX_JTI_LENGTH = 256;

	/** Most events read from one SET (SSF sends one). */
	private static final int MAX_EVENTS = 16;

	private final DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();

	private final Set<JWSAlgorithm> algorithms;

	private final Supplier<String> issuer;

	private final String audience;

	private final Duration maxAge;

	private final Duration clockSkew;

	private final Clock clock;

	/**
	 * Creates the verifier.
	 * @param keys the transmitter's keys
	 * @param algorithms the accepted signature algorithms (asymmetric)
	 * @param issuer gives the transmitter's issuer (it may be discovered)
	 * @param audience this receiver's audience, as the stream gives it
	 * @param maxAge the oldest {@code iat} accepted
	 * @param clockSkew how far in the future an {@code iat} may be
	 * @param clock tells now
	 */
	public SecurityEventTokenVerifier(JWKSource<SecurityContext> keys, Set<JWSAlgorithm> algorithms,
			Supplier<String> issuer, String audience, Duration maxAge, Duration clockSkew, Clock clock) {
		this.algorithms = Set.copyOf(algorithms);
		this.issuer = issuer;
		this.audience = audience;
		this.maxAge = maxAge;
		this.clockSkew = clockSkew;
		this.clock = clock;
		this.processor.setJWSKeySelector(new JWSVerificationKeySelector<>(this.algorithms, keys));
		// Type and claims are checked before; the processor checks the signature only.
		this.processor.setJWSTypeVerifier((type, context) -> {
		});
		this.processor.setJWTClaimsSetVerifier(NO_MORE_CLAIMS);
	}

	private static final JWTClaimsSetVerifier<SecurityContext> NO_MORE_CLAIMS = (claims, context) -> {
	};

	/**
	 * Verifies a delivered SET.
	 * @param body the request body: the SET in compact form
	 * @return the event
	 * @throws SecurityEventException saying which rule it fails; status 503 when the
	 * transmitter's keys cannot be had
	 */
	public SecurityEvent verify(byte[] body) {
		SignedJWT jwt = parse(body);
		JOSEObjectType type = jwt.getHeader().getType();
		if (!TYPE.equals(type) && !MEDIA_TYPE.equals(type)) {
			throw invalid("typ is not secevent+jwt");
		}
		if (!this.algorithms.contains(jwt.getHeader().getAlgorithm())) {
			throw invalid("alg is not one of the accepted algorithms");
		}
		JWTClaimsSet claims = claims(jwt);
		SecurityEvent event = event(claims);
		verifySignature(jwt);
		return event;
	}

	private static SignedJWT parse(byte[] body) {
		try {
			return SignedJWT.parse(new String(body, StandardCharsets.US_ASCII).strip());
		}
		catch (ParseException | RuntimeException ex) {
			throw invalid("the body is not a signed JWT");
		}
	}

	private static JWTClaimsSet claims(SignedJWT jwt) {
		try {
			return jwt.getJWTClaimsSet();
		}
		catch (ParseException | RuntimeException ex) {
			throw invalid("the payload is not a JSON object of claims");
		}
	}

	private SecurityEvent event(JWTClaimsSet claims) {
		String expectedIssuer = this.issuer.get();
		if (!expectedIssuer.equals(claims.getClaim("iss"))) {
			throw new SecurityEventException(SecurityEventException.INVALID_ISSUER, "iss is not the transmitter's");
		}
		if (!audience(claims).contains(this.audience)) {
			throw new SecurityEventException(SecurityEventException.INVALID_AUDIENCE,
					"aud does not name this receiver");
		}
		Instant issuedAt = issuedAt(claims);
		if (!(claims.getClaim("jti") instanceof String jti) || jti.isBlank() || jti.length() > MAX_JTI_LENGTH) {
			throw invalid("jti is missing, empty or longer than " + MAX_JTI_LENGTH + " characters");
		}
		if (!(claims.getClaim("events") instanceof Map<?, ?> events) || events.isEmpty()
				|| events.size() > MAX_EVENTS) {
			throw invalid("events is not an object of 1 to " + MAX_EVENTS + " events");
		}
		SubjectIdentifier about = SubjectIdentifier.of(claims.getClaim("sub_id"));
		if (about.subject() == null && claims.getClaim("sub") instanceof String sub && !sub.isBlank()) {
			about = new SubjectIdentifier(sub, about.session());
		}
		List<SecurityEvent.Event> read = new ArrayList<>();
		for (Map.Entry<?, ?> entry : events.entrySet()) {
			if (!(entry.getValue() instanceof Map<?, ?> payload)) {
				throw invalid("an event is not an object");
			}
			// Older RISC events name their subject inside the event.
			SubjectIdentifier subject = (about.subject() != null || about.session() != null) ? about
					: SubjectIdentifier.of(payload.get("subject"));
			read.add(new SecurityEvent.Event(String.valueOf(entry.getKey()), subject.subject(), subject.session()));
		}
		return new SecurityEvent(jti, issuedAt, List.copyOf(read));
	}

	private static List<String> audience(JWTClaimsSet claims) {
		try {
			return claims.getAudience();
		}
		catch (RuntimeException ex) {
			return List.of();
		}
	}

	private Instant issuedAt(JWTClaimsSet claims) {
		Date issueTime;
		try {
			issueTime = claims.getIssueTime();
		}
		catch (RuntimeException ex) {
			throw invalid("iat is not a number of seconds");
		}
		if (issueTime == null) {
			throw invalid("iat is missing");
		}
		Instant issuedAt = issueTime.toInstant();
		Instant now = this.clock.instant();
		if (issuedAt.isAfter(now.plus(this.clockSkew))) {
			throw invalid("iat is in the future");
		}
		if (issuedAt.isBefore(now.minus(this.maxAge).minus(this.clockSkew))) {
			throw invalid("iat is older than " + this.maxAge);
		}
		return issuedAt;
	}

	private void verifySignature(SignedJWT jwt) {
		try {
			this.processor.process(jwt, null);
		}
		catch (RateLimitReachedException ex) {
			// Fetched moments ago for another unknown key id: still unknown.
			throw new SecurityEventException(SecurityEventException.INVALID_KEY,
					"the SET is signed with a key the transmitter does not publish");
		}
		catch (KeySourceException ex) {
			logger.warn("Security events cannot be verified: the transmitter's keys cannot be fetched ("
					+ rootMessage(ex) + "); the transmitter is asked to retry");
			throw new SecurityEventException(SecurityEventException.TEMPORARILY_UNAVAILABLE,
					"the transmitter's keys cannot be fetched now", 503);
		}
		catch (BadJOSEException | com.nimbusds.jose.JOSEException | RuntimeException ex) {
			throw new SecurityEventException(SecurityEventException.INVALID_KEY,
					"the signature does not verify with the transmitter's keys");
		}
	}

	private static String rootMessage(Throwable ex) {
		Throwable cause = ex;
		while (cause.getCause() != null && cause.getCause() != cause) {
			cause = cause.getCause();
		}
		return (cause.getMessage() != null) ? cause.getMessage() : cause.getClass().getSimpleName();
	}

	private static SecurityEventException invalid(String description) {
		return new SecurityEventException(SecurityEventException.INVALID_REQUEST, description);
	}

}
