// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy: run, inspect and reproduce operation sequences on the replica of
 * the kernel's page allocator. `kbuddy help` lists the commands.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "run.h"
#include "scenario.h"
#include "workflow.h"
#include "../core/kbuddy.h"
#include "../machine/layout_io.h"

#ifndef KB_CHECK_LEVEL
#define KB_CHECK_LEVEL 2
#endif

static const char usage[] =
	"usage: kbuddy COMMAND ARGS [--level N] [--quiet] [-o OUT] [--target T]\n"
	"\n"
	"commands:\n"
	"  run FILE          run an input file (text or binary); print the trace\n"
	"                    and the result; exit 1 on a violation\n"
	"  repro FILE        re-run a crash input at --level 3 (default); print the\n"
	"                    violation and the operations leading to it; exit 1\n"
	"  decode FILE       print a binary input in text form\n"
	"  encode FILE       write a text input in binary form (to -o OUT or stdout)\n"
	"  buddyinfo FILE    run FILE, print /proc/buddyinfo\n"
	"  pagetypeinfo FILE run FILE, print /proc/pagetypeinfo\n"
	"  zoneinfo ARG      /proc/zoneinfo: ARG is an input file (run first), a\n"
	"                    layout file or a built-in layout name (printed at boot)\n"
	"  layout ARG        print a layout (file or built-in name) in text form\n"
	"  layouts           list the built-in layouts\n"
	"  scenario FILE...  check scenario files (operations with expect lines)\n"
	"  invariants        list every invariant the checker knows\n"
	"  reduce FILE       shrink a failing input to the fewest operations (and,\n"
	"                    for fuzz_boot, the smallest layout) with the same\n"
	"                    signature; writes FILE.min.bin and FILE.min.txt\n"
	"                    (-o BASE: BASE.bin and BASE.txt)\n"
	"  promote FILE NAME reduce FILE into corpus/regression/NAME.{bin,txt,why},\n"
	"                    fuzz_boot inputs into corpus/regression/fuzz_boot/\n"
	"                    (-o DIR: another directory; --why TEXT: the .why line)\n"
	"  triage DIR|FILE...  group crash files (libFuzzer crash-*, AFL++\n"
	"                    crashes/id:*) by signature: one line per distinct bug\n"
	"                    with its smallest reproducer\n"
	"  boot FILE         show and run a fuzz_boot input (binary or text form)\n"
	"  boot-input LAYOUT [OPS]  write a fuzz_boot input from a layout (file or\n"
	"                    built-in name) and an operation file (-o OUT or stdout)\n"
	"  help              this text\n"
	"\n"
	"options:\n"
	"  --level N   check level 0 off, 1 kernel DEBUG_VM, 2 strict (default),\n"
	"              3 full sweep after every operation\n"
	"  --quiet     no per-operation trace\n"
	"  -o OUT      output file for encode, decode and boot-input; output base\n"
	"              of reduce; directory of promote\n"
	"  --why TEXT  promote: the one line of NAME.why\n"
	"  --target T  what binary input files are: fuzz_ops (default) or\n"
	"              fuzz_boot (a layout, then operation records); --boot is\n"
	"              --target fuzz_boot\n"
	"\n"
	"Input files: both binary forms accept any bytes, so a binary file is a\n"
	"fuzz_ops input unless --target fuzz_boot says otherwise. Text forms are\n"
	"recognised by their content: a fuzz_boot text form starts with\n"
	"\"# kbuddy boot-input v1\" (decode --target fuzz_boot writes one).\n"
	"\n"
	"reduce, promote and triage run every file at the same --level (default %d,\n"
	"the fuzzers' level); repro defaults to 3.\n";

struct cli {
	int level;
	bool level_given;
	bool quiet;
	enum kb_target target;
	const char *out;
	const char *why;
};

/* Runs a fuzz_ops sequence and prints the outcome; 0 clean, 1 violation, 2 did not boot. */
static int run_and_report(const struct kb_ops *ops, const char *path, int level, bool trace,
			  struct kb_run **keep)
{
	struct kb_run_options opt = { .check_level = level, .back_with_memory = true,
				      .trace = trace ? stdout : NULL };
	struct kb_run_result res;
	struct kb_run *run;

	run = kb_run_ops(ops, &opt, &res);
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

static int load(const struct cli *cli, const char *path, struct loaded *l)
{
	l->in = kb_input_new();
	l->scratch = malloc(sizeof(*l->scratch));
	if (!l->scratch) {
		fprintf(stderr, "kbuddy: out of memory\n");
		return -1;
	}
	return kb_load_input(path, cli->target, l->in);
}

static void unload(struct loaded *l)
{
	free(l->in);
	free(l->scratch);
}

static int cmd_run(const struct cli *cli, const char *path)
{
	struct loaded l;
	int ret = 2;

	if (!load(cli, path, &l))
		ret = run_input(l.in, path, cli->level, !cli->quiet, l.scratch, NULL);
	unload(&l);
	return ret;
}

static int cmd_repro(const struct cli *cli, const char *path)
{
	int level = cli->level_given ? cli->level : 3;
	struct loaded l;
	int ret = 2;

	if (!load(cli, path, &l)) {
		ret = run_input(l.in, path, level, false, l.scratch, NULL);
		if (ret == 0)
			printf("kbuddy: %s runs clean at check level %d (%zu operations%s): no violation to reproduce\n",
			       path, level, l.in->ops.nr_ops,
			       l.in->boot ? ", as a fuzz_boot input" : "");
	}
	unload(&l);
	return ret;
}

static int cmd_decode(const struct cli *cli, const char *path)
{
	struct loaded l;
	size_t need;
	char *text = NULL;
	int ret = 2;

	if (load(cli, path, &l))
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
	ret = kb_write_file(cli->out ? cli->out : "-", text, strlen(text)) ? 2 : 0;
out:
	free(text);
	unload(&l);
	return ret;
}

static int cmd_encode(const struct cli *cli, const char *path)
{
	struct loaded l;
	char err[512];
	uint8_t *bin = NULL;
	size_t need;
	int ret = 2;

	if (load(cli, path, &l))
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
	ret = kb_write_file(cli->out ? cli->out : "-", bin, need) ? 2 : 0;
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

/*
 * A layout from a built-in name or a layout text file. Returns 0, -1 on an
 * error (printed), or 1 when ARG is a file that is not a layout and
 * maybe_ops says the caller will read it as operations instead.
 */
static int load_layout(const char *arg, struct kb_layout *layout, bool maybe_ops)
{
	uint8_t *data;
	size_t size;
	char err[256];
	int ret;

	if (!kb_layout_builtin(arg, layout))
		return 0;
	if (kb_read_file(arg, &data, &size))
		return -1;
	ret = kb_layout_parse_text((const char *)data, size, layout, err, sizeof(err));
	if (ret && maybe_ops && !strstr((const char *)data, "# kbuddy layout")) {
		free(data);
		return 1;
	}
	if (ret)
		fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
	free(data);
	return ret ? -1 : 0;
}

/* Whether path is a file holding a fuzz_boot text form (then it is no layout). */
static bool boot_text_file(const char *path)
{
	struct kb_layout layout;
	uint8_t *data;
	size_t size;
	bool ret;

	if (!kb_layout_builtin(path, &layout) || kb_read_file(path, &data, &size))
		return false;
	ret = kb_boot_is_text(data, size);
	free(data);
	return ret;
}

static int cmd_view(const struct cli *cli, enum view view, const char *arg)
{
	struct kb_run *run = NULL;
	struct loaded l;
	int ret;

	if (view == VIEW_ZONEINFO && cli->target != KB_TARGET_BOOT && !boot_text_file(arg)) {
		struct kb_layout layout;
		int kind = load_layout(arg, &layout, true);

		if (kind < 0)
			return 2;
		if (kind == 0) {
			char err[256];
			struct kb_instance *kb = kb_create(&layout, NULL, err, sizeof(err));

			if (!kb) {
				fprintf(stderr, "kbuddy: %s: %s\n", arg, err);
				return 2;
			}
			show(view, kb);
			kb_destroy(kb);
			return 0;
		}
	}
	if (load(cli, arg, &l)) {
		unload(&l);
		return 2;
	}
	ret = run_input(l.in, arg, cli->level, false, l.scratch, &run);
	if (ret != 2) {
		show(view, kb_run_instance(run));
		kb_run_destroy(run);
	}
	unload(&l);
	return ret;
}

static int cmd_layout(const char *arg)
{
	struct kb_layout layout;
	size_t need;
	char *text;

	if (load_layout(arg, &layout, false))
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

static int cmd_layouts(void)
{
	unsigned int i;

	for (i = 0; i < kb_layout_builtin_count(); i++)
		printf("%u %s\n", i, kb_layout_builtin_name(i));
	return 0;
}

static int cmd_scenario(const struct cli *cli, int argc, char **argv)
{
	int i, failed = 0;

	for (i = 0; i < argc; i++) {
		uint8_t *data;
		size_t size;

		if (kb_read_file(argv[i], &data, &size))
			return 2;
		if (kb_scenario_run(argv[i], (const char *)data, size, cli->level, stdout))
			failed++;
		free(data);
	}
	return failed ? 1 : 0;
}

static int cmd_invariants(void)
{
	unsigned int i;
	const struct kb_invariant *inv;

	for (i = 0; (inv = kb_invariant_at(i)); i++)
		printf("%-30s level %d  %s\n", inv->name, inv->level, inv->meaning);
	return 0;
}

static void print_usage(FILE *f)
{
	fprintf(f, usage, KB_CHECK_LEVEL);
}

static int need_arg(int argc, const char *cmd)
{
	if (argc < 1) {
		fprintf(stderr, "kbuddy: %s needs a file argument\n", cmd);
		print_usage(stderr);
		return 2;
	}
	return 0;
}

/* The crash workflow commands (tools/reduce.c, promote.c, triage.c, boot.c). */
static int dispatch_workflow(const struct cli *cli, const char *cmd, int argc, char **argv)
{
	struct kb_wf_opts o = { .level = cli->level, .quiet = cli->quiet, .target = cli->target,
				.out = cli->out, .why = cli->why };

	if (need_arg(argc, cmd))
		return 2;
	if (!strcmp(cmd, "reduce"))
		return kb_cmd_reduce(&o, argv[0]);
	if (!strcmp(cmd, "triage"))
		return kb_cmd_triage(&o, argc, argv);
	if (!strcmp(cmd, "boot"))
		return kb_cmd_boot(&o, argv[0]);
	if (!strcmp(cmd, "boot-input"))
		return kb_cmd_boot_input(&o, argv[0], argc > 1 ? argv[1] : NULL);
	if (argc < 2) {
		fprintf(stderr, "kbuddy: promote needs FILE and NAME\n");
		print_usage(stderr);
		return 2;
	}
	return kb_cmd_promote(&o, argv[0], argv[1]);
}

static int dispatch(const struct cli *cli, const char *cmd, int argc, char **argv)
{
	if (!strcmp(cmd, "help"))
		return print_usage(stdout), 0;
	if (!strcmp(cmd, "reduce") || !strcmp(cmd, "promote") || !strcmp(cmd, "triage") ||
	    !strcmp(cmd, "boot") || !strcmp(cmd, "boot-input"))
		return dispatch_workflow(cli, cmd, argc, argv);
	if (!strcmp(cmd, "layouts"))
		return cmd_layouts();
	if (!strcmp(cmd, "invariants"))
		return cmd_invariants();
	if (!strcmp(cmd, "run") || !strcmp(cmd, "repro") || !strcmp(cmd, "decode") ||
	    !strcmp(cmd, "encode") || !strcmp(cmd, "buddyinfo") ||
	    !strcmp(cmd, "pagetypeinfo") || !strcmp(cmd, "zoneinfo") ||
	    !strcmp(cmd, "layout") || !strcmp(cmd, "scenario")) {
		if (need_arg(argc, cmd))
			return 2;
	} else {
		fprintf(stderr, "kbuddy: unknown command '%s'\n", cmd);
		print_usage(stderr);
		return 2;
	}
	if (!strcmp(cmd, "run"))
		return cmd_run(cli, argv[0]);
	if (!strcmp(cmd, "repro"))
		return cmd_repro(cli, argv[0]);
	if (!strcmp(cmd, "decode"))
		return cmd_decode(cli, argv[0]);
	if (!strcmp(cmd, "encode"))
		return cmd_encode(cli, argv[0]);
	if (!strcmp(cmd, "buddyinfo"))
		return cmd_view(cli, VIEW_BUDDYINFO, argv[0]);
	if (!strcmp(cmd, "pagetypeinfo"))
		return cmd_view(cli, VIEW_PAGETYPEINFO, argv[0]);
	if (!strcmp(cmd, "zoneinfo"))
		return cmd_view(cli, VIEW_ZONEINFO, argv[0]);
	if (!strcmp(cmd, "layout"))
		return cmd_layout(argv[0]);
	return cmd_scenario(cli, argc, argv);
}

int main(int argc, char **argv)
{
	struct cli cli = { .level = KB_CHECK_LEVEL };
	char **args = calloc((size_t)argc + 1, sizeof(char *));
	const char *cmd;
	int i, nargs = 0;

	if (!args)
		return 2;
	/* Options may stand anywhere; everything else is the command and its files. */
	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--level") && i + 1 < argc) {
			char *end;

			cli.level = (int)strtol(argv[++i], &end, 10);
			if (*end || cli.level < 0 || cli.level > 3) {
				fprintf(stderr, "kbuddy: --level takes 0, 1, 2 or 3\n");
				free(args);
				return 2;
			}
			cli.level_given = true;
		} else if (!strcmp(argv[i], "--quiet") || !strcmp(argv[i], "-q")) {
			cli.quiet = true;
		} else if (!strcmp(argv[i], "-o") && i + 1 < argc) {
			cli.out = argv[++i];
		} else if (!strcmp(argv[i], "--why") && i + 1 < argc) {
			cli.why = argv[++i];
		} else if (!strcmp(argv[i], "--boot")) {
			cli.target = KB_TARGET_BOOT;
		} else if (!strcmp(argv[i], "--target") && i + 1 < argc) {
			i++;
			if (!strcmp(argv[i], "fuzz_boot")) {
				cli.target = KB_TARGET_BOOT;
			} else if (!strcmp(argv[i], "fuzz_ops")) {
				cli.target = KB_TARGET_OPS;
			} else {
				fprintf(stderr, "kbuddy: --target takes fuzz_ops or fuzz_boot, not '%s'\n",
					argv[i]);
				free(args);
				return 2;
			}
		} else if (!strcmp(argv[i], "--help") || !strcmp(argv[i], "-h")) {
			print_usage(stdout);
			free(args);
			return 0;
		} else if (argv[i][0] == '-' && argv[i][1]) {
			fprintf(stderr, "kbuddy: unknown option '%s'\n", argv[i]);
			print_usage(stderr);
			free(args);
			return 2;
		} else {
			args[nargs++] = argv[i];
		}
	}
	if (!nargs) {
		print_usage(stderr);
		free(args);
		return 2;
	}
	cmd = args[0];
	argc = nargs - 1;
	argv = args + 1;

	i = dispatch(&cli, cmd, argc, argv);
	free(args);
	return i;
}
