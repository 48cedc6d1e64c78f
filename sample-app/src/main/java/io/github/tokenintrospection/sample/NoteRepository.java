package io.github.tokenintrospection.sample;

import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentSkipListMap;
import java.util.concurrent.atomic.AtomicLong;

import org.springframework.stereotype.Repository;

/**
 * Keeps notes in memory; enough for a sample.
 */
@Repository
class NoteRepository {

	private final Map<Long, Note> notes = new ConcurrentSkipListMap<>();

	private final AtomicLong ids = new AtomicLong();

	List<Note> findAll() {
		return List.copyOf(this.notes.values());
	}

	Note add(String text, String author) {
		Note note = new Note(this.ids.incrementAndGet(), text, author);
		this.notes.put(note.id(), note);
		return note;
	}

	boolean delete(long id) {
		return this.notes.remove(id) != null;
	}

}
