package io.github.tokenintrospection.internal.servlet;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;

import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletRequestWrapper;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import io.github.tokenintrospection.internal.possession.PresentedCredentials;

import org.springframework.http.HttpHeaders;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.context.request.RequestContextHolder;
import org.springframework.web.context.request.ServletRequestAttributes;

import static org.assertj.core.api.Assertions.assertThat;

class RequestSchemeTests {

	@AfterEach
	void clearRequest() {
		RequestContextHolder.resetRequestAttributes();
	}

	@Test
	void presentedCredentialsWhenSchemeFilterInFrontThenAuthorizationHeaderNotReadAgain() throws Exception {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/notes");
		request.addHeader(HttpHeaders.AUTHORIZATION, "DPoP abc.def");
		AtomicInteger authorizationReads = new AtomicInteger();
		AtomicReference<PresentedCredentials> presented = new AtomicReference<>();

		new DPoPSchemeFilter(() -> null).doFilter(request, new MockHttpServletResponse(), (inner, response) -> {
			// Inside Spring Security's chain every header read is checked by the
			// firewall.
			HttpServletRequest firewalled = countingAuthorizationReads((HttpServletRequest) inner, authorizationReads);
			RequestContextHolder.setRequestAttributes(new ServletRequestAttributes(firewalled));
			presented.set(new CurrentPresentedCredentials().get());
		});

		assertThat(presented.get().scheme()).isEqualTo(PresentedCredentials.Scheme.DPOP);
		assertThat(authorizationReads).hasValue(0);
	}

	@Test
	void ofWhenNoSchemeFilterInFrontThenReadFromTheHeader() {
		MockHttpServletRequest request = new MockHttpServletRequest("GET", "/notes");
		request.addHeader(HttpHeaders.AUTHORIZATION, "dpop abc.def");

		assertThat(RequestScheme.of(request)).isEqualTo(PresentedCredentials.Scheme.DPOP);
		assertThat(RequestScheme.of(new MockHttpServletRequest())).isEqualTo(PresentedCredentials.Scheme.BEARER);
	}

	private static HttpServletRequest countingAuthorizationReads(HttpServletRequest request, AtomicInteger reads) {
		return new HttpServletRequestWrapper(request) {

			@Override
			public String getHeader(String name) {
				if (HttpHeaders.AUTHORIZATION.equalsIgnoreCase(name)) {
					reads.incrementAndGet();
				}
				return super.getHeader(name);
			}

		};
	}

}
