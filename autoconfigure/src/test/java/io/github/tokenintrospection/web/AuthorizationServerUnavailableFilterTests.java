package io.github.tokenintrospection.web;

import java.time.Duration;

import io.github.tokenintrospection.client.AuthorizationServerUnavailableException;
import io.github.tokenintrospection.internal.resilience.CircuitOpenException;
import jakarta.servlet.FilterChain;
import jakarta.servlet.ServletException;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.authentication.AuthenticationServiceException;
import org.springframework.security.oauth2.server.resource.InvalidBearerTokenException;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.catchThrowable;

class AuthorizationServerUnavailableFilterTests {

	private final AuthorizationServerUnavailableFilter filter = new AuthorizationServerUnavailableFilter();

	private final MockHttpServletRequest request = new MockHttpServletRequest("GET", "/notes");

	private final MockHttpServletResponse response = new MockHttpServletResponse();

	@Test
	void doFilterWhenIntrospectionFailsThen503WithJsonBody() throws Exception {
		FilterChain chain = (request, response) -> {
			throw new AuthenticationServiceException("x", new OAuth2IntrospectionException("down"));
		};

		this.filter.doFilter(this.request, this.response, chain);

		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getHeader("Content-Type")).isEqualTo("application/json");
		assertThat(this.response.getContentAsString()).contains("\"error\":\"temporarily_unavailable\"");
	}

	@Test
	void doFilterWhenFailureGivesNoWaitThenDefaultRetryAfterAndNoStore() throws Exception {
		this.filter.doFilter(this.request, this.response, failingWith(new OAuth2IntrospectionException("down")));

		assertThat(this.response.getHeader("Retry-After")).isEqualTo("5");
		assertThat(this.response.getHeader("Cache-Control")).isEqualTo("no-store");
	}

	@Test
	void doFilterWhenConfiguredDefaultRetryAfterThenUsed() throws Exception {
		new AuthorizationServerUnavailableFilter(Duration.ofSeconds(12)).doFilter(this.request, this.response,
				failingWith(new OAuth2IntrospectionException("down")));

		assertThat(this.response.getHeader("Retry-After")).isEqualTo("12");
	}

	@Test
	void doFilterWhenServerAskedForWaitThenItIsPassedOn() throws Exception {
		this.filter.doFilter(this.request, this.response, failingWith(
				new AuthorizationServerUnavailableException("HTTP 429", null, false, Duration.ofSeconds(17))));

		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getHeader("Retry-After")).isEqualTo("17");
	}

	@Test
	void doFilterWhenCircuitOpenThenRetryAfterIsTimeLeftRoundedUp() throws Exception {
		this.filter.doFilter(this.request, this.response,
				failingWith(new CircuitOpenException(Duration.ofMillis(20_001))));

		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getHeader("Retry-After")).isEqualTo("21");
	}

	@Test
	void doFilterWhenWaitBelowOneSecondThenRetryAfterIsOne() throws Exception {
		this.filter.doFilter(this.request, this.response,
				failingWith(new AuthorizationServerUnavailableException("HTTP 429", null, false, Duration.ZERO)));

		assertThat(this.response.getHeader("Retry-After")).isEqualTo("1");
	}

	private static FilterChain failingWith(OAuth2IntrospectionException failure) {
		return (request, response) -> {
			throw new AuthenticationServiceException("x", failure);
		};
	}

	@Test
	void doFilterWhenIntrospectionFailureWrappedInServletExceptionThen503() throws Exception {
		FilterChain chain = (request, response) -> {
			throw new ServletException("wrapped",
					new AuthenticationServiceException("x", new OAuth2IntrospectionException("down")));
		};

		this.filter.doFilter(this.request, this.response, chain);

		assertThat(this.response.getStatus()).isEqualTo(503);
	}

	@Test
	void doFilterWhenPartialBodyWrittenBeforeFailureThenOnlyJsonBodySent() throws Exception {
		FilterChain chain = (request, response) -> {
			response.setContentType("text/plain");
			response.getWriter().write("partial");
			throw new AuthenticationServiceException("x", new OAuth2IntrospectionException("down"));
		};

		this.filter.doFilter(this.request, this.response, chain);

		assertThat(this.response.getStatus()).isEqualTo(503);
		assertThat(this.response.getContentAsString()).doesNotContain("partial").startsWith("{");
	}

	@Test
	void doFilterWhenCausedByBadOpaqueTokenThenRethrown() {
		AuthenticationServiceException failure = new AuthenticationServiceException("x",
				new BadOpaqueTokenException("inactive"));

		Throwable thrown = catchThrowable(
				() -> this.filter.doFilter(this.request, this.response, (request, response) -> {
					throw failure;
				}));

		assertThat(thrown).isSameAs(failure);
		assertThat(this.response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenInvalidBearerTokenThenRethrown() {
		InvalidBearerTokenException failure = new InvalidBearerTokenException("inactive",
				new BadOpaqueTokenException("inactive"));

		assertThatExceptionOfType(InvalidBearerTokenException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, (request, response) -> {
				throw failure;
			}))
			.isSameAs(failure);
	}

	@Test
	void doFilterWhenUnrelatedRuntimeExceptionThenRethrown() {
		IllegalStateException failure = new IllegalStateException("bug");

		assertThatExceptionOfType(IllegalStateException.class)
			.isThrownBy(() -> this.filter.doFilter(this.request, this.response, (request, response) -> {
				throw failure;
			}))
			.isSameAs(failure);
		assertThat(this.response.getStatus()).isEqualTo(200);
	}

	@Test
	void doFilterWhenResponseAlreadyCommittedThenRethrown() {
		AuthenticationServiceException failure = new AuthenticationServiceException("x",
				new OAuth2IntrospectionException("down"));

		Throwable thrown = catchThrowable(
				() -> this.filter.doFilter(this.request, this.response, (request, response) -> {
					response.getWriter().write("streaming");
					response.flushBuffer();
					throw failure;
				}));

		assertThat(thrown).isSameAs(failure);
	}

	@Test
	void doFilterWhenChainSucceedsThenResponseUntouched() throws Exception {
		this.filter.doFilter(this.request, this.response, (request, response) -> {
			((jakarta.servlet.http.HttpServletResponse) response).setStatus(201);
			response.setContentType("text/plain");
			response.getWriter().write("created");
		});

		assertThat(this.response.getStatus()).isEqualTo(201);
		assertThat(this.response.getContentType()).startsWith("text/plain");
		assertThat(this.response.getContentAsString()).isEqualTo("created");
	}

}
