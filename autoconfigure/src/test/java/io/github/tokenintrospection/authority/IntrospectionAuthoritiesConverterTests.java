package io.github.tokenintrospection.authority;

import java.util.Collection;
import java.util.List;
import java.util.Map;

import io.github.tokenintrospection.IntrospectedToken;
import org.junit.jupiter.api.Test;

import org.springframework.security.core.GrantedAuthority;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

class IntrospectionAuthoritiesConverterTests {

	private static final Map<String, Object> KEYCLOAK_ROLES = Map.of("realm_access",
			Map.of("roles", List.of("admin", "user")), "resource_access",
			Map.of("notes-api", Map.of("roles", List.of("editor")), "other-api", Map.of("roles", List.of("x"))));

	@Test
	void convertWhenScopeStringThenScopeAuthorities() {
		assertThat(names(defaults(), Map.of("scope", "read write"))).containsExactly("SCOPE_read", "SCOPE_write");
	}

	@Test
	void convertWhenScopeArrayThenScopeAuthorities() {
		assertThat(names(defaults(), Map.of("scope", List.of("read", "write")))).containsExactly("SCOPE_read",
				"SCOPE_write");
	}

	@Test
	void convertWhenScpClaimThenScopeAuthorities() {
		assertThat(names(defaults(), Map.of("scp", List.of("notes.read")))).containsExactly("SCOPE_notes.read");
	}

	@Test
	void convertWhenCustomScopePrefixThenUsed() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "perm:",
				List.of(), "ROLE_");

		assertThat(names(converter, Map.of("scope", "read"))).containsExactly("perm:read");
	}

	@Test
	void convertWhenEmptyScopePrefixThenBareScopes() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "",
				List.of(), "ROLE_");

		assertThat(names(converter, Map.of("scope", "read write"))).containsExactly("read", "write");
	}

	@Test
	void convertWhenScopeClaimNotConfiguredThenIgnored() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of(), "ROLE_");

		assertThat(names(converter, Map.of("scp", "read"))).isEmpty();
	}

	@Test
	void convertWhenRoleClaimPathsThenRoleAuthoritiesWithPrefix() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("realm_access.roles", "resource_access.notes-api.roles"), "APP_");

		assertThat(names(converter, KEYCLOAK_ROLES)).containsExactly("APP_admin", "APP_user", "APP_editor");
	}

	@Test
	void convertWhenAuth0NamespacedClaimInBracketsThenRoles() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("['https://example.com/roles']"), "ROLE_");

		assertThat(names(converter, Map.of("https://example.com/roles", List.of("admin"), "https://example",
				Map.of("com/roles", List.of("wrong")))))
			.containsExactly("ROLE_admin");
	}

	@Test
	void convertWhenOktaGroupsClaimThenRoles() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scp"), "SCOPE_",
				List.of("groups"), "ROLE_");

		assertThat(names(converter, Map.of("scp", List.of("notes.read"), "groups", List.of("Everyone", "Admins"))))
			.containsExactly("SCOPE_notes.read", "ROLE_Everyone", "ROLE_Admins");
	}

	@Test
	void constructorWhenRolePathCannotMatchThenRefusedNamingThePath() {
		assertThatIllegalArgumentException()
			.isThrownBy(() -> new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
					List.of("$.realm_access.roles"), "ROLE_"))
			.withMessageContaining("$.realm_access.roles")
			.withMessageContaining("JSONPath");
	}

	@Test
	void convertWhenRoleClaimIsStringThenSingleRole() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("role"), "ROLE_");

		assertThat(names(converter, Map.of("role", "admin"))).containsExactly("ROLE_admin");
	}

	@Test
	void convertWhenScopesAndRolesThenBoth() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("realm_access.roles"), "ROLE_");

		assertThat(names(converter, Map.of("scope", "read", "realm_access", Map.of("roles", List.of("admin")))))
			.containsExactly("SCOPE_read", "ROLE_admin");
	}

	@Test
	void convertWhenRolePathMissingThenNoRoles() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("resource_access.unknown-api.roles", "groups"), "ROLE_");

		assertThat(names(converter, KEYCLOAK_ROLES)).isEmpty();
	}

	@Test
	void convertWhenRolePathGoesThroughNonObjectThenNoRoles() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("realm_access.roles", "list.roles"), "ROLE_");

		assertThat(names(converter, Map.of("realm_access", "admin", "list", List.of(Map.of("roles", "admin")))))
			.isEmpty();
	}

	@Test
	void convertWhenRoleArrayHoldsNonStringsThenOnlyStringsMapped() {
		IntrospectionAuthoritiesConverter converter = new IntrospectionAuthoritiesConverter(List.of("scope"), "SCOPE_",
				List.of("roles"), "ROLE_");

		assertThat(names(converter, Map.of("roles", List.of("admin", 7, Map.of("a", "b")))))
			.containsExactly("ROLE_admin");
	}

	private static IntrospectionAuthoritiesConverter defaults() {
		return new IntrospectionAuthoritiesConverter(List.of("scope", "scp"), "SCOPE_", List.of(), "ROLE_");
	}

	private static List<String> names(IntrospectionAuthoritiesConverter converter, Map<String, Object> claims) {
		Collection<GrantedAuthority> authorities = converter.convert(IntrospectedToken.active(claims));
		return authorities.stream().map(GrantedAuthority::getAuthority).toList();
	}

}
