package io.github.tokenintrospection;

import java.util.Arrays;
import java.util.stream.Stream;

import com.tngtech.archunit.base.DescribedPredicate;
import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.PackageMatchers;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.lang.ArchRule;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

/**
 * The architecture, stated as rules that the build checks: which part of the starter may
 * depend on which.
 * <p>
 * The servlet stack's own classes live in {@code io.github.tokenintrospection.web} and
 * {@code internal.servlet}, the reactive stack's in
 * {@code io.github.tokenintrospection.reactive} and {@code internal.reactive}; everything
 * both stacks share lives in neither and uses neither stack's web API. Only the pipeline
 * assembler ({@code io.github.tokenintrospection.pipeline}, which builds either stack's
 * introspector) and the auto-configuration
 * ({@code io.github.tokenintrospection.autoconfigure}) know both stacks.
 */
@AnalyzeClasses(packages = "io.github.tokenintrospection",
		importOptions = { ImportOption.DoNotIncludeTests.class, ArchitectureTests.DoNotIncludeTestSupport.class })
class ArchitectureTests {

	private static final String[] SERVLET = { "io.github.tokenintrospection.web..",
			"io.github.tokenintrospection.internal.servlet.." };

	private static final String[] REACTIVE = { "io.github.tokenintrospection.reactive..",
			"io.github.tokenintrospection.internal.reactive.." };

	private static final String PIPELINE = "io.github.tokenintrospection.pipeline..";

	private static final String AUTO_CONFIGURATION = "io.github.tokenintrospection.autoconfigure..";

	private static final String[] SERVLET_API = { "jakarta.servlet..", "org.springframework.web.servlet..",
			"org.springframework.web.context.request..", "org.apache.catalina..", "org.apache.tomcat.." };

	private static final String[] REACTIVE_API = { "reactor..", "org.springframework.web.reactive..",
			"org.springframework.web.server..", "org.springframework.web.filter.reactive..",
			"org.springframework.http.server.reactive..", "io.netty.." };

	/**
	 * This project's classes that use the servlet API. A class of the servlet packages
	 * that does not is stack-neutral and belongs in a shared package.
	 */
	private static final DescribedPredicate<JavaClass> SERVLET_CLASSES = JavaClass.Predicates
		.resideInAnyPackage(SERVLET)
		.and(DescribedPredicate.describe("use the servlet API",
				(JavaClass javaClass) -> javaClass.getDirectDependenciesFromSelf()
					.stream()
					.anyMatch((dependency) -> PackageMatchers.of(SERVLET_API)
						.test(dependency.getTargetClass().getPackageName()))))
		.as("servlet classes of this project");

	// Layering: which stack may use which.

	@ArchTest
	static final ArchRule reactiveClassesWhenCheckedThenDoNotDependOnServletClasses = noClasses().that()
		.resideInAnyPackage(REACTIVE)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(SERVLET_API)
		.orShould()
		.dependOnClassesThat(SERVLET_CLASSES)
		.because("the reactive stack must run without the servlet API");

	@ArchTest
	static final ArchRule servletClassesWhenCheckedThenDoNotDependOnReactiveClasses = noClasses().that()
		.resideInAnyPackage(SERVLET)
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(REACTIVE_API)
		.orShould()
		.dependOnClassesThat()
		.resideInAnyPackage(REACTIVE)
		.because("the servlet stack must run without Reactor and WebFlux");

	@ArchTest
	static final ArchRule sharedClassesWhenCheckedThenDependOnNeitherStack = noClasses().that()
		.resideOutsideOfPackages(concat(SERVLET, REACTIVE, PIPELINE, AUTO_CONFIGURATION))
		.should()
		.dependOnClassesThat()
		.resideInAnyPackage(SERVLET_API)
		.orShould()
		.dependOnClassesThat()
		.resideInAnyPackage(REACTIVE_API)
		.orShould()
		.dependOnClassesThat()
		.resideInAnyPackage(concat(SERVLET, REACTIVE))
		.because("what both stacks share must work under either");

	private static String[] concat(Object... packages) {
		return Arrays.stream(packages)
			.flatMap((each) -> (each instanceof String[] many) ? Arrays.stream(many) : Stream.of((String) each))
			.toArray(String[]::new);
	}

	/**
	 * Leaves out the test fixtures (module test-support), which share the base package.
	 */
	static final class DoNotIncludeTestSupport implements ImportOption {

		@Override
		public boolean includes(Location location) {
			return !location.contains("/io/github/tokenintrospection/testsupport/");
		}

	}

}
