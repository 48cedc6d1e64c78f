package io.github.tokenintrospection.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The package and API rules of the starter: no package cycles, and public types only the
 * declared ones (the README's "Extending it" table). The stack rules are in
 * {@code ArchitectureTests}.
 *
 * <p>
 * Plain Jupiter tests over {@link ClassFileImporter}, so that they do not depend on
 * ArchUnit's own JUnit engine.
 */
class ApiArchitectureTests {

	private static final String ROOT = "io.github.tokenintrospection";

	private static final JavaClasses MAIN = new ClassFileImporter()
		.withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
		// the shared test fixtures module is on the test class path, but not part of the starter
		.withImportOption((location) -> !location.contains("/io/github/tokenintrospection/testsupport/"))
		.importPackages(ROOT);

	private static final JavaClasses FIXTURES = new ClassFileImporter()
		.importPackages(ROOT + ".architecture.fixture");

	/**
	 * The public API: what applications configure, extend or call. Keep in step with the
	 * table in the README's "Extending it".
	 */
	static final Set<String> DECLARED_API = Set.of(
			// the model
			"IntrospectedToken",
			// auto-configuration and properties
			"autoconfigure.TokenIntrospectionAutoConfiguration",
			"autoconfigure.ReactiveTokenIntrospectionAutoConfiguration",
			"autoconfigure.TokenIntrospectionActuatorAutoConfiguration",
			"autoconfigure.TokenIntrospectionProperties",
			// assembling by hand and customizing
			"pipeline.IntrospectionPipeline", "pipeline.IntrospectionPipelineCustomizer",
			"pipeline.IntrospectionValidators",
			// the introspectors
			"introspector.ValidatingOpaqueTokenIntrospector", "reactive.ReactiveValidatingOpaqueTokenIntrospector",
			// claim rules and authorities
			"validation.IntrospectionClaimsValidator", "validation.ClaimValidationError",
			"validation.AudienceValidator", "validation.IssuerValidator", "validation.ScopeValidator",
			"validation.TimestampValidator", "validation.TokenTypeValidator",
			"authority.IntrospectionAuthoritiesConverter",
			// calling the authorization server
			"client.IntrospectionClient", "reactive.ReactiveIntrospectionClient",
			"client.RestClientIntrospectionClient", "reactive.WebClientIntrospectionClient",
			"client.AuthorizationServerUnavailableException", "client.ClientAuthenticationMethod",
			"client.authentication.ClientAuthentication", "client.authentication.ClientAuthentications",
			// cache control and stale results
			"cache.IntrospectionCacheControl", "cache.CacheEviction", "cache.StaleResultListener",
			// observation
			"observation.IntrospectionListener", "observation.IntrospectionCall",
			"observation.IntrospectionDecision", "observation.CacheStatus",
			// the web layer
			"web.AuthorizationHeaderBearerTokenResolver", "web.AuthorizationServerUnavailableFilter",
			"reactive.AuthorizationServerUnavailableWebFilter",
			// actuator
			"actuate.TokenIntrospectionEndpoint", "actuate.IntrospectionHealthIndicator");

	/**
	 * Public only because another package of the starter uses them; not API. Each one is
	 * to move into an {@code internal} package (or become package-private); the list may
	 * only shrink, a new public type belongs in {@link #DECLARED_API} and the README.
	 */
	static final Set<String> NOT_YET_INTERNAL = Set.of("cache.AsyncCachingLookup", "cache.CachingIntrospectionClient",
			"cache.IntrospectionCaches", "cache.LastValidatedTokens", "cache.StaleFallback",
			"cache.StaleIfErrorIntrospectionClient", "cache.TokenCache", "cache.TokenCaches", "cache.TokenLookup",
			"cache.shared.EvictionChannel", "cache.shared.RedisAccess", "cache.shared.SharedTokenCaches",
			"cache.shared.TwoLevelCache", "client.HttpsRequirement", "client.IntrospectionExchange",
			"client.IntrospectionResponseReader", "client.authentication.ClientCredentialsTokenSource",
			"discovery.AuthorizationServerMetadata", "discovery.AuthorizationServerMetadataResolver",
			"introspector.IntrospectionDecider", "introspector.TokenSyntaxGuard", "observation.AuditTrailListener",
			"observation.IntrospectionListeners", "observation.MicrometerIntrospectionListener",
			"observation.ObservedIntrospectionClient", "observation.RecentCallOutcomes",
			"reactive.CircuitBreakerReactiveIntrospectionClient", "reactive.ObservedReactiveIntrospectionClient",
			"reactive.ReactiveTokenLookup", "reactive.RetryingReactiveIntrospectionClient",
			"reactive.StaleIfErrorReactiveLookup", "resilience.CircuitBreakerGuard",
			"resilience.CircuitBreakerIntrospectionClient", "resilience.CircuitOpenException",
			"resilience.RetryingIntrospectionClient", "validation.DelegatingClaimsValidator",
			"web.ServiceUnavailableAnswer", "web.StaleResponseHeader");

	@Test
	void packagesWhenImportedThenFreeOfCycles() {
		noPackageCycles().check(MAIN);
	}

	@Test
	void noPackageCyclesWhenTwoPackagesImportEachOtherThenFails() {
		assertThatExceptionOfType(AssertionError.class).isThrownBy(() -> noPackageCycles().check(FIXTURES))
			.withMessageContaining("Cycle detected");
	}

	@Test
	void publicTypesWhenListedThenEitherDeclaredOrNotYetInternal() {
		Set<String> expected = new TreeSet<>(DECLARED_API);
		expected.addAll(NOT_YET_INTERNAL);
		assertThat(publicTopLevelTypesOutsideInternal()).isEqualTo(expected);
		assertThat(DECLARED_API).doesNotContainAnyElementsOf(NOT_YET_INTERNAL);
	}

	@Test
	void declaredApiWhenComparedWithReadmeThenSame() throws IOException {
		String readme = Files.readString(Path.of("..", "README.md"));
		String table = readme.substring(readme.indexOf("### Public types"));
		table = table.substring(0, table.indexOf("\n## "));
		Matcher row = Pattern.compile("(?m)^\\| `([\\w.]+)` \\|").matcher(table);
		Set<String> documented = new TreeSet<>();
		while (row.find()) {
			documented.add(row.group(1));
		}
		assertThat(documented).isEqualTo(new TreeSet<>(DECLARED_API));
	}

	private static ArchRule noPackageCycles() {
		return slices().matching("io.github.(**)").should().beFreeOfCycles();
	}

	private static Set<String> publicTopLevelTypesOutsideInternal() {
		return MAIN.stream()
			.filter((type) -> type.isTopLevelClass() && type.getModifiers().contains(JavaModifier.PUBLIC))
			.filter((type) -> !type.getPackageName().contains(".internal"))
			.map((type) -> type.getName().substring(ROOT.length() + 1))
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
