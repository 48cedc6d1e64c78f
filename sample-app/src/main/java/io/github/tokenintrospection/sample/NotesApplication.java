package io.github.tokenintrospection.sample;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A notes API whose callers present opaque access tokens. The token introspection starter
 * does the work from application.yml; {@link SecurityConfiguration} only says who may
 * call what.
 */
@SpringBootApplication
public class NotesApplication {

	public static void main(String[] args) {
		SpringApplication.run(NotesApplication.class, args);
	}

}
