package io.github.tokenintrospection.reactive;

import io.github.tokenintrospection.contract.BearerRequests;
import io.github.tokenintrospection.contract.NotesApplications.DecisionThreads;
import io.github.tokenintrospection.contract.NotesApplications;
import io.github.tokenintrospection.internal.reactive.ReactiveValidatingOpaqueTokenIntrospector;
import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;
import org.springframework.test.context.DynamicPropertyRegistry;
import org.springframework.test.context.DynamicPropertySource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The reactive stack's part of the error contract that the servlet stack has no twin for,
 * on a real Netty server with BlockHound watching its event loops: the starter's reactive
 * introspector is the one in use, and a cache hit is decided on the event loop without
 * blocking. What both stacks promise is in {@code contract.ErrorContractTests}.
 */
@SpringBootTest(classes = NotesApplications.Reactive.class, webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = "spring.main.web-application-type=reactive")
class ReactiveErrorContractTests {

	private static final String OPAQUETOKEN = "spring.security.oauth2.resourceserver.opaquetoken.";

	private static final AuthorizationServerStub authorizationServer = new AuthorizationServerStub();

	@LocalServerPort
	int port;

	@Autowired
	ReactiveOpaqueTokenIntrospector introspector;

	@Autowired
	DecisionThreads decisionThreads;

	@DynamicPropertySource
	static void introspection(DynamicPropertyRegistry registry) {
		registry.add(OPAQUETOKEN + "introspection-uri", authorizationServer::url);
		registry.add(OPAQUETOKEN + "client-id", () -> "notes-api");
		registry.add(OPAQUETOKEN + "client-secret", () -> "s3cret");
	}

	@AfterAll
	static void stopAuthorizationServer() {
		authorizationServer.close();
	}

	@Test
	void introspectorIsTheStartersReactiveOne() {
		assertThat(this.introspector).isInstanceOf(ReactiveValidatingOpaqueTokenIntrospector.class);
	}

	@Test
	void getWhenCachedThenDecidedOnTheEventLoopWithoutBlocking() {
		assertThat(BearerRequests.get(this.port, "/notes", "cached-read-token").statusCode()).isEqualTo(200);
		this.decisionThreads.nonBlocking().clear();

		assertThat(BearerRequests.get(this.port, "/notes", "cached-read-token").statusCode()).isEqualTo(200);

		// A cache hit is decided on the server's event loop, where BlockHound fails any
		// blocking call: the whole pipeline ran there.
		assertThat(this.decisionThreads.nonBlocking()).containsExactly(true);
		assertThat(authorizationServer.calls("cached-read-token")).isEqualTo(1);
	}

	@Test
	void getWhenBlockingOnTheEventLoopThenFails() {
		// Proof that BlockHound watches the threads these requests run on.
		assertThat(BearerRequests.get(this.port, "/blocking", "read-token").statusCode()).isEqualTo(500);
	}

}
