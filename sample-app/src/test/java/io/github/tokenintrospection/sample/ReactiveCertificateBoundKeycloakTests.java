package io.github.tokenintrospection.sample;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The certificate-bound scenarios of {@link CertificateBoundKeycloakTests} against the
 * real Keycloak, on the WebFlux variant of the notes API: Netty serving HTTPS and asking
 * for client certificates, the certificate read from the request's {@code SslInfo}.
 */
@SpringBootTest(classes = ReactiveNotesKeycloakTests.ReactiveNotesApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class ReactiveCertificateBoundKeycloakTests extends CertificateBoundKeycloakTests {

}
