package io.github.tokenintrospection.autoconfigure;

import org.jspecify.annotations.Nullable;

import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;

/**
 * The {@link TokenIntrospectionConnectionDetails} of the properties, used when the
 * application declares none: Spring Boot's {@code opaquetoken} properties and the
 * starter's {@code issuer-uri}.
 */
final class PropertiesTokenIntrospectionConnectionDetails implements TokenIntrospectionConnectionDetails {

	private final OAuth2ResourceServerProperties.Opaquetoken opaquetoken;

	private final TokenIntrospectionProperties properties;

	PropertiesTokenIntrospectionConnectionDetails(OAuth2ResourceServerProperties.Opaquetoken opaquetoken,
			TokenIntrospectionProperties properties) {
		this.opaquetoken = opaquetoken;
		this.properties = properties;
	}

	@Override
	public @Nullable String getIntrospectionUri() {
		return this.opaquetoken.getIntrospectionUri();
	}

	@Override
	public @Nullable String getIssuerUri() {
		return this.properties.getIssuerUri();
	}

	@Override
	public @Nullable String getClientId() {
		return this.opaquetoken.getClientId();
	}

	@Override
	public @Nullable String getClientSecret() {
		return this.opaquetoken.getClientSecret();
	}

}
