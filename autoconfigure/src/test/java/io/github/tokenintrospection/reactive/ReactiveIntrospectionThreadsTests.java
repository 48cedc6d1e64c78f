package io.github.tokenintrospection.reactive;

import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;
import java.net.http.HttpClient;
import java.time.Duration;
import java.util.concurrent.Executor;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.atomic.AtomicInteger;

import io.github.tokenintrospection.pipeline.IntrospectionPipeline;
import io.github.tokenintrospection.testsupport.LoopbackIntrospectionStub;
import io.github.tokenintrospection.testsupport.RestoreLoggerLevels;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.reactor.netty.NettyReactiveWebServerFactory;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Introspection calls of the reactive pipeline start no threads: they run on Reactor
 * Netty's event loops, whether the auto-configuration built the pipeline or an
 * application wired it by hand. (With the JDK HttpClient, every call completed on a
 * thread of its own on machines with two or fewer CPUs: 14,312 threads for 14,349 calls.)
 */
@SpringBootTest(classes = ReactiveIntrospectionThreadsTests.ThreadsApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive",
				"logging.level.io.github.tokenintrospection.audit=warn" })
// The audit trail back at its level for later test classes in this JVM.
@ExtendWith(RestoreLoggerLevels.class)
class ReactiveIntrospectionThreadsTests {

	private static final int CALLS = 200;

	private static final LoopbackIntrospectionStub authorizationServer = new LoopbackIntrospectionStub((token) -> true);

	@Autowired
	ReactiveOpaqueTokenIntrospector introspector;

	@DynamicPropertySource
	static void introspection(DynamicPropertyRegistry registry) {
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.introspection-uri", authorizationServer::url);
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-id", () -> "notes-api");
		registry.add("spring.security.oauth2.resourceserver.opaquetoken.client-secret", () -> "s3cret");
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Test
	void introspectWhenManyCallsThenFarFewerThreadsStarted() {
		assertFewThreadsStarted(this.introspector, "token-");
	}

	@Test
	void introspectWhenWiredByHandAndManyCallsThenFarFewerThreadsStarted() {
		ReactiveOpaqueTokenIntrospector handWired = IntrospectionPipeline
			.withIntrospectionUri(authorizationServer.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.buildReactive();

		assertFewThreadsStarted(handWired, "hand-wired-token-");
	}

	@Test
	void introspectWhenWiredByHandWithJdkHttpClientThenThatClientSends() {
		AtomicInteger tasks = new AtomicInteger();
		Executor countingExecutor = (task) -> {
			tasks.incrementAndGet();
			ForkJoinPool.commonPool().execute(task);
		};
		ReactiveOpaqueTokenIntrospector handWired = IntrospectionPipeline
			.withIntrospectionUri(authorizationServer.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.httpClient(HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).executor(countingExecutor).build())
			.buildReactive();

		assertThat(handWired.introspect("jdk-client-token").block(Duration.ofSeconds(10))).isNotNull();

		assertThat(authorizationServer.callsPerToken()).containsEntry("jdk-client-token", 1);
		assertThat(tasks).as("tasks run by the given client's executor").hasPositiveValue();
	}

	private static void assertFewThreadsStarted(ReactiveOpaqueTokenIntrospector introspector, String tokenPrefix) {
		// Warm-up: event loops, the connection pool and the schedulers start their
		// threads.
		introspect(introspector, tokenPrefix, 0, 20);
		ThreadMXBean threads = ManagementFactory.getThreadMXBean();
		long startedBefore = threads.getTotalStartedThreadCount();

		introspect(introspector, tokenPrefix, 20, CALLS);

		long started = threads.getTotalStartedThreadCount() - startedBefore;
		assertThat(authorizationServer.callsPerToken().keySet()).filteredOn((token) -> token.startsWith(tokenPrefix))
			.hasSize(CALLS);
		assertThat(started).as("threads started by %d introspection calls", CALLS - 20).isLessThan(10);
	}

	private static void introspect(ReactiveOpaqueTokenIntrospector introspector, String tokenPrefix, int from, int to) {
		for (int i = from; i < to; i++) {
			// A new token each time: every call reaches the authorization server.
			assertThat(introspector.introspect(tokenPrefix + i).block(Duration.ofSeconds(10))).isNotNull();
		}
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class ThreadsApplication {

		@Bean
		NettyReactiveWebServerFactory nettyReactiveWebServerFactory() {
			// Netty, not Tomcat (also on the test class path).
			return new NettyReactiveWebServerFactory();
		}

	}

}
