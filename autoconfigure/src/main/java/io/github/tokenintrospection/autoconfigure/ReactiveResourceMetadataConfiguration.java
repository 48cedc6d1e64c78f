package io.github.tokenintrospection.autoconfigure;

import io.github.tokenintrospection.internal.reactive.ResourceMetadataWebFilter;
import io.github.tokenintrospection.internal.web.ResourceMetadata;

import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

/**
 * Protected resource metadata (RFC 9728) on WebFlux, which Spring Security lacks: the
 * document, and {@code resource_metadata} in the 401 challenge.
 */
@Configuration(proxyBeanMethods = false)
@ConditionalOnBooleanProperty(name = TokenIntrospectionProperties.PREFIX + ".resource-metadata.enabled",
		matchIfMissing = true)
class ReactiveResourceMetadataConfiguration {

	@Bean
	ResourceMetadataWebFilter tokenIntrospectionResourceMetadataWebFilter(ResourceMetadata metadata) {
		return new ResourceMetadataWebFilter(metadata);
	}

}
