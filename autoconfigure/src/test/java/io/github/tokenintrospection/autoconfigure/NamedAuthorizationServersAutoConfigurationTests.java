package io.github.tokenintrospection.autoconfigure;

import java.util.Arrays;
import java.util.stream.Stream;

import io.github.tokenintrospection.cache.IntrospectionCacheControl;
import io.github.tokenintrospection.internal.reactive.ReactiveRoutingOpaqueTokenIntrospector;
import io.github.tokenintrospection.internal.routing.RoutingOpaqueTokenIntrospector;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.context.properties.source.InvalidConfigurationPropertyValueException;
import org.springframework.boot.health.contributor.CompositeHealthContributor;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.OAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.security.oauth2.server.resource.autoconfigure.reactive.ReactiveOAuth2ResourceServerAutoConfiguration;
import org.springframework.boot.test.context.assertj.ApplicationContextAssertProvider;
import org.springframework.boot.test.context.runner.ReactiveWebApplicationContextRunner;
import org.springframework.boot.test.context.runner.WebApplicationContextRunner;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code token-introspection.authorization-servers.<name>.*}: a routing introspector on
 * each stack when a named server is configured, none otherwise; every misconfiguration
 * stops the start naming the named server's property.
 */
class NamedAuthorizationServersAutoConfigurationTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final String PARTNERS = "token-introspection.authorization-servers.partners.";

	private static final String[] DEFAULT_SERVER = { OPAQUETOKEN + "introspection-uri=https://idp.example/introspect",
			OPAQUETOKEN + "client-id=notes-api", OPAQUETOKEN + "client-secret=s3cret" };

	private static final String[] PARTNERS_SERVER = {
			PARTNERS + "introspection-uri=https://partners.example/introspect", PARTNERS + "client-id=partners-api",
			PARTNERS + "client-secret=s3cret-b", PARTNERS + "route.paths=/partners/**" };

	private final WebApplicationContextRunner contextRunner = new WebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
				OAuth2ResourceServerAutoConfiguration.class, TokenIntrospectionActuatorAutoConfiguration.class))
		.withPropertyValues(DEFAULT_SERVER);

	private final ReactiveWebApplicationContextRunner reactiveRunner = new ReactiveWebApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(ReactiveTokenIntrospectionAutoConfiguration.class,
				ReactiveOAuth2ResourceServerAutoConfiguration.class))
		.withPropertyValues(DEFAULT_SERVER);

	@Test
	void startupWithoutNamedServersThenNoRouting() {
		this.contextRunner.run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(OpaqueTokenIntrospector.class))
				.isNotInstanceOf(RoutingOpaqueTokenIntrospector.class);
			assertThat(context).doesNotHaveBean("tokenIntrospectionServersHealthContributor");
		});
	}

	@Test
	void startupWithNamedServerThenServletRoutesAndEachServerHasHealthAndCaches() {
		this.contextRunner.withPropertyValues(PARTNERS_SERVER).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(OpaqueTokenIntrospector.class))
				.isInstanceOf(RoutingOpaqueTokenIntrospector.class);
			CompositeHealthContributor servers = context.getBean("tokenIntrospectionServersHealthContributor",
					CompositeHealthContributor.class);
			assertThat(servers.getContributor("partners")).isNotNull();
			assertThat(context.getBean(IntrospectionCacheControl.class).statistics()).containsKeys("active", "inactive",
					"partners.active", "partners.inactive");
		});
	}

	@Test
	void startupWithNamedServerThenReactiveRoutes() {
		this.reactiveRunner.withPropertyValues(PARTNERS_SERVER).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(context.getBean(ReactiveOpaqueTokenIntrospector.class))
				.isInstanceOf(ReactiveRoutingOpaqueTokenIntrospector.class);
		});
	}

	static Stream<Arguments> invalidNamedServers() {
		return Stream.of(
				// No endpoint, no issuer.
				Arguments.of(new String[] { PARTNERS + "client-id=partners-api" }, PARTNERS + "introspection-uri"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "cache.ttl=0s"), PARTNERS + "cache.ttl"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "validation.clock-skew=-1s"),
						PARTNERS + "validation.clock-skew"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "route.paths=partners"), PARTNERS + "route"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "jwt.enabled=true"), PARTNERS + "jwt.enabled"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "introspection-uri=http://partners.example/introspect"),
						PARTNERS + "introspection-uri"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "client-authentication-method=private-key-jwt"),
						PARTNERS + "client-assertion.private-key-location"),
				// Settings of the application, not of a server.
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "audit.enabled=false"), PARTNERS + "audit"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "cache.redis.enabled=true"), PARTNERS + "cache.redis"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "probe.enabled=true"), PARTNERS + "probe"),
				Arguments.of(new String[] {
						"token-introspection.authorization-servers.Partners.introspection-uri=https://p.example/i" },
						"token-introspection.authorization-servers.Partners"),
				Arguments.of(new String[] {
						"token-introspection.authorization-servers.default.introspection-uri=https://p.example/i",
						"token-introspection.authorization-servers.default.route.paths=/p/**" },
						"token-introspection.authorization-servers.default"),
				// Never chosen: the default server takes every request, no issuer, no
				// probe.
				Arguments.of(
						new String[] { PARTNERS + "introspection-uri=https://partners.example/introspect",
								PARTNERS + "client-id=partners-api", PARTNERS + "client-secret=s3cret-b" },
						PARTNERS + "route"),
				Arguments.of(add(PARTNERS_SERVER, "token-introspection.probe.max-servers=0"),
						"token-introspection.probe.max-servers"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "route.hosts=partners.example.com:8443"),
						PARTNERS + "route"),
				Arguments.of(add(PARTNERS_SERVER, PARTNERS + "resilience.retry-after=1s"),
						PARTNERS + "resilience.retry-after"),
				Arguments.of(
						new String[] {
								"token-introspection.authorization-servers.none.introspection-uri=https://p.example/i",
								"token-introspection.authorization-servers.none.route.paths=/p/**" },
						"token-introspection.authorization-servers.none"),
				// Rules for the default server, but no other server to route to.
				Arguments.of(new String[] { "token-introspection.route.paths=/notes/**" },
						"token-introspection.route"));
	}

	@ParameterizedTest(name = "{1}")
	@MethodSource("invalidNamedServers")
	void startupWhenNamedServerInvalidThenFailsNamingItsProperty(String[] settings, String property) {
		this.contextRunner.withPropertyValues(settings).run((context) -> assertFailsNaming(context, property));
	}

	@Test
	void startupWhenReactiveNamedServerInvalidThenFailsNamingItsProperty() {
		this.reactiveRunner.withPropertyValues(add(PARTNERS_SERVER, PARTNERS + "limits.max-token-length=0"))
			.run((context) -> assertFailsNaming(context, PARTNERS + "limits.max-token-length"));
	}

	@Test
	void startupWhenDefaultServerCachesNothingThenNamedServersCachesStillEvictable() {
		this.contextRunner.withPropertyValues(add(PARTNERS_SERVER, "token-introspection.cache.enabled=false"))
			.run((context) -> {
				assertThat(context).hasNotFailed();
				assertThat(context.getBean(IntrospectionCacheControl.class).statistics())
					.containsOnlyKeys("partners.active", "partners.inactive");
			});
	}

	@Test
	void startupWhenOnlyNamedServersThenFailsNamingTheDefaultServersEndpoint() {
		new WebApplicationContextRunner()
			.withConfiguration(AutoConfigurations.of(TokenIntrospectionAutoConfiguration.class,
					OAuth2ResourceServerAutoConfiguration.class))
			.withPropertyValues(PARTNERS_SERVER)
			.run((context) -> assertFailsNaming(context, OPAQUETOKEN + "introspection-uri"));
	}

	@Test
	void startupWithNamedServerNamingAnIssuerAndNoRulesThenStarts() {
		this.contextRunner
			.withPropertyValues(PARTNERS + "introspection-uri=https://partners.example/introspect",
					PARTNERS + "client-id=partners-api", PARTNERS + "client-secret=s3cret-b",
					PARTNERS + "validation.allowed-issuers=https://partners.example")
			.run((context) -> assertThat(context).hasNotFailed());
	}

	private static void assertFailsNaming(ApplicationContextAssertProvider<?> context, String property) {
		assertThat(context).hasFailed();
		Throwable failure = context.getStartupFailure();
		while (failure.getCause() != null && !(failure instanceof InvalidConfigurationPropertyValueException)) {
			failure = failure.getCause();
		}
		assertThat(failure).isInstanceOf(InvalidConfigurationPropertyValueException.class);
		assertThat(((InvalidConfigurationPropertyValueException) failure).getName()).isEqualTo(property);
	}

	private static String[] add(String[] settings, String setting) {
		String[] all = Arrays.copyOf(settings, settings.length + 1);
		all[settings.length] = setting;
		return all;
	}

}
