package io.github.tokenintrospection.internal.client;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

class SharedClaimValuesTests {

	private final SharedClaimValues values = new SharedClaimValues();

	@Test
	void shareWhenEqualValuesThenSameInstanceReturned() {
		Object first = this.values.share(keycloakRoles());
		Object second = this.values.share(keycloakRoles());
		assertThat(second).isSameAs(first).isEqualTo(keycloakRoles());
		assertThat(this.values.share(new String("notes-api"))).isSameAs(this.values.share(new String("notes-api")));
	}

	@Test
	void shareWhenNestedThenUnmodifiableAndOrderKept() {
		@SuppressWarnings("unchecked")
		Map<String, Object> shared = (Map<String, Object>) this.values.share(keycloakRoles());
		assertThat(shared.keySet()).containsExactly("notes-api", "account");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> shared.put("x", "y"));
		@SuppressWarnings("unchecked")
		List<Object> roles = (List<Object>) ((Map<String, Object>) shared.get("account")).get("roles");
		assertThatExceptionOfType(UnsupportedOperationException.class).isThrownBy(() -> roles.add("z"));
	}

	@Test
	void shareWhenNullsAndNumbersThenKept() {
		List<Object> list = new ArrayList<>(Arrays.asList("a", null, 1, 2.5, true));
		assertThat(this.values.share(list)).isEqualTo(list);
	}

	@Test
	void shareStringsWhenImmutableListThenEqualListOfSameClass() {
		List<String> scopes = List.of("openid", "profile", "notes:read");
		List<String> shared = this.values.shareStrings(scopes);
		assertThat(shared).isEqualTo(scopes).hasSameClassAs(scopes);
		assertThat(this.values.shareStrings(List.of("openid", "profile", "notes:read"))).isSameAs(shared);
	}

	@Test
	void shareWhenValueIsLargeThenReturnedUnshared() {
		String large = "x".repeat(10_000);
		assertThat(this.values.share(new String(large))).isNotSameAs(this.values.share(new String(large)))
			.isEqualTo(large);
	}

	private static Map<String, Object> keycloakRoles() {
		Map<String, Object> roles = new LinkedHashMap<>();
		roles.put("notes-api", new LinkedHashMap<>(Map.of("roles", new ArrayList<>(List.of("editor")))));
		roles.put("account",
				new LinkedHashMap<>(Map.of("roles", new ArrayList<>(List.of("view-profile", "manage-account")))));
		return roles;
	}

}
