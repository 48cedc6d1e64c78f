package io.github.tokenintrospection.internal.observation;

import org.junit.jupiter.api.Test;

import org.springframework.expression.spel.standard.SpelExpressionParser;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.authority.AuthorityUtils;

import static org.assertj.core.api.Assertions.assertThat;

class DeniedRulesTests {

	@Test
	void describeWhenExpressionThenTheExpressionAsWritten() {
		ExpressionAuthorizationDecision decision = new ExpressionAuthorizationDecision(false,
				new SpelExpressionParser().parseExpression("hasAuthority('SCOPE_read')"));

		assertThat(DeniedRules.describe(decision)).isEqualTo("hasAuthority('SCOPE_read')");
		assertThat(DeniedRules.describe(new AuthorizationDeniedException("Access Denied", decision)))
			.isEqualTo("hasAuthority('SCOPE_read')");
	}

	@Test
	void describeWhenAuthoritiesThenHasAnyAuthorityWithThem() {
		AuthorityAuthorizationDecision decision = new AuthorityAuthorizationDecision(false,
				AuthorityUtils.createAuthorityList("SCOPE_a", "ROLE_b"));

		assertThat(DeniedRules.describe(decision)).isEqualTo("hasAnyAuthority('SCOPE_a','ROLE_b')");
	}

	@Test
	void describeWhenOtherDecisionThenItsKind() {
		assertThat(DeniedRules.describe(new AuthorizationDecision(false))).isEqualTo("AuthorizationDecision");
		// A denial without a decision of its own carries a plain one.
		assertThat(DeniedRules.describe(new AuthorizationDeniedException("Access Denied")))
			.isEqualTo("AuthorizationDecision");
	}

}
