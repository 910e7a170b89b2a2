// SPDX-License-Identifier: GPL-2.0
/*
 * The kbuddy commands that run and show inputs: run, repro, decode,
 * encode, the /proc views, layouts, scenarios and the invariant list
 * (their entries are in tools/kbuddy.c's command table).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "fileio.h"
#include "layout_io.h"
#include "run.h"
#include "scenario.h"
#include "workflow.h"
#include "../core/kbuddy.h"

/*
 * Runs a fuzz_ops sequence (on layout when given, else on the built-in
 * one it names) and prints the outcome; 0 clean, 1 violation, 2 did not boot.
 */
static int run_and_report_on(const struct kb_layout *layout, const struct kb_ops *ops,
			     const char *path, int level, bool trace, struct kb_run **keep)
{
	struct kb_run_options opt = { .check_level = level, .back_with_memory = true,
				      .trace = trace ? stdout : NULL };
	struct kb_run_result res;
	struct kb_run *run;

	/* a large machine: a few bytes of backing a page still tell owners apart */
	if (layout)
		opt.backing_bytes = 64;
	run = layout ? kb_run_ops_on(layout, ops, &opt, &res) : kb_run_ops(ops, &opt, &res);
	if (!run) {
		fprintf(stderr, "kbuddy: %s: layout '%s' did not boot: %s\n", path, ops->layout,
			res.setup_error);
		return 2;
	}
	if (res.violated) {
		kb_run_report(stdout, ops, run, &res);
	} else if (trace) {
		printf("result: clean: %zu operations (%lu allocations, %lu failed, %lu frees) at check level %d, state hash %016llx\n",
		       res.ops_run, res.allocs_ok, res.allocs_failed, res.frees, level,
		       (unsigned long long)res.state_hash);
	}
	if (keep)
		*keep = run;
	else
		kb_run_destroy(run);
	return res.violated ? 1 : 0;
}

static int run_and_report(const struct kb_ops *ops, const char *path, int level, bool trace,
			  struct kb_run **keep)
{
	return run_and_report_on(NULL, ops, path, level, trace, keep);
}

/*
 * Runs an input of either target (kept in *keep when keep is given);
 * scratch is the fuzz_boot sequence and must live as long as the run.
 */
static int run_input(const struct kb_input *in, const char *path, int level, bool verbose,
		     struct kb_ops *scratch, struct kb_run **keep)
{
	if (in->boot)
		return kb_boot_run_report(in, path, level, verbose, scratch, keep);
	return run_and_report(&in->ops, path, level, verbose, keep);
}

/* The input of a command and the scratch its fuzz_boot run needs. */
struct loaded {
	struct kb_input *in;
	struct kb_ops *scratch;
};

static int load(const struct kb_cmd_opts *o, const char *path, struct loaded *l)
{
	l->in = kb_input_new();
	l->scratch = malloc(sizeof(*l->scratch));
	if (!l->scratch) {
		fprintf(stderr, "kbuddy: out of memory\n");
		return -1;
	}
	return kb_load_input(path, o->target, o->binary, l->in);
}

static void unload(struct loaded *l)
{
	free(l->in);
	free(l->scratch);
}

int kb_cmd_run(const struct kb_cmd_opts *o, int argc, char **argv)
{
	struct loaded l;
	int ret = 2;

	(void)argc;
	if (o->tracepoints)
		return kb_run_tracepoints(o, argv[0]);
	if (!load(o, argv[0], &l)) {
		struct kb_layout layout;

		if (o->layout && l.in->boot) {
			fprintf(stderr, "kbuddy: %s: a fuzz_boot input brings its own layout; --layout is for operation sequences\n",
				argv[0]);
		} else if (o->layout) {
			if (!kb_load_layout(o->layout, &layout))
				ret = run_and_report_on(&layout, &l.in->ops, argv[0], o->level,
							!o->quiet, NULL);
		} else {
			ret = run_input(l.in, argv[0], o->level, !o->quiet, l.scratch, NULL);
		}
	}
	unload(&l);
	return ret;
}

int kb_cmd_repro(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *path = argv[0];
	struct loaded l;
	int ret = 2;

	(void)argc;
	if (!load(o, path, &l)) {
		ret = run_input(l.in, path, o->level, false, l.scratch, NULL);
		if (ret == 0)
			printf("kbuddy: %s runs clean at check level %d (%zu operations%s): no violation to reproduce\n",
			       path, o->level, l.in->ops.nr_ops,
			       l.in->boot ? ", as a fuzz_boot input" : "");
	}
	unload(&l);
	return ret;
}

int kb_cmd_decode(const struct kb_cmd_opts *o, int argc, char **argv)
{
	struct loaded l;
	size_t need;
	char *text = NULL;
	int ret = 2;

	(void)argc;
	if (load(o, argv[0], &l))
		goto out;
	need = (l.in->boot ? kb_boot_format_text(l.in, NULL, NULL, 0) :
			     kb_ops_format_text(&l.in->ops, NULL, 0)) + 1;
	text = malloc(need);
	if (!text)
		goto out;
	if (l.in->boot)
		kb_boot_format_text(l.in, NULL, text, need);
	else
		kb_ops_format_text(&l.in->ops, text, need);
	ret = kb_write_file(o->out ? o->out : "-", text, strlen(text)) ? 2 : 0;
out:
	free(text);
	unload(&l);
	return ret;
}

int kb_cmd_encode(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *path = argv[0];
	struct loaded l;
	char err[512];
	uint8_t *bin = NULL;
	size_t need;
	int ret = 2;

	(void)argc;
	if (load(o, path, &l))
		goto out;
	if (l.in->boot) {
		need = kb_boot_encode(l.in, NULL, 0, err, sizeof(err));
		if (!need) {
			fprintf(stderr, "kbuddy: %s: %s\n", path, err);
			goto out;
		}
	} else {
		need = kb_ops_encode_binary(&l.in->ops, NULL, 0);
		if (!need) {
			fprintf(stderr, "kbuddy: %s holds text-only operations (free_pfn, free with order=): it has no binary form\n",
				path);
			goto out;
		}
	}
	bin = malloc(need);
	if (!bin)
		goto out;
	if (l.in->boot)
		kb_boot_encode(l.in, bin, need, NULL, 0);
	else
		kb_ops_encode_binary(&l.in->ops, bin, need);
	ret = kb_write_file(o->out ? o->out : "-", bin, need) ? 2 : 0;
out:
	free(bin);
	unload(&l);
	return ret;
}

enum view { VIEW_BUDDYINFO, VIEW_PAGETYPEINFO, VIEW_ZONEINFO };

static void show(enum view view, const struct kb_instance *kb)
{
	if (view == VIEW_BUDDYINFO)
		kb_show_buddyinfo(kb, stdout);
	else if (view == VIEW_PAGETYPEINFO)
		kb_show_pagetypeinfo(kb, stdout);
	else
		kb_show_zoneinfo(kb, stdout);
}

/* The view of a layout right after boot. */
static int show_layout(enum view view, const char *arg, const struct kb_layout *layout)
{
	char err[256];
	struct kb_instance *kb = kb_create(layout, NULL, err, sizeof(err));

	if (!kb) {
		fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
		return 2;
	}
	show(view, kb);
	kb_destroy(kb);
	return 0;
}

/*
 * The text kind of arg when it may be a layout: KB_TEXT_LAYOUT for a
 * built-in name, the file's kind for a text file, and KB_TEXT_NONE (an
 * input) for a binary or unreadable file or one given with --target or
 * --binary (an unreadable file is reported by the load).
 */
static enum kb_text_kind layout_candidate_kind(const struct kb_cmd_opts *o, const char *arg)
{
	struct kb_layout layout;
	enum kb_text_kind kind;
	uint8_t *data;
	size_t size;

	if (!kb_layout_builtin(arg, &layout))
		return KB_TEXT_LAYOUT;
	if (o->binary || o->target != KB_TARGET_AUTO || kb_read_file(arg, &data, &size))
		return KB_TEXT_NONE;
	kind = kb_text_kind(data, size);
	free(data);
	return kind;
}

/*
 * Whether arg names a layout rather than an input: a built-in name, or a
 * text file that is not an operation sequence or a fuzz_boot input (it is
 * then read as a layout and its errors are a layout's). A binary file is
 * an input; so is any file with --target or --binary.
 */
bool kb_cmd_names_layout(const struct kb_cmd_opts *o, const char *arg)
{
	enum kb_text_kind kind = layout_candidate_kind(o, arg);

	return kind == KB_TEXT_LAYOUT || kind == KB_TEXT_UNKNOWN;
}

/* Whether arg is a built-in layout name or a layout text file (by its version line). */
static bool names_machine(const struct kb_cmd_opts *o, const char *arg)
{
	return layout_candidate_kind(o, arg) == KB_TEXT_LAYOUT;
}

/*
 * The view after running the operation sequence arg on the machine of
 * --layout (a built-in name or a layout file, such as an imported one):
 * how sysctl writes or allocations change a real machine's /proc views.
 * arg must be operations: a layout there would be a second machine.
 */
static int view_on_layout(const struct kb_cmd_opts *o, enum view view, const char *arg)
{
	struct kb_layout layout;
	struct kb_run *run = NULL;
	struct loaded l;
	int ret = 2;

	if (names_machine(o, arg)) {
		fprintf(stderr, "kbuddy: %s is a layout; with --layout %s, the argument is the operation sequence to run on it\n",
			arg, o->layout);
		return 2;
	}
	if (load(o, arg, &l))
		goto out;
	if (l.in->boot) {
		fprintf(stderr, "kbuddy: %s: a fuzz_boot input brings its own layout; --layout is for operation sequences\n",
			arg);
		goto out;
	}
	if (kb_load_layout(o->layout, &layout))
		goto out;
	ret = run_and_report_on(&layout, &l.in->ops, arg, o->level, false, &run);
	if (ret != 2) {
		show(view, kb_run_instance(run));
		kb_run_destroy(run);
	}
out:
	unload(&l);
	return ret;
}

static int cmd_view(const struct kb_cmd_opts *o, enum view view, const char *arg)
{
	struct kb_run *run = NULL;
	struct loaded l;
	int ret;

	if (o->layout)
		return view_on_layout(o, view, arg);
	if (view == VIEW_ZONEINFO && kb_cmd_names_layout(o, arg)) {
		struct kb_layout layout;

		if (kb_load_layout(arg, &layout))
			return 2;
		return show_layout(view, arg, &layout);
	}
	if (load(o, arg, &l)) {
		unload(&l);
		return 2;
	}
	ret = run_input(l.in, arg, o->level, false, l.scratch, &run);
	if (ret != 2) {
		show(view, kb_run_instance(run));
		kb_run_destroy(run);
	}
	unload(&l);
	return ret;
}

int kb_cmd_buddyinfo(const struct kb_cmd_opts *o, int argc, char **argv)
{
	(void)argc;
	return cmd_view(o, VIEW_BUDDYINFO, argv[0]);
}

int kb_cmd_pagetypeinfo(const struct kb_cmd_opts *o, int argc, char **argv)
{
	(void)argc;
	return cmd_view(o, VIEW_PAGETYPEINFO, argv[0]);
}

int kb_cmd_zoneinfo(const struct kb_cmd_opts *o, int argc, char **argv)
{
	(void)argc;
	return cmd_view(o, VIEW_ZONEINFO, argv[0]);
}

int kb_cmd_layout(const struct kb_cmd_opts *o, int argc, char **argv)
{
	struct kb_layout layout;
	size_t need;
	char *text;

	(void)o;
	(void)argc;
	if (kb_load_layout(argv[0], &layout))
		return 2;
	need = kb_layout_format_text(&layout, NULL, 0) + 1;
	text = malloc(need);
	if (!text)
		return 2;
	kb_layout_format_text(&layout, text, need);
	fputs(text, stdout);
	free(text);
	return 0;
}

int kb_cmd_layouts(const struct kb_cmd_opts *o, int argc, char **argv)
{
	unsigned int i;

	(void)o;
	(void)argc;
	(void)argv;
	for (i = 0; i < kb_layout_builtin_count(); i++)
		printf("%u %s\n", i, kb_layout_builtin_name(i));
	return 0;
}

int kb_cmd_scenario(const struct kb_cmd_opts *o, int argc, char **argv)
{
	int i, worst = 0;

	for (i = 0; i < argc; i++) {
		uint8_t *data;
		size_t size;
		int ret;

		if (kb_read_file(argv[i], &data, &size))
			return 2;
		ret = kb_scenario_run(argv[i], (const char *)data, size, o->level, stdout);
		if (ret > worst)
			worst = ret;
		free(data);
	}
	return worst;
}

int kb_cmd_invariants(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const struct kb_invariant *inv;
	unsigned int i;

	(void)o;
	(void)argc;
	(void)argv;
	for (i = 0; (inv = kb_invariant_at(i)); i++)
		printf("%-30s level %d  %s\n", inv->name, inv->level, inv->meaning);
	return 0;
}
