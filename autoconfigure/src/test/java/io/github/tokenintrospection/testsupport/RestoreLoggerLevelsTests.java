package io.github.tokenintrospection.testsupport;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import org.springframework.boot.logging.LogLevel;
import org.springframework.boot.logging.LoggingSystem;

import static org.assertj.core.api.Assertions.assertThat;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;
import static org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder.request;

/**
 * {@link RestoreLoggerLevels} run around a test class that changes logger levels, as an
 * application's {@code logging.level.*} would, next to the same class without it.
 */
class RestoreLoggerLevelsTests {

	private static final String CONFIGURED = "io.github.tokenintrospection.sample.configured";

	private static final String UNCONFIGURED = "io.github.tokenintrospection.sample.unconfigured";

	private static volatile boolean launchedByThisTest;

	private final LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());

	@BeforeEach
	void configureOneLogger() {
		this.loggingSystem.setLogLevel(CONFIGURED, LogLevel.WARN);
		launchedByThisTest = true;
	}

	@AfterEach
	void clearLevels() {
		launchedByThisTest = false;
		this.loggingSystem.setLogLevel(CONFIGURED, null);
		this.loggingSystem.setLogLevel(UNCONFIGURED, null);
	}

	@Test
	void afterAllWhenClassChangedLevelsThenLevelsAsBefore() {
		LogLevel rootBefore = configuredLevel(LoggingSystem.ROOT_LOGGER_NAME);

		assertThat(run(ChangesLevelsAndRestores.class).getTestsSucceededCount()).isOne();

		assertThat(configuredLevel(CONFIGURED)).isEqualTo(LogLevel.WARN);
		assertThat(configuredLevel(UNCONFIGURED)).isNull();
		assertThat(configuredLevel(LoggingSystem.ROOT_LOGGER_NAME)).isEqualTo(rootBefore);
	}

	@Test
	void afterAllWhenNotExtendedThenLevelsStayChanged() {
		LogLevel rootBefore = configuredLevel(LoggingSystem.ROOT_LOGGER_NAME);
		try {
			assertThat(run(ChangesLevels.class).getTestsSucceededCount()).isOne();

			assertThat(configuredLevel(CONFIGURED)).isEqualTo(LogLevel.TRACE);
			assertThat(configuredLevel(UNCONFIGURED)).isEqualTo(LogLevel.DEBUG);
			assertThat(configuredLevel(LoggingSystem.ROOT_LOGGER_NAME)).isEqualTo(LogLevel.ERROR);
		}
		finally {
			this.loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, rootBefore);
		}
	}

	private LogLevel configuredLevel(String logger) {
		return this.loggingSystem.getLoggerConfiguration(logger).getConfiguredLevel();
	}

	private static TestExecutionSummary run(Class<?> testClass) {
		SummaryGeneratingListener listener = new SummaryGeneratingListener();
		LauncherFactory.create().execute(request().selectors(selectClass(testClass)).build(), listener);
		return listener.getSummary();
	}

	/** Changes three levels, as an application's properties would. */
	static class ChangesLevels {

		@Test
		void changeLevels() {
			// Does nothing when the build runs it on its own.
			Assumptions.assumeTrue(launchedByThisTest);
			LoggingSystem loggingSystem = LoggingSystem.get(getClass().getClassLoader());
			loggingSystem.setLogLevel(CONFIGURED, LogLevel.TRACE);
			loggingSystem.setLogLevel(UNCONFIGURED, LogLevel.DEBUG);
			loggingSystem.setLogLevel(LoggingSystem.ROOT_LOGGER_NAME, LogLevel.ERROR);
		}

	}

	@ExtendWith(RestoreLoggerLevels.class)
	static class ChangesLevelsAndRestores extends ChangesLevels {

	}

}
