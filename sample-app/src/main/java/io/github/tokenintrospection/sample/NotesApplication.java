package io.github.tokenintrospection.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.security.config.annotation.method.configuration.EnableMethodSecurity;

/**
 * A notes API whose callers present opaque access tokens. Security is Spring Boot's default
 * resource-server filter chain plus method security; the token introspection starter does
 * the rest from application.yml.
 */
@SpringBootApplication
@EnableMethodSecurity
public class NotesApplication {

	public static void main(String[] args) {
		SpringApplication.run(NotesApplication.class, args);
	}

}
