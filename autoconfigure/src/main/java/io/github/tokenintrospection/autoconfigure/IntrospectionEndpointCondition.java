package io.github.tokenintrospection.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;

/**
 * Matches when the introspection endpoint is configured directly (Spring Boot's
 * introspection-uri), can be discovered (the starter's issuer-uri), or comes from a
 * {@link TokenIntrospectionConnectionDetails} bean (such as one of
 * {@code @ServiceConnection}, registered before any other auto-configuration).
 */
class IntrospectionEndpointCondition extends AnyNestedCondition {

	IntrospectionEndpointCondition() {
		super(ConfigurationPhase.REGISTER_BEAN);
	}

	@ConditionalOnProperty("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri")
	static class IntrospectionUri {

	}

	@ConditionalOnProperty(TokenIntrospectionProperties.PREFIX + ".issuer-uri")
	static class IssuerUri {

	}

	@ConditionalOnBean(TokenIntrospectionConnectionDetails.class)
	static class ConnectionDetailsBean {

	}

}
