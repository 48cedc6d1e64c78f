package io.github.tokenintrospection.autoconfigure;

import java.security.SecureRandom;
import java.time.Clock;

import io.github.tokenintrospection.internal.possession.DPoPNonces;
import io.github.tokenintrospection.internal.possession.DPoPProofVerifier;
import io.github.tokenintrospection.internal.possession.LocalProofReplays;
import io.github.tokenintrospection.internal.possession.PossessionCheck;
import io.github.tokenintrospection.internal.possession.ProofReplays;
import io.github.tokenintrospection.internal.reactive.DPoPSchemeRestoringWebFilter;
import io.github.tokenintrospection.internal.reactive.DPoPSchemeWebFilter;
import io.github.tokenintrospection.internal.servlet.DPoPSchemeFilter;
import io.github.tokenintrospection.internal.servlet.DPoPSecurityConfigurer;
import org.jspecify.annotations.Nullable;

import org.springframework.beans.factory.ObjectProvider;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.autoconfigure.condition.ConditionalOnMissingBean;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnWebApplication.Type;
import org.springframework.boot.security.autoconfigure.web.servlet.SecurityFilterProperties;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.core.env.Environment;
import org.springframework.util.StringUtils;
import org.springframework.security.config.Customizer;
import org.springframework.security.config.annotation.web.builders.HttpSecurity;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;

/**
 * Sender-constrained tokens (RFC 9449, RFC 8705) for every pipeline: the DPoP proof
 * checks and replay record; on each stack, what takes the {@code DPoP} scheme and writes
 * its challenges (servlet: a filter in every resource server chain and one in front of
 * Spring Security; WebFlux: one filter in front of it).
 */
@Configuration(proxyBeanMethods = false)
class SenderConstraintConfiguration {

	static final String DPOP_ENABLED = TokenIntrospectionProperties.PREFIX + ".sender-constraint.dpop.enabled";

	/** This instance's record, when no shared (Redis) record is configured. */
	@Bean
	@ConditionalOnMissingBean
	ProofReplays tokenIntrospectionProofReplays(TokenIntrospectionProperties properties) {
		return new LocalProofReplays(properties.getSenderConstraint().getDpop().getMaxProofs());
	}

	@Bean
	PossessionCheck tokenIntrospectionPossessionCheck(TokenIntrospectionProperties properties, ProofReplays replays) {
		TokenIntrospectionProperties.SenderConstraint senderConstraint = properties.getSenderConstraint();
		TokenIntrospectionProperties.SenderConstraint.Dpop dpop = senderConstraint.getDpop();
		PossessionCheck check = new PossessionCheck(
				new DPoPProofVerifier(dpop.getAlgorithms(), dpop.getMaxAge(), dpop.getClockSkew(), replays,
						Clock.systemUTC(), nonces(dpop.getNonce())),
				senderConstraint.isRequired(), senderConstraint.getRequiredPaths(), dpop.isEnabled());
		check.setCertificateHeader(StringUtils.hasText(senderConstraint.getCertificateHeader())
				? senderConstraint.getCertificateHeader().strip() : null);
		return check;
	}

	/**
	 * Server nonces when asked for: under the configured secret, which every instance
	 * shares, or else a secret of this instance's own (another instance's nonce is then
	 * refused, and the client retries with the one it is given).
	 */
	private static @Nullable DPoPNonces nonces(TokenIntrospectionProperties.SenderConstraint.Dpop.Nonce nonce) {
		if (!nonce.isEnabled()) {
			return null;
		}
		byte[] secret = TokenIntrospectionPropertiesValidator.nonceSecret(nonce);
		if (secret == null) {
			secret = new byte[32];
			new SecureRandom().nextBytes(secret);
		}
		return new DPoPNonces(secret, nonce.getLifetime(), Clock.systemUTC());
	}

	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.SERVLET)
	@ConditionalOnBooleanProperty(name = DPOP_ENABLED, matchIfMissing = true)
	static class ServletDPoPConfiguration {

		@Bean
		@ConditionalOnMissingBean(name = "tokenIntrospectionDPoPSchemeFilter")
		FilterRegistrationBean<DPoPSchemeFilter> tokenIntrospectionDPoPSchemeFilter(Environment environment,
				ObjectProvider<PossessionCheck> possessionCheck) {
			int securityFilterOrder = environment.getProperty("spring.security.filter.order", Integer.class,
					SecurityFilterProperties.DEFAULT_FILTER_ORDER);
			FilterRegistrationBean<DPoPSchemeFilter> registration = new FilterRegistrationBean<>(
					// Looked up on first use, as the 503 filter's properties are.
					new DPoPSchemeFilter(possessionCheck::getObject));
			// Outside the 503 filter, which is just outside Spring Security's chain.
			registration.setOrder(securityFilterOrder - 2);
			return registration;
		}

		/**
		 * Every resource server chain takes the DPoP scheme: Spring Security 7 applies
		 * {@code Customizer<HttpSecurity>} beans to each chain it builds.
		 */
		@Bean
		Customizer<HttpSecurity> tokenIntrospectionDPoPChains(ObjectProvider<OpaqueTokenIntrospector> introspector) {
			return (http) -> http.with(new DPoPSecurityConfigurer(introspector::getIfUnique),
					Customizer.withDefaults());
		}

	}

	/**
	 * WebFlux: always there, as it also hands what the caller presented (the path, the
	 * client certificate) to the introspector; the {@code DPoP} scheme only when taken.
	 */
	@Configuration(proxyBeanMethods = false)
	@ConditionalOnWebApplication(type = Type.REACTIVE)
	static class ReactiveDPoPConfiguration {

		@Bean
		@ConditionalOnMissingBean
		DPoPSchemeWebFilter tokenIntrospectionDPoPSchemeWebFilter(PossessionCheck possessionCheck,
				TokenIntrospectionProperties properties) {
			return new DPoPSchemeWebFilter(possessionCheck, properties.getSenderConstraint().getDpop().isEnabled());
		}

		@Bean
		@ConditionalOnMissingBean
		DPoPSchemeRestoringWebFilter tokenIntrospectionDPoPSchemeRestoringWebFilter() {
			return new DPoPSchemeRestoringWebFilter();
		}

	}

}
