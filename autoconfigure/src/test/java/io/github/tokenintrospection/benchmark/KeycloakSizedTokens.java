package io.github.tokenintrospection.benchmark;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.SplittableRandom;
import java.util.UUID;
import java.util.function.Supplier;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.internal.cache.TokenLookup;
import io.github.tokenintrospection.internal.client.IntrospectionResponses;
import io.github.tokenintrospection.internal.introspector.IntrospectionDecider;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.validation.DelegatingClaimsValidator;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;
import org.jspecify.annotations.Nullable;

/**
 * Tokens and introspection answers of the size Keycloak produces: a token is a 1.2 KB
 * base64url string (a Keycloak access token is a signed JWT of about that size), and the
 * answer has the claims of a Keycloak 26 introspection response for the sample's notes
 * realm.
 */
final class KeycloakSizedTokens {

	static final int TOKEN_LENGTH = 1200;

	static final String ISSUER = "http://localhost:8080/realms/notes";

	private static final char[] BASE64URL = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"
		.toCharArray();

	private KeycloakSizedTokens() {
	}

	/** A random token of {@link #TOKEN_LENGTH} base64url characters. */
	static String randomToken(SplittableRandom random) {
		char[] chars = new char[TOKEN_LENGTH];
		for (int i = 0; i < chars.length; i++) {
			chars[i] = BASE64URL[random.nextInt(64)];
		}
		return new String(chars);
	}

	/**
	 * The JSON body Keycloak answers for an active access token of the notes realm, for a
	 * user of its own (names and e-mail differ from token to token, as in a cache of many
	 * users' tokens; roles, scopes, issuer and clients are the realm's).
	 */
	static String introspectionResponse(SplittableRandom random) {
		long now = Instant.now().getEpochSecond();
		String user = Integer.toString(random.nextInt(1_000_000_000), 36);
		return """
				{"exp":%d,"iat":%d,"jti":"onrtro:%s","iss":"%s","aud":["notes-api","account"],\
				"sub":"%s","typ":"Bearer","azp":"notes-web","sid":"%s","acr":"1",\
				"allowed-origins":["http://localhost:8081"],\
				"realm_access":{"roles":["default-roles-notes","offline_access","admin","uma_authorization","user"]},\
				"resource_access":{"notes-api":{"roles":["editor"]},\
				"account":{"roles":["manage-account","manage-account-links","view-profile"]}},\
				"scope":"openid email profile notes:read notes:write","email_verified":true,\
				"name":"Alice %s","preferred_username":"alice.%s","given_name":"Alice","family_name":"%s",\
				"email":"alice.%s@example.com","client_id":"notes-web","username":"alice.%s","token_type":"Bearer",\
				"active":true}""".formatted(now + 3600, now, uuid(random), ISSUER, uuid(random), uuid(random), user,
				user, user, user, user);
	}

	/**
	 * The claims of {@link #introspectionResponse}, parsed by the starter's own parser.
	 */
	static IntrospectedToken introspectedToken(SplittableRandom random) {
		return IntrospectionResponses.parse(introspectionResponse(random));
	}

	/**
	 * The introspector as the sample application configures it: timestamps, token type,
	 * issuer and audience checked; scopes and Keycloak's realm and client roles mapped.
	 */
	static ValidatingOpaqueTokenIntrospector introspector(IntrospectionClient client, Clock clock) {
		return introspectorOver((client instanceof TokenLookup cached) ? cached : TokenLookup.uncached(client), clock);
	}

	/** The same introspector over any lookup (the local JWT stage, for one). */
	static ValidatingOpaqueTokenIntrospector introspectorOver(TokenLookup lookup, Clock clock) {
		return introspectorOver(lookup, clock, null, () -> null);
	}

	/**
	 * The same introspector holding tokens to their sender constraint, with what the
	 * caller presented from the given supplier.
	 */
	static ValidatingOpaqueTokenIntrospector introspectorOver(TokenLookup lookup, Clock clock,
			@Nullable PossessionCheck possession, Supplier<@Nullable PresentedCredentials> presented) {
		DelegatingClaimsValidator validator = new DelegatingClaimsValidator(List.of(
				new TimestampValidator(Duration.ofSeconds(60), clock),
				new TokenTypeValidator(
						List.of("Bearer", "DPoP", "access_token", "urn:ietf:params:oauth:token-type:access_token")),
				new IssuerValidator(List.of(ISSUER)), new AudienceValidator(List.of("notes-api"))));
		IntrospectionAuthoritiesConverter authorities = new IntrospectionAuthoritiesConverter(List.of("scope", "scp"),
				"SCOPE_", List.of("realm_access.roles", "resource_access.notes-api.roles"), "ROLE_");
		// No listeners: the hot path measured is lookup, validation and authorities.
		return new ValidatingOpaqueTokenIntrospector(lookup,
				new IntrospectionDecider(validator, authorities, "preferred_username", new IntrospectionListener() {
				}, possession), presented);
	}

	private static String uuid(SplittableRandom random) {
		return new UUID(random.nextLong(), random.nextLong()).toString();
	}

}
