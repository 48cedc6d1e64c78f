package io.github.tokenintrospection.internal.aot;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.ObjectOutputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.client.IntrospectionResponseReader;
import org.junit.jupiter.api.Test;

import org.springframework.aot.hint.RuntimeHints;
import org.springframework.aot.hint.RuntimeHintsRegistrar;
import org.springframework.aot.hint.TypeReference;
import org.springframework.aot.hint.predicate.RuntimeHintsPredicates;
import org.springframework.beans.factory.aot.AotServices;
import org.springframework.util.ClassUtils;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The starter's runtime hints cover what it does by reflection at run time.
 */
class TokenIntrospectionRuntimeHintsTests {

	/** Keycloak's answer for a password-grant token, with every kind of claim value. */
	private static final String KEYCLOAK_ANSWER = """
			{"active":true,"exp":1893456000,"iat":1893455700,"jti":"0b8f3c1e","iss":"https://login.example.com/realms/notes",
			 "aud":["notes-api","account"],"sub":"5d1f","typ":"Bearer","azp":"notes-web","acr":"1",
			 "realm_access":{"roles":["user","admin"]},"resource_access":{"notes-api":{"roles":["editor"]}},
			 "scope":"openid notes:read","email_verified":false,"preferred_username":"alice","client_id":"notes-web",
			 "username":"alice","token_type":"Bearer","auth_time":1893455600.5,"weight":12345678901234567890}""";

	private final RuntimeHints hints = new RuntimeHints();

	TokenIntrospectionRuntimeHintsTests() {
		new TokenIntrospectionRuntimeHints().registerHints(this.hints, getClass().getClassLoader());
	}

	@Test
	void registerHintsWhenParsedResultSerializedThenEveryClassWrittenIsRegistered() throws IOException {
		IntrospectedToken token = new IntrospectionResponseReader()
			.read(KEYCLOAK_ANSWER.getBytes(StandardCharsets.UTF_8));

		Set<Class<?>> written = classesWritten(token);

		assertThat(written).contains(IntrospectedToken.class);
		assertThat(written).allSatisfy((type) -> assertThat(RuntimeHintsPredicates.serialization().onType(type))
			.as("serialization hint for %s", type.getName())
			.accepts(this.hints));
	}

	@Test
	void registerHintsWhenInactiveResultSerializedThenEveryClassWrittenIsRegistered() throws IOException {
		assertThat(classesWritten(IntrospectedToken.inactive()))
			.allSatisfy((type) -> assertThat(RuntimeHintsPredicates.serialization().onType(type)).accepts(this.hints));
	}

	@Test
	void registerHintsThenTheClassesLookedUpByNameAreRegistered() {
		assertThat(TokenIntrospectionRuntimeHints.TYPES_LOOKED_UP_BY_NAME).allSatisfy((type) -> {
			assertThat(ClassUtils.isPresent(type, null)).as(type).isTrue();
			assertThat(RuntimeHintsPredicates.reflection().onType(TypeReference.of(type))).accepts(this.hints);
		});
	}

	@Test
	void registerHintsThenEveryClassNameThatTheMainCodeLooksUpIsRegistered() throws IOException {
		// A new ClassUtils.isPresent(...) in the starter needs its hint too: a literal,
		// or a
		// String constant named in the call.
		Pattern literal = Pattern.compile("isPresent\\(\"([^\"]+)\"");
		Pattern constantUse = Pattern.compile("isPresent\\((?:\\w+\\.)?([A-Z][A-Z0-9_]+)");
		Pattern constant = Pattern.compile("static final String ([A-Z][A-Z0-9_]+) = \"([^\"]+)\";");
		Set<String> names = new LinkedHashSet<>();
		Set<String> constantsUsed = new LinkedHashSet<>();
		Map<String, String> constants = new HashMap<>();
		try (Stream<Path> sources = Files.walk(Path.of("src/main/java"))) {
			for (Path source : sources.filter((path) -> path.toString().endsWith(".java")).toList()) {
				String code = Files.readString(source);
				literal.matcher(code).results().forEach((match) -> names.add(match.group(1)));
				constantUse.matcher(code).results().forEach((match) -> constantsUsed.add(match.group(1)));
				constant.matcher(code).results().forEach((match) -> constants.put(match.group(1), match.group(2)));
			}
		}
		constantsUsed.forEach((name) -> names.add(constants.get(name)));
		assertThat(names).isNotEmpty()
			.allSatisfy((type) -> assertThat(TokenIntrospectionRuntimeHints.TYPES_LOOKED_UP_BY_NAME).contains(type));
	}

	@Test
	void aotFactoriesWhenLoadedThenTheRegistrarIsFound() {
		assertThat(AotServices.factories().load(RuntimeHintsRegistrar.class))
			.hasAtLeastOneElementOfType(TokenIntrospectionRuntimeHints.class);
	}

	/**
	 * The value's class (replaced by its serialized form before any hook sees it) and
	 * every class whose descriptor JDK serialization writes for it.
	 */
	private static Set<Class<?>> classesWritten(Object value) throws IOException {
		Set<Class<?>> classes = new LinkedHashSet<>();
		classes.add(value.getClass());
		try (ObjectOutputStream out = new RecordingObjectOutputStream(new ByteArrayOutputStream(), classes)) {
			out.writeObject(value);
		}
		return classes;
	}

	private static final class RecordingObjectOutputStream extends ObjectOutputStream {

		private final Set<Class<?>> classes;

		RecordingObjectOutputStream(OutputStream out, Set<Class<?>> classes) throws IOException {
			super(out);
			this.classes = classes;
			enableReplaceObject(true);
		}

		@Override
		protected void annotateClass(Class<?> type) {
			this.classes.add(type);
		}

		@Override
		protected Object replaceObject(Object object) {
			// Arrays and the serial proxies of JDK values (writeReplace) too.
			this.classes.add(object.getClass());
			return object;
		}

	}

}
