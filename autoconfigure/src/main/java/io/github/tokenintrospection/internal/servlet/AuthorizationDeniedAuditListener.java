package io.github.tokenintrospection.internal.servlet;

import io.github.tokenintrospection.internal.observation.DeniedRules;
import io.github.tokenintrospection.internal.observation.RequestAudit;

import org.springframework.context.ApplicationListener;
import org.springframework.security.authorization.event.AuthorizationDeniedEvent;

/**
 * Records which rule denied a request, from Spring Security's
 * {@link AuthorizationDeniedEvent} (request rules and method security alike), published
 * on the request's thread.
 */
public final class AuthorizationDeniedAuditListener implements ApplicationListener<AuthorizationDeniedEvent<?>> {

	@Override
	public void onApplicationEvent(AuthorizationDeniedEvent<?> event) {
		RequestAudit audit = RequestAudit.current();
		if (audit != null) {
			audit.denied(DeniedRules.describe(event.getAuthorizationResult()));
		}
	}

}
