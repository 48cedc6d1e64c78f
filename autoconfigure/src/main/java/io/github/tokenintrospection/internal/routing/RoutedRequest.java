package io.github.tokenintrospection.internal.routing;

import java.util.function.Function;

import org.jspecify.annotations.Nullable;

/**
 * What the routing rules look at in a request, the same on both stacks.
 *
 * @param path the path within the application, not decoded
 * @param host the host the client asked for (forwarded headers applied as the application
 * applies them), without port, or {@code null}
 * @param header a request header's first value by name, or {@code null}
 */
public record RoutedRequest(String path, @Nullable String host, Function<String, @Nullable String> header) {

}
