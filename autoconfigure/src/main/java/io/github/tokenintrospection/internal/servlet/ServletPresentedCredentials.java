package io.github.tokenintrospection.internal.servlet;

import java.security.cert.X509Certificate;
import java.util.Collections;
import java.util.List;
import java.util.Locale;

import io.github.tokenintrospection.internal.possession.CertificateThumbprints;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.possession.ProofOfPossessionException;
import jakarta.servlet.http.HttpServletRequest;
import org.jspecify.annotations.Nullable;

/**
 * What the caller of a servlet request presented: its {@code Authorization} scheme (read
 * before the {@code DPoP} scheme is shown to Spring Security as {@code Bearer}), its
 * {@code DPoP} headers, its URL ({@code getRequestURL()}, which forwarded headers change
 * when the application honors them) and the client certificate of its TLS session.
 */
final class ServletPresentedCredentials implements PresentedCredentials {

	static final String CERTIFICATES = "jakarta.servlet.request.X509Certificate";

	private static final String VERIFIED_PROOF = ServletPresentedCredentials.class.getName() + ".verifiedProof";

	private final HttpServletRequest request;

	private final Scheme scheme;

	ServletPresentedCredentials(HttpServletRequest request, Scheme scheme) {
		this.request = request;
		this.scheme = scheme;
	}

	@Override
	public Scheme scheme() {
		return this.scheme;
	}

	@Override
	public List<String> proofs() {
		return Collections.list(this.request.getHeaders("DPoP"));
	}

	@Override
	public String method() {
		return this.request.getMethod().toUpperCase(Locale.ROOT);
	}

	@Override
	public String uri() {
		return this.request.getRequestURL().toString();
	}

	@Override
	public String path() {
		return CurrentRequestPath.withinApplication(this.request);
	}

	@Override
	public @Nullable String certificateThumbprint() {
		if (this.request.getAttribute(CERTIFICATES) instanceof X509Certificate[] chain && chain.length > 0) {
			return CertificateThumbprints.of(chain[0]);
		}
		return null;
	}

	@Override
	public @Nullable String header(String name) {
		return this.request.getHeader(name);
	}

	@Override
	public @Nullable String verifiedProof() {
		return (this.request.getAttribute(VERIFIED_PROOF) instanceof String thumbprint) ? thumbprint : null;
	}

	@Override
	public void proofVerified(String thumbprint) {
		this.request.setAttribute(VERIFIED_PROOF, thumbprint);
	}

	@Override
	public void failed(ProofOfPossessionException failure) {
		this.request.setAttribute(FAILURE_ATTRIBUTE, failure);
	}

}
