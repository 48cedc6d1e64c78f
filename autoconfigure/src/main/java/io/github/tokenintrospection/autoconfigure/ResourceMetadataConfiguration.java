package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.internal.servlet.ResourceMetadataPostProcessor;
import io.github.tokenintrospection.internal.web.ResourceMetadata;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnClass;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.web.OAuth2ProtectedResourceMetadataFilter;

/**
 * Protected resource metadata (RFC 9728) on the servlet stack: Spring Security's document
 * completed with the authorization servers and scopes.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnClass(OAuth2ProtectedResourceMetadataFilter.class)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".resource-metadata.enabled",
		matchIfMissing = true)
class ResourceMetadataConfiguration {

	/** Static: a post-processor must not wait for the beans it post-processes. */
	@Bean
	static ResourceMetadataPostProcessor tokenIntrospectionResourceMetadataPostProcessor(
			ObjectProvider<ResourceMetadata> metadata) {
		return new ResourceMetadataPostProcessor(metadata::getObject);
	}

}
