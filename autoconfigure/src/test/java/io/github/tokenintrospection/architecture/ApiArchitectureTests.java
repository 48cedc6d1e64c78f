package io.github.tokenintrospection.architecture;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;
import com.tngtech.archunit.library.dependencies.SliceAssignment;
import com.tngtech.archunit.library.dependencies.SliceIdentifier;
import org.junit.jupiter.api.Test;

import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * The package and API rules of the starter: no package cycles, and public types only the
 * declared ones (the "Public types" table of docs/extending.md). The stack rules are in
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
		// the shared test fixtures module is on the test class path, but not part of the
		// starter
		.withImportOption((location) -> !location.contains("/io/github/tokenintrospection/testsupport/"))
		.importPackages(ROOT);

	private static final JavaClasses FIXTURES = new ClassFileImporter().importPackages(ROOT + ".architecture.fixture");

	/**
	 * The public API: what applications configure, extend or call. Keep in step with the
	 * table in docs/extending.md.
	 */
	static final Set<String> DECLARED_API = Set.of(
			// the model
			"IntrospectedToken",
			// auto-configuration and properties
			"autoconfigure.TokenIntrospectionAutoConfiguration",
			"autoconfigure.ReactiveTokenIntrospectionAutoConfiguration",
			"autoconfigure.TokenIntrospectionActuatorAutoConfiguration", "autoconfigure.TokenIntrospectionProperties",
			"autoconfigure.TokenIntrospectionConnectionDetails",
			// assembling by hand and customizing
			"pipeline.IntrospectionPipeline", "pipeline.IntrospectionPipelineCustomizer",
			"pipeline.IntrospectionValidators",
			// claim rules and authorities
			"validation.IntrospectionClaimsValidator", "validation.ClaimValidationError",
			"validation.AudienceValidator", "validation.IssuerValidator", "validation.ScopeValidator",
			"validation.TimestampValidator", "validation.TokenTypeValidator",
			"authority.IntrospectionAuthoritiesConverter",
			// calling the authorization server
			"client.IntrospectionClient", "reactive.ReactiveIntrospectionClient",
			"client.RestClientIntrospectionClient", "reactive.WebClientIntrospectionClient",
			"client.AuthorizationServerUnavailableException", "client.ClientAuthenticationMethod",
			"client.IntrospectionResponseFormat", "client.authentication.ClientAuthentication",
			"client.authentication.ClientAuthentications",
			// cache control and stale results
			"cache.IntrospectionCacheControl", "cache.CacheEviction", "cache.StaleResultListener",
			// observation
			"observation.IntrospectionListener", "observation.IntrospectionCall", "observation.IntrospectionDecision",
			"observation.CacheStatus",
			// the web layer
			"web.AuthorizationHeaderBearerTokenResolver", "web.AuthorizationServerUnavailableFilter",
			"reactive.AuthorizationServerUnavailableWebFilter",
			// actuator
			"actuate.TokenIntrospectionEndpoint");

	/**
	 * The only public signatures of the API that name an internal type: the
	 * auto-configuration hands its caches (an application cache, the two-level Redis
	 * cache), its local JWT router (token-introspection.jwt.*), its sender-constraint
	 * rules (token-introspection.sender-constraint.*) and refresh-ahead's meters to the
	 * pipeline through them. Applications leave them alone.
	 */
	static final List<String> INTERNAL_IN_API = List.of(ROOT
			+ ".pipeline.IntrospectionPipeline$Builder.caches(io.github.tokenintrospection.internal.cache.TokenCaches) names "
			+ ROOT + ".internal.cache.TokenCaches",
			ROOT + ".pipeline.IntrospectionPipeline$Builder.localJwt(io.github.tokenintrospection.internal.jwt.LocalJwtRouter) names "
					+ ROOT + ".internal.jwt.LocalJwtRouter",
			ROOT + ".pipeline.IntrospectionPipeline$Builder.possessionCheck(io.github.tokenintrospection.internal.possession.PossessionCheck) names "
					+ ROOT + ".internal.possession.PossessionCheck",
			ROOT + ".pipeline.IntrospectionPipeline$RefreshAheadSettings.listener(io.github.tokenintrospection.internal.cache.RefreshAhead$Listener) names "
					+ ROOT + ".internal.cache.RefreshAhead$Listener");

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
	void publicTypesWhenListedThenOnlyTheDeclaredApi() {
		assertThat(publicTopLevelTypesOutsideInternal()).isEqualTo(new TreeSet<>(DECLARED_API));
	}

	@Test
	void declaredApiWhenComparedWithReadmeThenSame() throws IOException {
		String readme = Files.readString(Path.of("..", "docs", "extending.md"));
		String table = readme.substring(readme.indexOf("### Public types"));
		int end = table.indexOf("\n## ");
		table = (end < 0) ? table : table.substring(0, end);
		Matcher row = Pattern.compile("(?m)^\\| `([\\w.]+)` \\|").matcher(table);
		Set<String> documented = new TreeSet<>();
		while (row.find()) {
			documented.add(row.group(1));
		}
		assertThat(documented).isEqualTo(new TreeSet<>(DECLARED_API));
	}

	@Test
	void declaredApiWhenSignaturesReadThenNamesNoInternalType() {
		Set<String> leaks = new TreeSet<>();
		MAIN.stream()
			.filter((type) -> type.getModifiers().contains(JavaModifier.PUBLIC))
			.filter((type) -> DECLARED_API
				.contains(type.getName().substring(ROOT.length() + 1).replaceAll("\\$.*", "")))
			.flatMap((type) -> type.getCodeUnits().stream())
			.filter((unit) -> unit.getModifiers().contains(JavaModifier.PUBLIC)
					|| unit.getModifiers().contains(JavaModifier.PROTECTED))
			.forEach((unit) -> {
				Stream.concat(Stream.of(unit.getRawReturnType()), unit.getRawParameterTypes().stream())
					.filter((type) -> type.getPackageName().startsWith(ROOT + ".internal"))
					.forEach((type) -> leaks.add(unit.getFullName() + " names " + type.getName()));
			});
		assertThat(leaks).as("public API signatures that expose internal types")
			.containsExactlyElementsOf(INTERNAL_IN_API);
	}

	/**
	 * One slice per area of the starter: an API package and its {@code internal} twin
	 * (such as {@code cache} and {@code internal.cache}) are one area, so that the API
	 * may be implemented in its internal package; areas must not form cycles.
	 */
	private static ArchRule noPackageCycles() {
		return slices().assignedFrom(new SliceAssignment() {

			@Override
			public SliceIdentifier getIdentifierOf(JavaClass javaClass) {
				String name = javaClass.getPackageName();
				if (!name.startsWith("io.github.")) {
					return SliceIdentifier.ignore();
				}
				return SliceIdentifier.of(name.replace(".internal", ""));
			}

			@Override
			public String getDescription() {
				return "areas of the starter (a package and its internal twin)";
			}

		}).should().beFreeOfCycles();
	}

	private static Set<String> publicTopLevelTypesOutsideInternal() {
		return MAIN.stream()
			.filter((type) -> type.isTopLevelClass() && type.getModifiers().contains(JavaModifier.PUBLIC))
			.filter((type) -> !type.getPackageName().contains(".internal"))
			.map((type) -> type.getName().substring(ROOT.length() + 1))
			.collect(Collectors.toCollection(TreeSet::new));
	}

}
