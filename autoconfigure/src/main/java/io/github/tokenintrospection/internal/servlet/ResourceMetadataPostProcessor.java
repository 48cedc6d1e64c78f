package io.github.tokenintrospection.internal.servlet;

import java.util.function.Supplier;

import io.github.tokenintrospection.internal.web.ResourceMetadata;

import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.security.oauth2.server.resource.web.OAuth2ProtectedResourceMetadataFilter;
import org.springframework.util.Assert;

/**
 * Completes Spring Security's protected resource metadata (RFC 9728) in every security
 * filter chain that has a resource server: Spring Security serves
 * {@code /.well-known/oauth-protected-resource} and names it in the
 * {@code WWW-Authenticate} of each 401, but knows neither the authorization servers nor
 * the scopes. Spring Security hands the filter it creates to the bean factory's
 * post-processors, which is where this finds it.
 * <p>
 * It replaces a metadata customizer that the application set with the DSL: an application
 * that describes itself there switches this off
 * ({@code token-introspection.resource-metadata.enabled=false}).
 */
public final class ResourceMetadataPostProcessor implements BeanPostProcessor {

	private final Supplier<ResourceMetadata> metadata;

	/**
	 * Creates the post-processor.
	 * @param metadata gives what this resource server says of itself, on first use (a
	 * post-processor is created before the beans it would otherwise need)
	 */
	public ResourceMetadataPostProcessor(Supplier<ResourceMetadata> metadata) {
		Assert.notNull(metadata, "metadata must not be null");
		this.metadata = metadata;
	}

	@Override
	public Object postProcessAfterInitialization(Object bean, String beanName) {
		if (bean instanceof OAuth2ProtectedResourceMetadataFilter filter) {
			ResourceMetadata metadata = this.metadata.get();
			filter.setProtectedResourceMetadataCustomizer(metadata::describe);
		}
		return bean;
	}

}
