package io.github.tokenintrospection;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.jspecify.annotations.NullMarked;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every main package declares its nullness with JSpecify: a {@code package-info.java}
 * annotated {@link NullMarked}, so that unannotated types mean non-null and
 * {@code @Nullable} marks the exceptions.
 */
class NullnessConventionTests {

	private static final Path MAIN_SOURCES = Path.of("src/main/java");

	private static final Pattern NULL_MARKED = Pattern.compile("(?m)^@NullMarked\\s*$");

	private static final String NULL_MARKED_IMPORT = "import " + NullMarked.class.getName() + ";";

	@Test
	void unmarkedPackagesWhenMainSourcesThenNone() {
		List<String> packages = packages(MAIN_SOURCES);

		assertThat(packages).contains("io.github.tokenintrospection",
				"io.github.tokenintrospection.internal.cache.shared");
		assertThat(unmarkedPackages(MAIN_SOURCES)).isEmpty();
	}

	@Test
	void compiledPackagesWhenMainSourcesThenAnnotatedNullMarked() throws ClassNotFoundException {
		for (String name : packages(MAIN_SOURCES)) {
			Class<?> packageInfo = Class.forName(name + ".package-info");

			assertThat(packageInfo.isAnnotationPresent(NullMarked.class)).as(name).isTrue();
		}
	}

	@Test
	void unmarkedPackagesWhenPackageHasNoPackageInfoThenReported(@TempDir Path root) throws IOException {
		write(root.resolve("com/example/marked/package-info.java"), markedPackageInfo("com.example.marked"));
		write(root.resolve("com/example/marked/Marked.java"), "package com.example.marked;\nclass Marked {\n}\n");
		write(root.resolve("com/example/bare/Bare.java"), "package com.example.bare;\nclass Bare {\n}\n");

		assertThat(unmarkedPackages(root)).containsExactly("com.example.bare");
	}

	@Test
	void unmarkedPackagesWhenPackageInfoLacksNullMarkedThenReported(@TempDir Path root) throws IOException {
		write(root.resolve("com/example/documented/package-info.java"),
				"/**\n * Documented, but says nothing of @NullMarked nullness.\n */\npackage com.example.documented;\n");
		write(root.resolve("com/example/documented/Documented.java"),
				"package com.example.documented;\nclass Documented {\n}\n");

		assertThat(unmarkedPackages(root)).containsExactly("com.example.documented");
	}

	@Test
	void unmarkedPackagesWhenEveryPackageIsNullMarkedThenNone(@TempDir Path root) throws IOException {
		write(root.resolve("com/example/marked/package-info.java"), markedPackageInfo("com.example.marked"));
		write(root.resolve("com/example/marked/Marked.java"), "package com.example.marked;\nclass Marked {\n}\n");

		assertThat(packages(root)).containsExactly("com.example.marked");
		assertThat(unmarkedPackages(root)).isEmpty();
	}

	/** The packages under a source root: the directories that hold Java sources. */
	private static List<String> packages(Path root) {
		try (Stream<Path> files = Files.walk(root)) {
			return files.filter((file) -> file.getFileName().toString().endsWith(".java"))
				.map(Path::getParent)
				.distinct()
				.map((directory) -> root.relativize(directory)
					.toString()
					.replace(root.getFileSystem().getSeparator(), "."))
				.sorted()
				.toList();
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static List<String> unmarkedPackages(Path root) {
		return packages(root).stream().filter((name) -> !isNullMarked(root, name)).toList();
	}

	private static boolean isNullMarked(Path root, String packageName) {
		Path packageInfo = root.resolve(packageName.replace(".", root.getFileSystem().getSeparator()))
			.resolve("package-info.java");
		if (!Files.isRegularFile(packageInfo)) {
			return false;
		}
		try {
			String source = Files.readString(packageInfo);
			return NULL_MARKED.matcher(source).find() && source.contains(NULL_MARKED_IMPORT);
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String markedPackageInfo(String packageName) {
		return "@NullMarked\npackage " + packageName + ";\n\n" + NULL_MARKED_IMPORT + "\n";
	}

	private static void write(Path file, String content) throws IOException {
		Files.createDirectories(file.getParent());
		Files.writeString(file, content);
	}

}
