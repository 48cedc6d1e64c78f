package io.github.tokenintrospection.sample;

/**
 * Request body for creating a note.
 *
 * @param text the note's text
 */
public record NewNote(String text) {
}
