package io.github.tokenintrospection.autoconfigure;

import java.net.URI;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.cache.StaleResultListener;
import io.github.tokenintrospection.internal.cache.TokenCaches;
import io.github.tokenintrospection.internal.jwt.LocalJwtRouter;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.observation.IntrospectionDecision;
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
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.util.StringUtils;

/**
 * Applies the starter's properties and the application's beans (caches, validators,
 * listeners, authorities mapping) to a pipeline, then the application's
 * {@link IntrospectionPipelineCustomizer}s in order. Both stacks' introspectors start
 * here; each brings only its client and its circuit breaker.
 */
final class IntrospectionPipelineConfigurer {

	private final Server server;

	private final ObjectProvider<IntrospectionClaimsValidator> validators;

	private final ObjectProvider<IntrospectionListener> listeners;

	private final ObjectProvider<StaleResultListener> staleResultListeners;

	private final ObjectProvider<IntrospectionPipelineCustomizer> customizers;

	private final ObjectProvider<PossessionCheck> possessionCheck;

	private final RefreshAheadListeners refreshAheadListeners;

	IntrospectionPipelineConfigurer(TokenIntrospectionProperties properties, @Nullable URI issuerUri,
			ObjectProvider<IntrospectionAuthoritiesConverter> authoritiesConverter,
			ObjectProvider<IntrospectionClaimsValidator> validators, ObjectProvider<IntrospectionListener> listeners,
			ObjectProvider<StaleResultListener> staleResultListeners, ObjectProvider<TokenCaches> caches,
			ObjectProvider<IntrospectionPipelineCustomizer> customizers, ObjectProvider<LocalJwtRouter> localJwt,
			ObjectProvider<PossessionCheck> possessionCheck, RefreshAheadListeners refreshAheadListeners) {
		this(new Server(IntrospectionDecision.DEFAULT_SERVER, properties, issuerUri, authoritiesConverter::getObject,
				caches::getIfAvailable, localJwt::getIfAvailable, List.of()), validators, listeners,
				staleResultListeners, customizers, possessionCheck, refreshAheadListeners);
	}

	private IntrospectionPipelineConfigurer(Server server, ObjectProvider<IntrospectionClaimsValidator> validators,
			ObjectProvider<IntrospectionListener> listeners, ObjectProvider<StaleResultListener> staleResultListeners,
			ObjectProvider<IntrospectionPipelineCustomizer> customizers,
			ObjectProvider<PossessionCheck> possessionCheck, RefreshAheadListeners refreshAheadListeners) {
		this.server = server;
		this.refreshAheadListeners = refreshAheadListeners;
		this.possessionCheck = possessionCheck;
		this.validators = validators;
		this.listeners = listeners;
		this.staleResultListeners = staleResultListeners;
		this.customizers = customizers;
	}

	/**
	 * The configurer of a named server's pipeline: its own properties, caches, local JWT
	 * verification, authorities mapping and health record; the application's validators,
	 * listeners and customizers, as for the default server.
	 */
	IntrospectionPipelineConfigurer forServer(NamedAuthorizationServers.Server named) {
		return new IntrospectionPipelineConfigurer(
				new Server(named.name(), named.properties(), named.connection().issuerUri(), named::authorities,
						named::caches, named::localJwt, List.of(named.callOutcomes())),
				this.validators, this.listeners, this.staleResultListeners, this.customizers, this.possessionCheck,
				this.refreshAheadListeners);
	}

	IntrospectionPipeline.Builder configure(IntrospectionPipeline.Builder builder) {
		PropertyMapper map = PropertyMapper.get();
		TokenIntrospectionProperties properties = this.server.properties();
		TokenIntrospectionProperties.Resilience resilience = properties.getResilience();
		builder.server(this.server.name());
		map.from(properties.getLimits()::getMaxTokenLength).to(builder::maxTokenLength);
		map.from(properties::getPrincipalClaimName).to(builder::principalClaimName);
		this.possessionCheck.ifAvailable(builder::possessionCheck);
		LocalJwtRouter localJwt = this.server.localJwt().get();
		if (localJwt != null) {
			builder.localJwt(localJwt);
		}
		TokenCaches tokenCaches = this.server.caches().get();
		if (tokenCaches != null) {
			builder.caches(tokenCaches);
			TokenIntrospectionProperties.Cache cache = properties.getCache();
			if (cache.getRefreshAhead().isEnabled() && StringUtils.hasText(cache.getName())) {
				throw new InvalidConfigurationPropertyValueException(
						TokenIntrospectionProperties.PREFIX + ".cache.refresh-ahead.enabled", true,
						"cannot be used with cache.name: an application's cache cannot replace an answer only while "
								+ "it is the one served (an eviction meanwhile must win)");
			}
			if (cache.getRefreshAhead().isEnabled()) {
				builder.refreshAhead((refresh) -> refresh.fraction(cache.getRefreshAhead().getFraction())
					.jitter(cache.getRefreshAhead().getJitter())
					.maxPerSecond(cache.getRefreshAhead().getMaxPerSecond())
					.cache(cache.getTtl(), cache.getMaxSize())
					.listener(this.refreshAheadListeners.forServer(this.server.name())));
			}
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
		this.server.listeners().forEach(builder::listener);
		this.listeners.orderedStream().forEach(builder::listener);
		builder.validators((validators) -> {
			validators.clear();
			validators.add(IntrospectionValidators.createDefaultWithValidators(builtInValidators(map)));
			this.validators.orderedStream().forEach(validators::add);
		});
		builder.authoritiesConverter(this.server.authoritiesConverter().get());
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
		TokenIntrospectionProperties properties = this.server.properties();
		TokenIntrospectionProperties.Validation validation = properties.getValidation();
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
			map.from(this.server.issuerUri())
				.as(URI::toString)
				.to((issuer) -> validators.add(new IssuerValidator(List.of(issuer))));
		}
		map.from(validation::getRequiredAudiences)
			.whenNot(List::isEmpty)
			.to((audiences) -> validators.add(new AudienceValidator(audiences)));
		map.from(validation::getRequiredScopes)
			.whenNot(List::isEmpty)
			.to((scopes) -> validators
				.add(new ScopeValidator(scopes, properties.getAuthorities().getScopeClaimNames())));
		return validators;
	}

	/**
	 * What differs from one authorization server's pipeline to another's.
	 */
	private record Server(String name, TokenIntrospectionProperties properties, @Nullable URI issuerUri,
			Supplier<IntrospectionAuthoritiesConverter> authoritiesConverter, Supplier<@Nullable TokenCaches> caches,
			Supplier<@Nullable LocalJwtRouter> localJwt, List<IntrospectionListener> listeners) {

	}

}
