package io.github.tokenintrospection.internal.authority;

import java.util.List;
import java.util.Map;

import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class ClaimPathTests {

	@Test
	void parseWhenDottedThenSegments() {
		assertThat(ClaimPath.parse("resource_access.notes-api.roles").segments()).containsExactly("resource_access",
				"notes-api", "roles");
	}

	@Test
	void parseWhenBracketedNameThenOneSegmentWithDots() {
		assertThat(ClaimPath.parse("['https://example.com/roles']").segments())
			.containsExactly("https://example.com/roles");
	}

	@Test
	void parseWhenBracketsMixedWithDotsThenSegmentsInOrder() {
		assertThat(ClaimPath.parse("['https://example.com/claims'].app['a.b'].roles").segments())
			.containsExactly("https://example.com/claims", "app", "a.b", "roles");
	}

	@Test
	void valueInWhenPathPresentThenValueElseNull() {
		Map<String, Object> claims = Map.of("realm_access", Map.of("roles", List.of("admin")), "flat", "x");

		assertThat(ClaimPath.parse("realm_access.roles").valueIn(claims)).isEqualTo(List.of("admin"));
		assertThat(ClaimPath.parse("flat.roles").valueIn(claims)).isNull();
		assertThat(ClaimPath.parse("missing.roles").valueIn(claims)).isNull();
	}

	@ParameterizedTest
	@ValueSource(strings = { "", " ", ".roles", "roles.", "a..b", "$.realm_access.roles", "realm_access/roles",
			"/realm_access/roles", "['unclosed", "[roles]", "['']", "a.['b']", "a b", "['it's']", "a]b" })
	void parseWhenPathCannotMatchThenRefusedWithReason(String path) {
		assertThatIllegalArgumentException().isThrownBy(() -> ClaimPath.parse(path)).withMessageMatching("(?s).*\\S.*");
	}

	@Test
	void parseWhenJsonPathThenHintNamesTheDottedForm() {
		assertThatIllegalArgumentException().isThrownBy(() -> ClaimPath.parse("$.realm_access.roles"))
			.withMessageContaining("realm_access.roles");
	}

	@Property
	void parseWhenArbitraryTextThenPathOrIllegalArgumentOnly(@ForAll String text) {
		try {
			ClaimPath path = ClaimPath.parse(text);
			assertThat(path.segments()).isNotEmpty().allSatisfy((segment) -> assertThat(segment).isNotEmpty());
		}
		catch (IllegalArgumentException expected) {
			assertThat(expected.getMessage()).isNotBlank();
		}
	}

	@Property
	void parseWhenNamesBracketedThenSameNamesBack(@ForAll("claimNames") List<String> names) {
		StringBuilder path = new StringBuilder();
		for (String name : names) {
			path.append("['").append(name).append("']");
		}

		assertThat(ClaimPath.parse(path.toString()).segments()).isEqualTo(names);
	}

	@Provide
	Arbitrary<List<String>> claimNames() {
		return Arbitraries.strings()
			.ofMinLength(1)
			.ofMaxLength(20)
			.filter((name) -> !name.contains("'"))
			.list()
			.ofMinSize(1)
			.ofMaxSize(4);
	}

}
