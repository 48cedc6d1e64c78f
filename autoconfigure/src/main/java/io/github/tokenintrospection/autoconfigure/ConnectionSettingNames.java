package io.github.tokenintrospection.autoconfigure;

/**
 * Names a connection setting in start-up failures: the property it was read from, or the
 * {@link TokenIntrospectionConnectionDetails} bean's method that supplied it.
 */
final class ConnectionSettingNames {

	static final String OPAQUETOKEN_PREFIX = "spring.security.oauth2.resourceserver.opaquetoken.";

	private final TokenIntrospectionConnectionDetails details;

	ConnectionSettingNames(TokenIntrospectionConnectionDetails details) {
		this.details = details;
	}

	String introspectionUri() {
		return name(OPAQUETOKEN_PREFIX, "introspection-uri", "getIntrospectionUri()");
	}

	String issuerUri() {
		return name(TokenIntrospectionProperties.PREFIX + ".", "issuer-uri", "getIssuerUri()");
	}

	String clientId() {
		return name(OPAQUETOKEN_PREFIX, "client-id", "getClientId()");
	}

	String clientSecret() {
		return name(OPAQUETOKEN_PREFIX, "client-secret", "getClientSecret()");
	}

	private String name(String prefix, String property, String method) {
		if (this.details instanceof NamedServerConnectionDetails named) {
			return named.prefix() + property;
		}
		return (this.details instanceof PropertiesTokenIntrospectionConnectionDetails) ? prefix + property
				: this.details.getClass().getName() + "." + method;
	}

}
