package io.github.tokenintrospection.internal.observation;

import org.springframework.expression.Expression;
import org.springframework.security.authorization.AuthorityAuthorizationDecision;
import org.springframework.security.authorization.AuthorizationDeniedException;
import org.springframework.security.authorization.AuthorizationResult;
import org.springframework.security.authorization.ExpressionAuthorizationDecision;
import org.springframework.security.core.GrantedAuthority;

/**
 * Names the rule behind a denied authorization for the audit trail: the expression of an
 * {@code @PreAuthorize}, the authorities a request rule required, or else the kind of
 * decision.
 */
public final class DeniedRules {

	private DeniedRules() {
	}

	/**
	 * Describes the rule that gave a result.
	 * @param result the authorization result (a denial)
	 * @return the rule, e.g. {@code hasAuthority('SCOPE_read')}
	 */
	public static String describe(AuthorizationResult result) {
		if (result instanceof AuthorizationDeniedException denied && denied.getAuthorizationResult() != result) {
			return describe(denied.getAuthorizationResult());
		}
		if (result instanceof ExpressionAuthorizationDecision expression) {
			Expression rule = expression.getExpression();
			return rule.getExpressionString();
		}
		if (result instanceof AuthorityAuthorizationDecision authorities) {
			StringBuilder rule = new StringBuilder("hasAnyAuthority(");
			String separator = "";
			for (GrantedAuthority authority : authorities.getAuthorities()) {
				rule.append(separator).append('\'').append(authority.getAuthority()).append('\'');
				separator = ",";
			}
			return rule.append(')').toString();
		}
		return result.getClass().getSimpleName();
	}

}
