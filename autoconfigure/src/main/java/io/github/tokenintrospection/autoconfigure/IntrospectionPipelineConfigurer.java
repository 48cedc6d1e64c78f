package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;

import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.observation.IntrospectionListener;
import io.github.tokenintrospection.pipeline.IntrospectionPipeline;
import io.github.tokenintrospection.pipeline.IntrospectionPipelineCustomizer;
import io.github.tokenintrospection.pipeline.IntrospectionValidators;
import io.github.tokenintrospection.validation.AudienceValidator;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.validation.IssuerValidator;
import io.github.tokenintrospection.validation.ScopeValidator;
import io.github.tokenintrospection.validation.TimestampValidator;
import io.github.tokenintrospection.validation.TokenTypeValidator;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.context.properties.PropertyMapper;

/**
 * Applies the starter's properties and the application's beans (caches, validators,
 * listeners, authorities mapping) to a pipeline, then the application's
 * {@link IntrospectionPipelineCustomizer}s in order. Both stacks' introspectors start
 * here; each brings only its client and its circuit breaker.
 */
final class IntrospectionPipelineConfigurer {

	private final TokenIntrospectionProperties properties;

	private final @Nullable URI issuerUri;

	private final ObjectProvider<IntrospectionAuthoritiesConverter> authoritiesConverter;

	private final ObjectProvider<IntrospectionClaimsValidator> validators;

	private final ObjectProvider<IntrospectionListener> listeners;

	private final ObjectProvider<StaleResultListener> staleResultListeners;

	private final ObjectProvider<TokenCaches> caches;

	private final ObjectProvider<IntrospectionPipelineCustomizer> customizers;

	IntrospectionPipelineConfigurer(TokenIntrospectionProperties properties, @Nullable URI issuerUri,
			ObjectProvider<IntrospectionAuthoritiesConverter> authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> validators, ObjectProvider<IntrospectionListener> listeners,
			ObjectProvider<StaleResultListener> staleResultListeners, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionPipelineCustomizer> customizers) {
		this.properties = properties;
		this.issuerUri = issuerUri;
		this.authoritiesConverter = authoritiesConverter;
		this.validators = validators;
		this.listeners = listeners;
		this.staleResultListeners = staleResultListeners;
		this.caches = caches;
		this.customizers = customizers;
	}

	IntrospectionPipeline.Builder configure(IntrospectionPipeline.Builder builder) {
		PropertyMapper map = PropertyMapper.get();
		TokenIntrospectionProperties.Resilience resilience = this.properties.getResilience();
		map.from(this.properties.getLimits()::getMaxTokenLength).to(builder::maxTokenLength);
		map.from(this.properties::getPrincipalClaimName).to(builder::principalClaimName);
		TokenCaches tokenCaches = this.caches.getIfAvailable();
		if (tokenCaches != null) {
			builder.caches(tokenCaches);
		}
		else {
			builder.withoutCache();
		}
		if (resilience.getRetry().isEnabled()) {
			builder.retry((retry) -> retry(map, resilience.getRetry(), retry));
		}
		else {
			builder.withoutRetry();
		}
		TokenIntrospectionProperties.Resilience.StaleIfError staleIfError = resilience.getStaleIfError();
		if (staleIfError.isEnabled()) {
			builder.staleIfError((stale) -> {
				map.from(staleIfError::getWindow).to(stale::window);
				map.from(staleIfError::getMaxSize).to(stale::maxSize);
			});
		}
		this.staleResultListeners.orderedStream().forEach(builder::staleResultListener);
		this.listeners.orderedStream().forEach(builder::listener);
		builder.validators((validators) -> {
			validators.clear();
			validators.add(IntrospectionValidators.createDefaultWithValidators(builtInValidators(map)));
			this.validators.orderedStream().forEach(validators::add);
		});
		builder.authoritiesConverter(this.authoritiesConverter.getObject());
		this.customizers.orderedStream().forEach((customizer) -> customizer.customize(builder));
		return builder;
	}

	private static void retry(PropertyMapper map, TokenIntrospectionProperties.Resilience.Retry properties,
			IntrospectionPipeline.Retry retry) {
		map.from(properties::getMaxRetries).to(retry::maxRetries);
		map.from(properties::getDelay).to(retry::delay);
		map.from(properties::getMultiplier).to(retry::multiplier);
		map.from(properties::getMaxDelay).to(retry::maxDelay);
		map.from(properties::getJitter).to(retry::jitter);
		map.from(properties::getTimeBudget).to(retry::timeBudget);
	}

	/**
	 * The claim validators the properties ask for, in the order their errors are
	 * reported.
	 */
	private List<IntrospectionClaimsValidator> builtInValidators(PropertyMapper map) {
		TokenIntrospectionProperties.Validation validation = this.properties.getValidation();
		List<IntrospectionClaimsValidator> validators = new ArrayList<>();
		validators.add(new TimestampValidator(validation.getClockSkew(), Clock.systemUTC()));
		validators.add(new TokenTypeValidator(validation.getAllowedTokenTypes()));
		if (!validation.getAllowedIssuers().isEmpty()) {
			validators.add(new IssuerValidator(validation.getAllowedIssuers()));
		}
		else {
			// The configured issuer (property or connection details), which discovery
			// checks
			// against the server's metadata.
			map.from(this.issuerUri)
				.as(URI::toString)
				.to((issuer) -> validators.add(new IssuerValidator(List.of(issuer))));
		}
		map.from(validation::getRequiredAudiences)
			.whenNot(List::isEmpty)
			.to((audiences) -> validators.add(new AudienceValidator(audiences)));
		map.from(validation::getRequiredScopes)
			.whenNot(List::isEmpty)
			.to((scopes) -> validators
				.add(new ScopeValidator(scopes, this.properties.getAuthorities().getScopeClaimNames())));
		return validators;
	}

}
