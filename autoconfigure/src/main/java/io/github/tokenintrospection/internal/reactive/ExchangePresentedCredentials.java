package io.github.tokenintrospection.internal.reactive;

import java.security.cert.X509Certificate;
import java.util.List;

import io.github.tokenintrospection.internal.possession.CertificateThumbprints;
import io.github.tokenintrospection.internal.possession.PresentedCredentials;
import io.github.tokenintrospection.internal.possession.ProofOfPossessionException;
import org.jspecify.annotations.Nullable;

import org.springframework.http.server.reactive.SslInfo;
import org.springframework.web.server.ServerWebExchange;

/**
 * What the caller of a WebFlux request presented: the reactive twin of the servlet's,
 * read from the exchange as the client sent it (its URI with forwarded headers applied as
 * the application applies them, the peer certificate of its TLS session).
 */
final class ExchangePresentedCredentials implements PresentedCredentials {

	private static final String VERIFIED_PROOF = ExchangePresentedCredentials.class.getName() + ".verifiedProof";

	private final ServerWebExchange exchange;

	private final Scheme scheme;

	ExchangePresentedCredentials(ServerWebExchange exchange, Scheme scheme) {
		this.exchange = exchange;
		this.scheme = scheme;
	}

	@Override
	public Scheme scheme() {
		return this.scheme;
	}

	@Override
	public List<String> proofs() {
		List<String> proofs = this.exchange.getRequest().getHeaders().get("DPoP");
		return (proofs != null) ? proofs : List.of();
	}

	@Override
	public String method() {
		return this.exchange.getRequest().getMethod().name();
	}

	@Override
	public String uri() {
		java.net.URI uri = this.exchange.getRequest().getURI();
		return uri.getScheme() + "://" + uri.getRawAuthority() + ((uri.getRawPath() != null) ? uri.getRawPath() : "");
	}

	@Override
	public String path() {
		return this.exchange.getRequest().getPath().pathWithinApplication().value();
	}

	@Override
	public @Nullable String certificateThumbprint() {
		SslInfo ssl = this.exchange.getRequest().getSslInfo();
		X509Certificate[] chain = (ssl != null) ? ssl.getPeerCertificates() : null;
		return (chain != null && chain.length > 0) ? CertificateThumbprints.of(chain[0]) : null;
	}

	@Override
	public @Nullable String header(String name) {
		return this.exchange.getRequest().getHeaders().getFirst(name);
	}

	@Override
	public @Nullable String verifiedProof() {
		return (this.exchange.getAttributes().get(VERIFIED_PROOF) instanceof String thumbprint) ? thumbprint : null;
	}

	@Override
	public void proofVerified(String thumbprint) {
		this.exchange.getAttributes().put(VERIFIED_PROOF, thumbprint);
	}

	@Override
	public void failed(ProofOfPossessionException failure) {
		this.exchange.getAttributes().put(FAILURE_ATTRIBUTE, failure);
	}

}
