package io.github.tokenintrospection.test;

import java.util.stream.Collectors;

import org.springframework.security.core.Authentication;
import org.springframework.security.core.GrantedAuthority;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.RestController;

/**
 * Answers with the caller's name and the authorities mapped from the claims, on either
 * stack; the security chains of the tests require {@code SCOPE_orders:read} for it.
 */
@RestController
class OrdersController {

	@GetMapping("/orders")
	String orders(Authentication authentication) {
		return authentication.getName() + " "
				+ authentication.getAuthorities()
					.stream()
					.map(GrantedAuthority::getAuthority)
					// Spring Security's own FACTOR_BEARER says how, not who: left out.
					.filter((authority) -> !authority.startsWith("FACTOR_"))
					.sorted()
					.collect(Collectors.joining(","));
	}

}
