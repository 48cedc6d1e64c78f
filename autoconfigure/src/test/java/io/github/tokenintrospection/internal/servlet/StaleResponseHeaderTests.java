package io.github.tokenintrospection.internal.servlet;

import java.time.Duration;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.security.oauth2.server.resource.introspection.OAuth2IntrospectionException;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatNoException;

class StaleResponseHeaderTests {

	private static final IntrospectedToken TOKEN = IntrospectedToken.active(Map.of("sub", "alice"));

	private final StaleResponseHeader listener = new StaleResponseHeader();

	@AfterEach
	void resetRequestContext() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void staleResultUsedWhenInRequestThenHeaderAndAttributeCarryAge() {
		MockHttpServletRequest request = new MockHttpServletRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(request, response));

		this.listener.staleResultUsed(TOKEN, Duration.ofMillis(42_900), new OAuth2IntrospectionException("down"));

		assertThat(response.getHeader(StaleResponseHeader.HEADER)).isEqualTo("42");
		assertThat(request.getAttribute(StaleResponseHeader.ATTRIBUTE)).isEqualTo(Duration.ofMillis(42_900));
	}

	@Test
	void staleResultUsedWhenOutsideARequestThenNothingHappens() {
		assertThatNoException().isThrownBy(() -> this.listener.staleResultUsed(TOKEN, Duration.ofSeconds(1),
				new OAuth2IntrospectionException("down")));
	}

}
