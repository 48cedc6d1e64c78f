/**
 * Servlet web support: bearer-token resolution and the answer sent when the authorization
 * server is unavailable.
 */
@NullMarked
package io.github.tokenintrospection.web;

import org.jspecify.annotations.NullMarked;
