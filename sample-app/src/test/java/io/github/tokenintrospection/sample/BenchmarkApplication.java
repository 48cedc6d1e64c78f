package io.github.tokenintrospection.sample;

import java.util.Arrays;

import org.springframework.boot.SpringApplication;
import org.springframework.util.ClassUtils;

/**
 * Starts one configuration of the load benchmark in a JVM of its own: the first argument
 * names the comma-separated source classes, the rest are Spring Boot arguments.
 */
final class BenchmarkApplication {

	private BenchmarkApplication() {
	}

	public static void main(String[] args) throws ClassNotFoundException {
		String[] names = args[0].split(",");
		Class<?>[] sources = new Class<?>[names.length];
		for (int i = 0; i < names.length; i++) {
			sources[i] = ClassUtils.forName(names[i], BenchmarkApplication.class.getClassLoader());
		}
		new SpringApplication(sources).run(Arrays.copyOfRange(args, 1, args.length));
	}

}
