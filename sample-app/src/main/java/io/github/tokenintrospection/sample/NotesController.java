package io.github.tokenintrospection.sample;

import java.net.URI;
import java.util.List;

import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.security.access.prepost.PreAuthorize;
import org.springframework.security.core.annotation.AuthenticationPrincipal;
import org.springframework.security.oauth2.core.OAuth2AuthenticatedPrincipal;
import org.springframework.util.StringUtils;
import org.springframework.web.bind.annotation.DeleteMapping;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestMapping;
import org.springframework.web.bind.annotation.RestController;
import org.springframework.web.server.ResponseStatusException;

/**
 * Reading needs the {@code notes:read} scope; writing needs the {@code notes:write} scope
 * and the {@code editor} role of the notes-api client; deleting needs the {@code admin}
 * realm role. Scopes and roles become authorities through the starter's properties.
 * Partners read the same notes under {@code /api/partners/notes}, with tokens of their
 * own realm when the {@code two-realms} profile is active.
 */
@RestController
@RequestMapping({ "/api/notes", "/api/partners/notes" })
class NotesController {

	private final NoteRepository notes;

	NotesController(NoteRepository notes) {
		this.notes = notes;
	}

	@GetMapping
	@PreAuthorize("hasAuthority('SCOPE_notes:read')")
	List<Note> list() {
		return this.notes.findAll();
	}

	@PostMapping
	@PreAuthorize("hasAuthority('SCOPE_notes:write') and hasRole('editor')")
	ResponseEntity<Note> create(@RequestBody NewNote newNote,
			@AuthenticationPrincipal OAuth2AuthenticatedPrincipal principal) {
		if (newNote == null || !StringUtils.hasText(newNote.text())) {
			throw new ResponseStatusException(HttpStatus.BAD_REQUEST, "text must not be empty");
		}
		Note note = this.notes.add(newNote.text(), principal.getName());
		return ResponseEntity.created(URI.create("/api/notes/" + note.id())).body(note);
	}

	@DeleteMapping("/{id}")
	@PreAuthorize("hasRole('admin')")
	ResponseEntity<Void> delete(@PathVariable long id) {
		if (!this.notes.delete(id)) {
			throw new ResponseStatusException(HttpStatus.NOT_FOUND, "No note " + id);
		}
		return ResponseEntity.noContent().build();
	}

}
