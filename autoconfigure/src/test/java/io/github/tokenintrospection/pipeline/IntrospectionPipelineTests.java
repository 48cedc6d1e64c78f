package io.github.tokenintrospection.pipeline;

import java.util.List;

import io.github.tokenintrospection.testsupport.AuthorizationServerStub;
import io.github.tokenintrospection.validation.AudienceValidator;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import reactor.test.StepVerifier;

import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.security.oauth2.server.resource.introspection.BadOpaqueTokenException;
import org.springframework.security.oauth2.server.resource.introspection.OpaqueTokenIntrospector;
import org.springframework.security.oauth2.server.resource.introspection.ReactiveOpaqueTokenIntrospector;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

/**
 * The pipeline wired by hand, without Spring Boot, against an introspection endpoint on
 * loopback.
 */
class IntrospectionPipelineTests {

	private final AuthorizationServerStub server = new AuthorizationServerStub();

	@AfterEach
	void stopServer() {
		this.server.close();
	}

	@Test
	void buildServletWhenHandWiredThenCachesAndGrantsScopes() {
		OpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.buildServlet();
		OAuth2AuthenticatedPrincipal first = introspector.introspect("token-1");
		OAuth2AuthenticatedPrincipal second = introspector.introspect("token-1");
		assertThat(first.getName()).isEqualTo("alice");
		assertThat(second.getAuthorities()).extracting(GrantedAuthority::getAuthority).containsExactly("SCOPE_read");
		assertThat(this.server.calls("token-1")).isOne();
	}

	@Test
	void buildReactiveWhenHandWiredThenCachesAndGrantsScopes() {
		ReactiveOpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.buildReactive();
		StepVerifier.create(introspector.introspect("token-1"))
			.assertNext((principal) -> assertThat(principal.getName()).isEqualTo("alice"))
			.verifyComplete();
		StepVerifier.create(introspector.introspect("token-1"))
			.assertNext((principal) -> assertThat(principal.getAuthorities()).extracting(GrantedAuthority::getAuthority)
				.containsExactly("SCOPE_read"))
			.verifyComplete();
		assertThat(this.server.calls("token-1")).isOne();
	}

	@Test
	void buildServletWhenValidatorAddedThenTokenWithoutAudienceRejectedOnEveryRequest() {
		OpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.validators((validators) -> validators.add(new AudienceValidator(List.of("notes-api"))))
			.buildServlet();
		for (int i = 0; i < 2; i++) {
			assertThatExceptionOfType(BadOpaqueTokenException.class)
				.isThrownBy(() -> introspector.introspect("token-1"))
				.withMessageContaining("notes-api");
		}
		assertThat(this.server.calls("token-1")).isOne();
	}

	@Test
	void buildReactiveWhenValidatorAddedThenTokenWithoutAudienceRejected() {
		ReactiveOpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.validators((validators) -> validators.add(new AudienceValidator(List.of("notes-api"))))
			.buildReactive();
		StepVerifier.create(introspector.introspect("token-1")).verifyError(BadOpaqueTokenException.class);
	}

	@Test
	void buildServletWhenInactiveTokenThenRejected() {
		OpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.buildServlet();
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> introspector.introspect("inactive-1"));
	}

	@Test
	void buildServletWhenMalformedTokenThenRejectedWithoutCallingTheServer() {
		OpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.maxTokenLength(8)
			.buildServlet();
		assertThatExceptionOfType(BadOpaqueTokenException.class)
			.isThrownBy(() -> introspector.introspect("token-longer-than-8"));
		assertThat(this.server.totalCalls()).isZero();
	}

	@Test
	void buildServletWhenWithoutCacheThenEveryRequestAsksTheServer() {
		OpaqueTokenIntrospector introspector = IntrospectionPipeline.withIntrospectionUri(this.server.url())
			.clientId("notes-api")
			.clientSecret("s3cret")
			.withoutCache()
			.buildServlet();
		introspector.introspect("token-1");
		introspector.introspect("token-1");
		assertThat(this.server.calls("token-1")).isEqualTo(2);
	}

	@Test
	void buildServletWhenNoCredentialsThenFailsNamingThem() {
		assertThatIllegalStateException()
			.isThrownBy(() -> IntrospectionPipeline.withIntrospectionUri(this.server.url()).buildServlet())
			.withMessageContaining("clientId and clientSecret");
	}

	@Test
	void buildReactiveWhenOnlyServletClientThenFailsSayingSo() {
		IntrospectionPipeline.Builder builder = IntrospectionPipeline
			.withClient((token) -> io.github.tokenintrospection.IntrospectedToken.inactive());
		assertThatIllegalStateException().isThrownBy(builder::buildReactive)
			.withMessageContaining("no reactive client");
	}

	@Test
	void withIntrospectionUriWhenPlainHttpToAnotherHostThenRefused() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> IntrospectionPipeline.withIntrospectionUri("http://login.example.com/introspect"))
			.withMessageContaining("RFC 7662 requires TLS");
	}

}
