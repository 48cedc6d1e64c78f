package io.github.tokenintrospection.authority;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReferenceArray;

import io.github.tokenintrospection.IntrospectedToken;
import io.github.tokenintrospection.internal.authority.ClaimPath;

import org.springframework.core.convert.converter.Converter;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.security.core.authority.SimpleGrantedAuthority;
import org.springframework.util.Assert;

/**
 * Maps an introspected token to Spring Security authorities: every scope becomes
 * {@code <scopePrefix><scope>} and every role found at a role claim path becomes
 * {@code <rolePrefix><role>}.
 * <p>
 * Scope claims may be space-delimited strings or arrays. A role claim path is a
 * dot-separated walk through nested objects, for example Keycloak's
 * {@code realm_access.roles} or {@code resource_access.my-client.roles}; it must end at a
 * string or an array of strings. A claim name with dots is written in brackets:
 * {@code ['https://example.com/roles']} (Auth0's namespaced claims). A path that cannot
 * match is refused when the converter is built.
 */
public final class IntrospectionAuthoritiesConverter
		implements Converter<IntrospectedToken, Collection<GrantedAuthority>> {

	private final List<String> scopeClaimNames;

	private final String scopePrefix;

	private final List<ClaimPath> rolePaths;

	private final String rolePrefix;

	/**
	 * Recent results, so that tokens with the same scopes and roles share one list (the
	 * introspector keeps the list with each cached token). Lossy: a result takes the slot
	 * its hash points to.
	 */
	private final AtomicReferenceArray<List<GrantedAuthority>> recentResults = new AtomicReferenceArray<>(
			RECENT_RESULTS);

	private static final int RECENT_RESULTS = 256;

	private static final int MAX_SHARED_SIZE = 64;

	/**
	 * Creates a converter.
	 * @param scopeClaimNames claims that carry scopes
	 * @param scopePrefix prefix of scope authorities, may be empty
	 * @param roleClaimPaths paths to claims that carry roles
	 * @throws IllegalArgumentException when a role claim path is not a valid path
	 * @param rolePrefix prefix of role authorities, may be empty
	 */
	public IntrospectionAuthoritiesConverter(List<String> scopeClaimNames, String scopePrefix,
			List<String> roleClaimPaths, String rolePrefix) {
		Assert.notNull(scopeClaimNames, "scopeClaimNames must not be null");
		Assert.notNull(scopePrefix, "scopePrefix must not be null");
		Assert.notNull(roleClaimPaths, "roleClaimPaths must not be null");
		Assert.notNull(rolePrefix, "rolePrefix must not be null");
		this.scopeClaimNames = List.copyOf(scopeClaimNames);
		this.scopePrefix = scopePrefix;
		List<ClaimPath> paths = new ArrayList<>(roleClaimPaths.size());
		for (String path : roleClaimPaths) {
			try {
				paths.add(ClaimPath.parse(path));
			}
			catch (IllegalArgumentException ex) {
				throw new IllegalArgumentException("role claim path '" + path + "' " + ex.getMessage(), ex);
			}
		}
		this.rolePaths = List.copyOf(paths);
		this.rolePrefix = rolePrefix;
	}

	@Override
	public Collection<GrantedAuthority> convert(IntrospectedToken token) {
		Set<GrantedAuthority> authorities = new LinkedHashSet<>();
		for (String claimName : this.scopeClaimNames) {
			for (String scope : token.stringListClaim(claimName)) {
				authorities.add(new SimpleGrantedAuthority(this.scopePrefix + scope));
			}
		}
		for (ClaimPath path : this.rolePaths) {
			Object roles = path.valueIn(token.getClaims());
			if (roles instanceof String role) {
				authorities.add(new SimpleGrantedAuthority(this.rolePrefix + role));
			}
			else if (roles instanceof Collection<?> collection) {
				for (Object role : collection) {
					if (role instanceof String name) {
						authorities.add(new SimpleGrantedAuthority(this.rolePrefix + name));
					}
				}
			}
		}
		return shared(List.copyOf(authorities));
	}

	private List<GrantedAuthority> shared(List<GrantedAuthority> authorities) {
		if (authorities.isEmpty() || authorities.size() > MAX_SHARED_SIZE) {
			return authorities;
		}
		int hash = authorities.hashCode();
		int slot = (hash ^ (hash >>> 16)) & (RECENT_RESULTS - 1);
		List<GrantedAuthority> recent = this.recentResults.get(slot);
		if (authorities.equals(recent)) {
			return recent;
		}
		this.recentResults.set(slot, authorities);
		return authorities;
	}

}
