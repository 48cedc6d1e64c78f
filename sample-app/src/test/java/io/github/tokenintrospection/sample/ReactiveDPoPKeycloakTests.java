package io.github.tokenintrospection.sample;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

/**
 * The DPoP scenarios of {@link DPoPKeycloakTests} against the real Keycloak, on the
 * WebFlux variant of the notes API (Netty, BlockHound watching its event loops), where
 * Spring Security itself has no DPoP support.
 */
@SpringBootTest(classes = ReactiveNotesKeycloakTests.ReactiveNotesApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "spring.main.web-application-type=reactive")
class ReactiveDPoPKeycloakTests extends DPoPKeycloakTests {

}
