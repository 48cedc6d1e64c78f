package io.github.tokenintrospection.contract;

import java.util.Map;

import org.springframework.boot.WebApplicationType;
import org.springframework.boot.builder.SpringApplicationBuilder;

/**
 * A web stack the starter supports. The contract tests run one body against each, as a
 * test parameter, so that what both stacks promise is written once.
 */
enum Stack {

	/** Spring MVC on Tomcat. */
	SERVLET(NotesApplications.Servlet.class, WebApplicationType.SERVLET),

	/** WebFlux on Netty. */
	REACTIVE(NotesApplications.Reactive.class, WebApplicationType.REACTIVE);

	private final Class<?> application;

	private final WebApplicationType type;

	Stack(Class<?> application, WebApplicationType type) {
		this.application = application;
		this.type = type;
	}

	/**
	 * Starts the notes API on this stack, on a free port.
	 * @param properties the application's properties, the same for every stack
	 * @param additionalConfigurations configurations to add to the notes API, if any
	 * @return the running application
	 */
	RunningStack start(Map<String, Object> properties, Class<?>... additionalConfigurations) {
		return new RunningStack(this,
				new SpringApplicationBuilder(this.application).sources(additionalConfigurations)
					.web(this.type)
					.properties(properties)
					.properties("server.port=0")
					.run());
	}

}
