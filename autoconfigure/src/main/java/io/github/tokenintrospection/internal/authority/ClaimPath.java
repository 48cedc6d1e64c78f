package io.github.tokenintrospection.internal.authority;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.jspecify.annotations.Nullable;

/**
 * A path to a claim inside nested JSON objects, such as Keycloak's
 * {@code realm_access.roles}.
 * <p>
 * Segments are separated by dots. A claim name that itself contains dots (Auth0's
 * namespaced claims such as {@code https://example.com/roles}) or brackets is written in
 * brackets and single quotes: {@code ['https://example.com/roles']}, also after other
 * segments, as in {@code realm_access['roles']}. Paths in other notations (JSONPath's
 * {@code $.a.b}, JSON Pointer's {@code /a/b}) are refused with a hint, because they would
 * silently match nothing.
 */
public final class ClaimPath {

	private static final String JSON_POINTER = "is not a dot-separated path: write realm_access.roles, "
			+ "and a claim name with slashes or dots in brackets: ['https://example.com/roles']";

	private final List<String> segments;

	private ClaimPath(List<String> segments) {
		this.segments = List.copyOf(segments);
	}

	/**
	 * Parses a path.
	 * @param path the path as configured
	 * @return the parsed path
	 * @throws IllegalArgumentException with the reason, when the path is not valid
	 */
	public static ClaimPath parse(String path) {
		if (path == null || path.isBlank()) {
			throw new IllegalArgumentException("must not be empty");
		}
		if (path.startsWith("$")) {
			throw new IllegalArgumentException("is JSONPath; write the claim names only, such as realm_access.roles");
		}
		if (path.startsWith("/")) {
			throw new IllegalArgumentException(JSON_POINTER);
		}
		return new ClaimPath(new Parser(path).segments());
	}

	/**
	 * Returns the claim names of the path, outermost first.
	 * @return the segments
	 */
	public List<String> segments() {
		return this.segments;
	}

	/**
	 * Returns the value at this path, or {@code null} when a segment is missing or not an
	 * object.
	 * @param claims the token's claims
	 * @return the value, or {@code null}
	 */
	public @Nullable Object valueIn(Map<String, ?> claims) {
		Object current = claims;
		for (String segment : this.segments) {
			if (!(current instanceof Map<?, ?> map)) {
				return null;
			}
			current = map.get(segment);
		}
		return current;
	}

	@Override
	public String toString() {
		return this.segments.toString();
	}

	/** A small recursive-descent reader over the path's characters. */
	private static final class Parser {

		private final String path;

		private int position;

		private Parser(String path) {
			this.path = path;
		}

		List<String> segments() {
			List<String> segments = new ArrayList<>();
			segments.add(segment());
			while (this.position < this.path.length()) {
				char next = this.path.charAt(this.position);
				if (next == '.') {
					this.position++;
					if (this.position < this.path.length() && this.path.charAt(this.position) == '[') {
						throw invalid("a dot must not precede a bracket");
					}
					segments.add(bareName());
				}
				else if (next == '[') {
					segments.add(bracketedName());
				}
				else if (next == '/') {
					throw new IllegalArgumentException(JSON_POINTER);
				}
				else {
					throw invalid("unexpected '" + next + "'");
				}
			}
			return segments;
		}

		private String segment() {
			return (this.path.charAt(0) == '[') ? bracketedName() : bareName();
		}

		private String bareName() {
			int start = this.position;
			while (this.position < this.path.length() && isBareNameChar(this.path.charAt(this.position))) {
				this.position++;
			}
			if (this.position == start) {
				throw invalid("empty claim name");
			}
			return this.path.substring(start, this.position);
		}

		private String bracketedName() {
			if (!this.path.startsWith("['", this.position)) {
				throw invalid("a bracket must hold a quoted name, such as ['https://example.com/roles']");
			}
			int start = this.position + 2;
			int end = this.path.indexOf("']", start);
			if (end < 0) {
				throw invalid("unclosed bracket: end the name with ']");
			}
			String name = this.path.substring(start, end);
			if (name.isEmpty() || name.indexOf('\'') >= 0) {
				throw invalid("a bracketed name must be non-empty and contain no quote");
			}
			this.position = end + 2;
			return name;
		}

		private static boolean isBareNameChar(char c) {
			return c != '.' && c != '[' && c != ']' && c != '\'' && c != '/' && !Character.isWhitespace(c);
		}

		private IllegalArgumentException invalid(String reason) {
			return new IllegalArgumentException(reason + " at position " + this.position
					+ "; write dot-separated claim names such as realm_access.roles, and names with dots in brackets: "
					+ "['https://example.com/roles']");
		}

	}

}
