package io.github.tokenintrospection.test;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

/**
 * Annotation for a test class whose requests carry introspection answers written in the
 * test ({@link TokenIntrospectionRequestPostProcessors#introspectionAnswer(String)},
 * {@link TokenIntrospectionWebTestClientConfigurers#introspectionAnswer(String)}): the
 * starter's introspection client is replaced by one that reads those answers, and nothing
 * calls the authorization server. The starter's parser, claim validators, authorities
 * mapping, principal name, cache and listeners run as configured; a token with no
 * registered answer is inactive.
 * <p>
 * Works with {@code @WebMvcTest}, {@code @WebFluxTest} and {@code @SpringBootTest}. The
 * starter must be active in the test's context, as in production: its
 * {@code spring.security.oauth2.resourceserver.opaquetoken.introspection-uri} (or
 * {@code token-introspection.issuer-uri}) set, which the application's configuration
 * usually does.
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureIntrospectionAnswers {

}
