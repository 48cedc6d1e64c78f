package io.github.tokenintrospection.sample;

/**
 * A note written by an authenticated user.
 *
 * @param id the note's id
 * @param text the note's text
 * @param author the name of the principal who wrote it
 */
public record Note(long id, String text, String author) {
}
