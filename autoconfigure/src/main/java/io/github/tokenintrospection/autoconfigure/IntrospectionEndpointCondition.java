package io.github.tokenintrospection.autoconfigure;

import org.springframework.boot.autoconfigure.condition.AnyNestedCondition;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnProperty;
import org.springframework.context.annotation.Conditional;

/**
 * Matches when the introspection endpoint is configured directly (Spring Boot's
 * introspection-uri), can be discovered (the starter's issuer-uri), or comes from a
 * {@link TokenIntrospectionConnectionDetails} bean (such as one of
 * {@code @ServiceConnection}, registered before any other auto-configuration), or when
 * named authorization servers are configured (they come beside the default one).
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

	/**
	 * Named servers without a default one: the start fails naming the default server's
	 * endpoint property, rather than the named servers being ignored.
	 */
	@Conditional(NamedServersCondition.class)
	static class NamedServers {

	}

}
