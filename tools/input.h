/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The inputs of the kbuddy tool's crash workflow: a fuzz_ops input (an
 * operation sequence on a built-in layout) or a fuzz_boot input (a layout
 * and at most KB_BOOT_MAX_OPS operations, fuzz/boot_input.h), each in a
 * binary and a text form.
 *
 * Both binary forms accept every byte string, so no look at the bytes can
 * tell which target a binary file came from: it is a fuzz_ops input unless
 * the caller says --target fuzz_boot. The text forms say what they are: a
 * fuzz_boot text form starts with the line "# kbuddy boot-input v1", then
 * a layout in text form, a line "operations", and operations in text form
 * (docs/fuzzing.md); an ops text form is what kb_ops_is_text recognises.
 */
#ifndef KB_TOOLS_INPUT_H
#define KB_TOOLS_INPUT_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "layout.h"
#include "ops.h"

enum kb_target {
	KB_TARGET_AUTO,		/* text forms by their content, binary as fuzz_ops */
	KB_TARGET_OPS,		/* --target fuzz_ops */
	KB_TARGET_BOOT,		/* --target fuzz_boot (or --boot) */
};

struct kb_input {
	bool boot;			/* a fuzz_boot input */
	bool text;			/* it was read from a text form */
	size_t bytes;			/* the size of the file it came from */
	struct kb_layout layout;	/* fuzz_boot: the machine it boots */
	/*
	 * fuzz_ops: the sequence. fuzz_boot: the operations of its records,
	 * without the frees and drain_all the target adds at the end
	 * (kb_boot_finish).
	 */
	struct kb_ops ops;
};

#define KB_BOOT_TEXT_HEADER	"# kbuddy boot-input v"
#define KB_BOOT_TEXT_VERSION	1

/* A new zeroed input; exits with a message when out of memory (it is large). */
struct kb_input *kb_input_new(void);

/*
 * Loads path as target says (see above): text when kb_ops_is_text says so
 * (a fuzz_boot text form by its first line, else the ops text form), else
 * the target's binary form; with binary, always the binary form. 0, or -1
 * with the reason printed to stderr: unreadable file, a text form that
 * does not parse, or a text form of the other target than the one asked
 * for.
 */
int kb_load_input(const char *path, enum kb_target target, bool binary, struct kb_input *in);
/* The same for bytes already read from path (named in messages). */
int kb_load_input_bytes(const char *path, const uint8_t *data, size_t size,
			enum kb_target target, bool binary, struct kb_input *in);

/* What a text file is, for commands that take more than one format. */
enum kb_text_kind {
	KB_TEXT_NONE,		/* not text (kb_text_looks_like_text) */
	KB_TEXT_UNKNOWN,	/* text without a version line or an operation first */
	KB_TEXT_OPS,		/* "# kbuddy ops v", or an operation keyword first */
	KB_TEXT_LAYOUT,		/* "# kbuddy layout v" */
	KB_TEXT_BOOT,		/* "# kbuddy boot-input v" */
};

/*
 * The kind of a text: the first version line among the comments before
 * the first directive decides; else an operation keyword (or "layout",
 * "expect") as the first word makes it operations.
 */
enum kb_text_kind kb_text_kind(const uint8_t *data, size_t size);

/*
 * A layout named by arg: a built-in name, a layout text file or the layout
 * of a fuzz_boot text form; never an operation file read as something
 * else. 0, or -1 with the reason printed.
 */
int kb_load_layout(const char *arg, struct kb_layout *layout);

/*
 * The signature of in at level, or "" when it runs clean: fuzz_ops inputs
 * as kb_wf_signature runs them, fuzz_boot inputs as the fuzz_boot target
 * does (kb_boot_run). scratch holds the finished fuzz_boot sequence.
 */
void kb_input_signature(const struct kb_input *in, int level, struct kb_ops *scratch,
			char *sig, size_t len);
/* The same for a fuzz_boot layout and its operations (without the closing frees). */
void kb_boot_signature(const struct kb_layout *layout, const struct kb_ops *ops, int level,
		       struct kb_ops *scratch, char *sig, size_t len);

/* fuzz_boot text form (tools/boot_text.c). */
bool kb_boot_is_text(const uint8_t *data, size_t size);
/* 0, or -1 with "line N: reason" (or a sentence) in err. */
int kb_boot_parse_text(const char *text, size_t len, struct kb_input *in, char *err,
		       size_t errlen);
/*
 * The text form: the header line, comment (lines starting with '#', may be
 * NULL), the layout, "operations", one line per operation. snprintf-style.
 */
size_t kb_boot_format_text(const struct kb_input *in, const char *comment, char *buf,
			   size_t len);
/*
 * The binary form (layout, then records), at most len bytes copied to buf;
 * returns its size, or 0 when in has none (err then says why; may be NULL).
 * Decoding the bytes gives in back.
 */
size_t kb_boot_encode(const struct kb_input *in, uint8_t *buf, size_t len, char *err,
		      size_t errlen);

/*
 * Writes base.bin (the binary form) and base.txt (the text form with
 * comment) of a fuzz_boot input; 0, or -1 with a message printed.
 */
int kb_boot_write_pair(const char *base, const struct kb_input *in, const char *comment);

/* One line on the size of a fuzz_boot input: bytes, operations, layout. */
void kb_boot_describe(const struct kb_input *in, char *buf, size_t len);

#endif /* KB_TOOLS_INPUT_H */
