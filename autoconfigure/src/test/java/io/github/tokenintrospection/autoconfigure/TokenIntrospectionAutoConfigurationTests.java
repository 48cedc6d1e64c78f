package io.github.tokenintrospection.autoconfigure;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.authority.IntrospectionAuthoritiesConverter;
import io.github.tokenintrospection.client.IntrospectionClient;
import io.github.tokenintrospection.client.RestClientIntrospectionClient;
import io.github.tokenintrospection.internal.introspector.ValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.validation.IntrospectionClaimsValidator;
import io.github.tokenintrospection.web.AuthorizationHeaderBearerTokenResolver;
import io.github.tokenintrospection.web.AuthorizationServerUnavailableFilter;
import mockwebserver3.MockResponse;
import mockwebserver3.MockWebServer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.security.autoconfigure.SecurityAutoConfiguration;
import org.springframework.boot.security.autoconfigure.web.servlet.ServletWebSecurityAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.web.OAuth2ResourceServerWebSecurityAutoConfiguration;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.cache.caffeine.CaffeineCache;
import org.springframework.cache.caffeine.CaffeineCacheManager;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.core.OAuth2Error;
import org.springframework.security.oauth2.core.OAuth2TokenValidatorResult;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionAuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.SpringOpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.web.BearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.DefaultBearerTokenResolver;
import org.springframework.security.oauth2.server.resource.web.authentication.BearerTokenAuthenticationFilter;
import org.springframework.security.web.SecurityFilterChain;
import org.springframework.test.util.ReflectionTestUtils;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class TokenIntrospectionAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String ACTIVE = "{\"active\":true,\"sub\":\"alice\",\"scope\":\"read\",\"token_type\":\"Bearer\"}";

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, OAuth2ResourceServerWebSecurityAutoConfiguration.class,
				SecurityAutoConfiguration.class, ServletWebSecurityAutoConfiguration.class));

	private final MockWebServer server = new MockWebServer();

	@BeforeEach
	void startServer() throws IOException {
		this.server.start();
	}

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void introspectorWhenOpaqueTokenPropertiesSetThenOursIsTheOnlyIntrospector() {
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			assertThat(context).hasSingleBean(OpaqueTokenIntrospector.class)
				.hasSingleBean(ValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(SpringOpaqueTokenIntrospector.class)
				.hasSingleBean(RestClientIntrospectionClient.class)
				.hasSingleBean(SecurityFilterChain.class);
			assertThat(context.getBean(OpaqueTokenIntrospector.class))
				.isInstanceOf(ValidatingOpaqueTokenIntrospector.class);
		});
	}

	@Test
	void introspectorWhenNoIntrospectionUriThenNothingOfOurs() {
		this.contextRunner.withPropertyValues(OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret")
			.run((context) -> assertThat(context).hasNotFailed()
				.doesNotHaveBean(ValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(TokenIntrospectionProperties.class)
				.doesNotHaveBean(IntrospectionClient.class)
				.doesNotHaveBean("authorizationServerUnavailableFilter"));
	}

	@Test
	void introspectorWhenStarterDisabledThenBootsOwnIntrospectorIsUsed() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(ValidatingOpaqueTokenIntrospector.class)
				.doesNotHaveBean(IntrospectionClient.class)
				.doesNotHaveBean("authorizationServerUnavailableFilter")
				.hasSingleBean(SpringOpaqueTokenIntrospector.class));
	}

	@Test
	void introspectorWhenUserDefinesOpaqueTokenIntrospectorThenOursBacksOff() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(UserIntrospectorConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(OpaqueTokenIntrospector.class)
					.doesNotHaveBean(ValidatingOpaqueTokenIntrospector.class)
					.doesNotHaveBean(SpringOpaqueTokenIntrospector.class);
				assertThat(context.getBean(OpaqueTokenIntrospector.class))
					.isSameAs(context.getBean("userIntrospector"));
			});
	}

	@Test
	void introspectorWhenUserDefinesIntrospectionClientThenItIsUsedAndNoCredentialsNeeded() {
		this.contextRunner.withPropertyValues(OPAQUETOKEN + "introspection-uri=https://idp.example/introspect")
			.withUserConfiguration(UserClientConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed().doesNotHaveBean(RestClientIntrospectionClient.class);
				OAuth2AuthenticatedPrincipal principal = context.getBean(OpaqueTokenIntrospector.class)
					.introspect("any");
				assertThat(principal.getName()).isEqualTo("from-user-client");
				assertThat(context.getBean(UserClientConfiguration.class).calls).hasValue(1);
			});
	}

	@Test
	void introspectorWhenUserDefinesAuthoritiesConverterThenItIsUsed() {
		this.contextRunner.withPropertyValues(OPAQUETOKEN + "introspection-uri=https://idp.example/introspect")
			.withUserConfiguration(UserClientConfiguration.class, UserAuthoritiesConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(IntrospectionAuthoritiesConverter.class);
				assertThat(context.getBean(IntrospectionAuthoritiesConverter.class))
					.isSameAs(context.getBean("userAuthorities"));
				OAuth2AuthenticatedPrincipal principal = context.getBean(OpaqueTokenIntrospector.class)
					.introspect("any");
				assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority)
					.containsExactly("perm:read");
			});
	}

	@Test
	void introspectorWhenUserDefinesClaimsValidatorThenItRejectsTokens() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(UserValidatorConfiguration.class)
			.run((context) -> assertThatExceptionOfType(BadOpaqueTokenException.class)
				.isThrownBy(() -> context.getBean(OpaqueTokenIntrospector.class).introspect("token-1"))
				.withMessageContaining("alice is not welcome"));
	}

	@Test
	void introspectorWhenActiveTokenThenPrincipalBuiltFromServerAnswer() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			OAuth2AuthenticatedPrincipal principal = context.getBean(OpaqueTokenIntrospector.class)
				.introspect("token-1");
			assertThat(principal).isInstanceOf(OAuth2IntrospectionAuthenticatedPrincipal.class);
			assertThat(principal.getName()).isEqualTo("alice");
			assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority)
				.containsExactly("SCOPE_read");
		});
	}

	@Test
	void bearerTokenResolverWhenDefaultsThenBootsSecurityFilterChainReadsTokensWithOurs() {
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			assertThat(context).hasSingleBean(BearerTokenResolver.class);
			assertThat(resolverUsedBySecurityFilterChain(context))
				.isInstanceOf(AuthorizationHeaderBearerTokenResolver.class)
				.isSameAs(context.getBean(BearerTokenResolver.class));
		});
	}

	@Test
	void bearerTokenResolverWhenUserDefinesOneThenOursBacksOffAndTheirsIsUsed() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withUserConfiguration(UserBearerTokenResolverConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(BearerTokenResolver.class)
					.doesNotHaveBean(AuthorizationHeaderBearerTokenResolver.class);
				assertThat(resolverUsedBySecurityFilterChain(context))
					.isSameAs(context.getBean("userBearerTokenResolver"));
			});
	}

	@Test
	void bearerTokenResolverWhenStarterDisabledThenNotOffered() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.enabled=false")
			.run((context) -> assertThat(context).doesNotHaveBean(BearerTokenResolver.class));
	}

	/** The resolver inside the bearer-token filter of the one security filter chain. */
	private static Object resolverUsedBySecurityFilterChain(ApplicationContext context) {
		BearerTokenAuthenticationFilter filter = context.getBean(SecurityFilterChain.class)
			.getFilters()
			.stream()
			.filter(BearerTokenAuthenticationFilter.class::isInstance)
			.map(BearerTokenAuthenticationFilter.class::cast)
			.findFirst()
			.orElseThrow();
		Object converter = ReflectionTestUtils.getField(filter, "authenticationConverter");
		return ReflectionTestUtils.getField(converter, "bearerTokenResolver");
	}

	@Test
	void filterRegistrationWhenDefaultSecurityFilterOrderThenRegisteredJustBeforeIt() {
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			FilterRegistrationBean<?> registration = context.getBean("authorizationServerUnavailableFilter",
					FilterRegistrationBean.class);
			assertThat(registration.getFilter()).isInstanceOf(AuthorizationServerUnavailableFilter.class);
			assertThat(registration.getOrder()).isEqualTo(-101);
		});
	}

	@Test
	void filterRegistrationWhenCustomSecurityFilterOrderThenRegisteredJustBeforeIt() {
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("spring.security.filter.order=10")
			.run((context) -> assertThat(
					context.getBean("authorizationServerUnavailableFilter", FilterRegistrationBean.class).getOrder())
				.isEqualTo(9));
	}

	@Test
	void cacheWhenEnabledByDefaultThenRepeatedCallsAskServerOnce() {
		enqueueJson(ACTIVE);
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
			introspector.introspect("token-1");
			introspector.introspect("token-1");
			assertThat(this.server.getRequestCount()).isEqualTo(1);
			assertThat(context.getBean(RestClientIntrospectionClient.class).requestCount()).isEqualTo(1);
		});
	}

	@Test
	void cacheWhenDisabledThenEveryCallAsksServer() {
		enqueueJson(ACTIVE);
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.cache.enabled=false")
			.run((context) -> {
				OpaqueTokenIntrospector introspector = context.getBean(OpaqueTokenIntrospector.class);
				introspector.introspect("token-1");
				introspector.introspect("token-1");
				assertThat(this.server.getRequestCount()).isEqualTo(2);
			});
	}

	@Test
	void cacheWhenNamedCacheOfApplicationThenActiveTokensStoredThereByHash() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken())
			.withPropertyValues("token-introspection.cache.name=tokens")
			.withUserConfiguration(UserCacheManagerConfiguration.class)
			.run((context) -> {
				assertThat(context).hasNotFailed();
				context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");
				CaffeineCache cache = (CaffeineCache) context.getBean(CaffeineCacheManager.class).getCache("tokens");
				assertThat(cache.getNativeCache().asMap().keySet()).singleElement().asString().matches("[0-9a-f]{64}");
				context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");
				assertThat(this.server.getRequestCount()).isEqualTo(1);
			});
	}

	@Test
	void clientWhenDefaultsThenClientSecretBasicAndAccessTokenHint() {
		enqueueJson(ACTIVE);
		this.contextRunner.withPropertyValues(opaqueToken()).run((context) -> {
			context.getBean(OpaqueTokenIntrospector.class).introspect("token-1");
			var request = this.server.takeRequest();
			assertThat(request.getHeaders().get("Authorization")).startsWith("Basic ");
			assertThat(request.getBody().utf8()).doesNotContain("client_secret")
				.contains("token_type_hint=access_token");
		});
	}

	private String[] opaqueToken() {
		return new String[] { OPAQUETOKEN + "introspection-uri=" + this.server.url("/introspect"),
				OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret" };
	}

	private void enqueueJson(String body) {
		this.server.enqueue(
				new MockResponse.Builder().code(200).addHeader("Content-Type", "application/json").body(body).build());
	}

	@Configuration(proxyBeanMethods = false)
	static class UserIntrospectorConfiguration {

		@Bean
		OpaqueTokenIntrospector userIntrospector() {
			return (token) -> {
				throw new BadOpaqueTokenException("never");
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserClientConfiguration {

		final AtomicInteger calls = new AtomicInteger();

		@Bean
		IntrospectionClient userIntrospectionClient() {
			return (token) -> {
				this.calls.incrementAndGet();
				return IntrospectedToken.active(Map.of("sub", "from-user-client", "scope", List.of("read")));
			};
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserAuthoritiesConfiguration {

		@Bean
		IntrospectionAuthoritiesConverter userAuthorities() {
			return new IntrospectionAuthoritiesConverter(List.of("scope"), "perm:", List.of(), "ROLE_");
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserValidatorConfiguration {

		@Bean
		IntrospectionClaimsValidator noAlice() {
			return (token) -> "alice".equals(token.stringClaim("sub"))
					? OAuth2TokenValidatorResult.failure(new OAuth2Error("invalid_token", "alice is not welcome", null))
					: OAuth2TokenValidatorResult.success();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserBearerTokenResolverConfiguration {

		@Bean
		BearerTokenResolver userBearerTokenResolver() {
			DefaultBearerTokenResolver resolver = new DefaultBearerTokenResolver();
			resolver.setAllowUriQueryParameter(true);
			return resolver;
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class UserCacheManagerConfiguration {

		@Bean
		CaffeineCacheManager cacheManager() {
			return new CaffeineCacheManager("tokens");
		}

	}

}
