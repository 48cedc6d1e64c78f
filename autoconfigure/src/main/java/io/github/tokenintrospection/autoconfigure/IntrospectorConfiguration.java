package io.github.tokenintrospection.autoconfigure;

import java.time.Clock;

import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.pipeline.IntrospectionPipeline;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerProperties;
import org.springframework.boot.ssl.SslBundles;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * The servlet introspector: the {@link IntrospectionPipeline} over a blocking HTTP
 * client.
 */
@Configuration(proxyBeanMethods = false)
class IntrospectorConfiguration {

	@Bean
	@ConditionalOnMissingBean(IntrospectionClient.class)
	RestClientIntrospectionClient tokenIntrospectionClient(AuthorizationServerConnection connection,
			ClientAuthenticationFactory clientAuthentication, TokenIntrospectionProperties properties,
			OAuth2ResourceServerProperties resourceServerProperties, ObjectProvider<SslBundles> sslBundles) {
		RestClientIntrospectionClient client = new RestClientIntrospectionClient(connection.restClient(),
				connection.introspectionEndpoint(), clientAuthentication.create(), properties.getTokenTypeHint());
		client.setMaxResponseSize(properties.getLimits().getMaxResponseSize());
		client.setResponseFormat(SignedAnswersFactory.create(properties, connection,
				resourceServerProperties.getOpaquetoken().getClientId(), sslBundles.getIfAvailable(),
				Clock.systemUTC()));
		return client;
	}

	@Bean
	@ConditionalOnMissingBean(OpaqueTokenIntrospector.class)
	OpaqueTokenIntrospector opaqueTokenIntrospector(IntrospectionClient tokenIntrospectionClient,
			IntrospectionPipelineConfigurer configurer, ObjectProvider<CircuitBreakerDecorator> circuitBreaker) {
		IntrospectionPipeline.Builder builder = IntrospectionPipeline.withClient(tokenIntrospectionClient);
		circuitBreaker.ifAvailable((breaker) -> breaker.addTo(builder));
		return configurer.configure(builder).buildServlet();
	}

}
