package io.github.tokenintrospection.autoconfigure;

import org.springframework.boot.context.properties.source.ConfigurationPropertyName;
import org.springframework.context.annotation.Condition;
import org.springframework.context.annotation.ConditionContext;
import org.springframework.core.type.AnnotatedTypeMetadata;

/**
 * Matches when {@code token-introspection.authorization-servers} names a server.
 */
class NamedServersCondition implements Condition {

	private static final ConfigurationPropertyName SERVERS = ConfigurationPropertyName.of(NamedServerProperties.PREFIX);

	@Override
	public boolean matches(ConditionContext context, AnnotatedTypeMetadata metadata) {
		return NamedServerProperties.isSet(SERVERS, context.getEnvironment());
	}

}
