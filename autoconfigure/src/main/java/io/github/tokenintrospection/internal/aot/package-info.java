/**
 * Runtime hints for ahead-of-time processing and native images. Not API.
 */
@NullMarked
package io.github.tokenintrospection.internal.aot;

import org.jspecify.annotations.NullMarked;
