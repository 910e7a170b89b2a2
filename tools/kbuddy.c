// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy: run, inspect and reproduce operation sequences on the replica of
 * the kernel's page allocator. `kbuddy help` lists the commands, `kbuddy
 * help COMMAND` explains one.
 *
 * The command line is two tables (tools/cli.h): the commands, and the
 * options. getopt_long reads the options wherever they stand (before or
 * after the command and its files, --level=3 or --level 3, unique
 * abbreviations such as --lev=3); "--" ends them, so a file may be named
 * "-x". Then the command's entry decides: an option it does not take or a
 * missing or extra argument is an error, before anything runs.
 */
#include <getopt.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"
#include "layout_io.h"
#include "ops.h"
#include "workflow.h"

#ifndef KB_CHECK_LEVEL
#define KB_CHECK_LEVEL 2
#endif

#define FILE_OPTS	(KB_OPT_LEVEL | KB_OPT_TARGET | KB_OPT_BINARY)

static const struct kb_command commands[] = {
	{ "run", "FILE", 1, 1, FILE_OPTS | KB_OPT_QUIET | KB_OPT_TRACE | KB_OPT_LAYOUT, -1,
	  "run an input (text or binary), print the trace",
	  "Runs FILE under the checker, one trace line per operation, then the\n"
	  "result; on a violation the report, and exit 1. --quiet prints only a\n"
	  "violation. --trace prints instead the kmem tracepoints the run raises\n"
	  "(mm_page_alloc, mm_page_free, ...) in the kernel's trace format.\n"
	  "--layout L boots L (a built-in name or a layout file of any size,\n"
	  "such as a 64 GiB or a sparse 1 TiB machine) instead of the built-in\n"
	  "layout a fuzz_ops input names; operations that do not fit it are\n"
	  "skipped as fuzz_boot skips them.", kb_cmd_run },
	{ "repro", "FILE", 1, 1, FILE_OPTS, 3,
	  "re-run a crash input at --level 3, print the violation",
	  "Replays FILE at check level 3 (a full sweep after every operation, so\n"
	  "the report names the first operation that broke the state) unless\n"
	  "--level says otherwise; exit 1 with the report, 0 when it runs clean.",
	  kb_cmd_repro },
	{ "decode", "FILE", 1, 1, KB_OPT_OUT | KB_OPT_TARGET | KB_OPT_BINARY, -1,
	  "print an input in its editable text form", NULL,
	  kb_cmd_decode },
	{ "encode", "FILE", 1, 1, KB_OPT_OUT | KB_OPT_TARGET | KB_OPT_BINARY, -1,
	  "write a text input in binary form", NULL, kb_cmd_encode },
	{ "buddyinfo", "FILE", 1, 1, FILE_OPTS | KB_OPT_LAYOUT, -1,
	  "run FILE, print /proc/buddyinfo",
	  "Runs FILE (an operation sequence in either form, or a fuzz_boot\n"
	  "input) and prints /proc/buddyinfo then. --layout L runs the\n"
	  "operation sequence FILE on L (a built-in name or a layout file, such\n"
	  "as an imported machine) instead of the layout FILE names.",
	  kb_cmd_buddyinfo },
	{ "pagetypeinfo", "FILE", 1, 1, FILE_OPTS | KB_OPT_LAYOUT, -1,
	  "run FILE, print /proc/pagetypeinfo",
	  "Runs FILE (an operation sequence in either form, or a fuzz_boot\n"
	  "input) and prints /proc/pagetypeinfo then. --layout L runs the\n"
	  "operation sequence FILE on L (a built-in name or a layout file, such\n"
	  "as an imported machine) instead of the layout FILE names.",
	  kb_cmd_pagetypeinfo },
	{ "zoneinfo", "ARG", 1, 1, FILE_OPTS | KB_OPT_LAYOUT, -1,
	  "/proc/zoneinfo after an input, or of a layout at boot",
	  "ARG is a built-in layout name or a layout text file (zoneinfo at\n"
	  "boot), or an input file (run first: an operation sequence in either\n"
	  "form, or a fuzz_boot input). A text file is a layout unless it is an\n"
	  "operation sequence or a fuzz_boot input by its version line or its\n"
	  "first word; it is never read as another format when it does not parse.\n"
	  "--layout L runs the operation sequence ARG on L (a built-in name or a\n"
	  "layout file, such as an imported machine): sysctl writes in ARG show\n"
	  "the zoneinfo that machine has after them.",
	  kb_cmd_zoneinfo },
	{ "map", "ARG", 1, 1, FILE_OPTS | KB_OPT_OUT, -1,
	  "a picture of memory (SVG, or PNG for -o FILE.png)",
	  "Runs ARG (an input, or a layout at boot as zoneinfo reads it) and\n"
	  "draws every pageblock by migratetype (Isolate, CMA, HighAtomic\n"
	  "marked), free blocks by order, per-CPU pages, allocations by owner,\n"
	  "reserved pages and holes, zone by zone and node by node, to -o OUT\n"
	  "(.svg, or .png through rsvg-convert) or stdout. Exit 1 when the run\n"
	  "stopped on a violation (the map shows the state then).", kb_cmd_map },
	{ "import", "DIR", 1, 1, KB_OPT_OUT, -1,
	  "the layout of a captured real machine",
	  "DIR is a capture (import/capture.sh writes one on a Linux machine;\n"
	  "docs/import.md): the layout is derived from its zoneinfo, memory map,\n"
	  "boot log, sysfs and sysctls, to -o OUT or stdout. What cannot be\n"
	  "derived is a warning.", kb_cmd_import },
	{ "compare", "zoneinfo REAL OURS", 3, 3, 0, -1,
	  "each zoneinfo field that differs, with its reason",
	  "REAL is a zoneinfo file or a capture directory (then zoneinfo.before\n"
	  "against OURS' boot, and zoneinfo.after against that boot followed by\n"
	  "the sysctl writes from sysctl_vm.before to sysctl_vm.after); OURS is\n"
	  "a zoneinfo file or a layout, booted by this build. Exit 1 when a\n"
	  "field derived at boot differs or one side prints a field the other\n"
	  "does not; dynamic fields (free pages, pcp counts, pcp high since\n"
	  "6.7) are listed but do not count.", kb_cmd_compare },
	{ "trace", "import|replay TRACE", 2, 2, KB_OPT_LAYOUT | KB_OPT_OUT | KB_OPT_LEVEL, -1,
	  "a real kernel's ftrace: import it, or replay it on kbuddy",
	  "TRACE is the ftrace text of the kmem page events (a capture's\n"
	  "trace.txt; its format.mm_page_alloc and .after views are read from the\n"
	  "same directory). import writes the kernel's requests and frees as an\n"
	  "operation sequence (-o OUT); replay runs TRACE or such a sequence on\n"
	  "--layout L under the checker and prints kbuddy's zones, fallbacks,\n"
	  "pcp drains and orders beside the kernel's, then buddyinfo and\n"
	  "pagetypeinfo beside the capture's. Exit 1 on a violation.", kb_cmd_trace },
	{ "layout", "ARG", 1, 1, 0, -1,
	  "print a layout (built-in name or file) in text form", NULL, kb_cmd_layout },
	{ "layouts", "", 0, 0, 0, -1, "list the built-in layouts", NULL, kb_cmd_layouts },
	{ "scenario", "FILE...", 1, -1, KB_OPT_LEVEL, -1,
	  "check scenario files (operations with expect lines)",
	  "Runs each file and checks its expect lines (docs/scenarios.md); exit 1\n"
	  "when an expectation fails, 2 when a file does not parse.", kb_cmd_scenario },
	{ "invariants", "", 0, 0, 0, -1,
	  "list the checker's invariants and their levels", NULL, kb_cmd_invariants },
	{ "reduce", "FILE", 1, 1, FILE_OPTS | KB_OPT_QUIET | KB_OPT_OUT, -1,
	  "shrink a failing input keeping its signature",
	  "Removes operations (and, for fuzz_boot, shrinks the layout) while the\n"
	  "signature at --level stays; writes FILE.min.bin and FILE.min.txt, or\n"
	  "BASE.bin and BASE.txt with -o BASE.", kb_cmd_reduce },
	{ "promote", "FILE NAME", 2, 2,
	  FILE_OPTS | KB_OPT_QUIET | KB_OPT_OUT | KB_OPT_WHY, -1,
	  "reduce FILE into a regression test NAME",
	  "fuzz_boot inputs go to corpus/regression/fuzz_boot/; -o DIR names\n"
	  "another directory, --why TEXT the line of NAME.why. FILE must fail on\n"
	  "this build (promote with the build that has the bug).", kb_cmd_promote },
	{ "triage", "DIR|FILE...", 1, -1, FILE_OPTS, -1,
	  "group crash files by signature, one line per bug",
	  "Finds libFuzzer's crash-*, leak-*, timeout-*, oom-* and AFL++'s\n"
	  "crashes/id:*, hangs/id:* under each DIR (not reduce's .min.bin and\n"
	  ".min.txt), reads them as the binary inputs the fuzzer ran, and prints\n"
	  "per signature the count, the smallest file and the whole command that\n"
	  "reproduces it. Files named on the command line are read by content.",
	  kb_cmd_triage },
	{ "boot", "FILE", 1, 1, KB_OPT_LEVEL | KB_OPT_BINARY, -1,
	  "show and run a fuzz_boot input", NULL, kb_cmd_boot },
	{ "boot-input", "LAYOUT [OPS]", 1, 2, KB_OPT_OUT | KB_OPT_BINARY, -1,
	  "write a fuzz_boot input from a layout and operations",
	  "LAYOUT is a built-in name or a layout file; the operations of OPS are\n"
	  "encoded against LAYOUT's geometry. To -o OUT or stdout.",
	  kb_cmd_boot_input },
};

#define NR_COMMANDS	(sizeof(commands) / sizeof(commands[0]))

/* The options; "val" is the short option or a code above 255. */
enum { OPT_LEVEL = 256, OPT_WHY, OPT_TARGET, OPT_BOOT, OPT_BINARY, OPT_VERSION, OPT_LAYOUT,
       OPT_TRACE };

static const struct opt_def {
	const char *name;
	int has_arg;
	int val;
	unsigned int bit;	/* KB_OPT_*; 0 for --help and --version */
	const char *arg;
	const char *help;
} opt_defs[] = {
	{ "level", required_argument, OPT_LEVEL, KB_OPT_LEVEL, "N",
	  "check level: 0 off, 1 the kernel's DEBUG_VM checks,\n"
	  "2 strict (per-operation checks, a full sweep at the\n"
	  "end), 3 a full sweep after every operation" },
	{ "quiet", no_argument, 'q', KB_OPT_QUIET, NULL, "no per-operation trace" },
	{ "output", required_argument, 'o', KB_OPT_OUT, "OUT",
	  "output file (encode, decode, boot-input, map),\n"
	  "output base (reduce), directory (promote)" },
	{ "why", required_argument, OPT_WHY, KB_OPT_WHY, "TEXT", "promote: the line of NAME.why" },
	{ "target", required_argument, OPT_TARGET, KB_OPT_TARGET, "T",
	  "what binary files are: fuzz_ops (default) or fuzz_boot" },
	{ "boot", no_argument, OPT_BOOT, KB_OPT_TARGET, NULL, "the same as --target fuzz_boot" },
	{ "binary", no_argument, OPT_BINARY, KB_OPT_BINARY, NULL,
	  "read files as binary inputs even when they look\n"
	  "like text" },
	{ "layout", required_argument, OPT_LAYOUT, KB_OPT_LAYOUT, "L",
	  "trace: the layout of the traced machine; run,\n"
	  "zoneinfo, buddyinfo, pagetypeinfo: the layout to\n"
	  "boot instead of the input's" },
	{ "trace", no_argument, OPT_TRACE, KB_OPT_TRACE, NULL,
	  "run: print the kmem tracepoints in the kernel's format" },
	{ "help", no_argument, 'h', 0, NULL, "this text; with a command, that command's" },
	{ "version", no_argument, OPT_VERSION, 0, NULL,
	  "formats and build configuration of this kbuddy" },
};

#define NR_OPTS	(sizeof(opt_defs) / sizeof(opt_defs[0]))

static const struct {
	const char *name;
	enum kb_target target;
} targets[] = {
	{ "fuzz_ops", KB_TARGET_OPS },
	{ "fuzz_boot", KB_TARGET_BOOT },
};

static const struct kb_command *find_command(const char *name)
{
	size_t i;

	for (i = 0; i < NR_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static const struct opt_def *find_opt(int val)
{
	size_t i;

	for (i = 0; i < NR_OPTS; i++)
		if (opt_defs[i].val == val)
			return &opt_defs[i];
	return NULL;
}

/* Writes text with every line after the first indented by indent spaces. */
static void put_indented(FILE *f, const char *text, int indent)
{
	for (; *text; text++) {
		fputc(*text, f);
		if (*text == '\n')
			fprintf(f, "%*s", indent, "");
	}
	fputc('\n', f);
}

static void put_option(FILE *f, const struct opt_def *d)
{
	char head[40];

	snprintf(head, sizeof(head), "%s%c%s--%s%s%s",
		 d->val < 256 ? "-" : "", d->val < 256 ? d->val : ' ',
		 d->val < 256 ? ", " : "   ", d->name, d->arg ? " " : "", d->arg ? d->arg : "");
	fprintf(f, "  %-20s ", d->val < 256 ? head : head + 2);
	put_indented(f, d->help, 23);
}

static void usage(FILE *f)
{
	size_t i;

	fprintf(f, "usage: kbuddy COMMAND [ARGS] [OPTIONS]   (options may come before or after)\n"
		   "       kbuddy help COMMAND\n\ncommands:\n");
	for (i = 0; i < NR_COMMANDS; i++) {
		char head[40];

		snprintf(head, sizeof(head), "%s %s", commands[i].name, commands[i].args);
		fprintf(f, "  %-24s %s\n", head, commands[i].summary);
	}
	fprintf(f, "  %-24s %s\n\noptions:\n", "help [COMMAND]", "this text, or one command's");
	for (i = 0; i < NR_OPTS; i++)
		put_option(f, &opt_defs[i]);
	fprintf(f, "\n"
		"Input files: a file whose first line is printable text (or that starts\n"
		"with a UTF-8 byte-order mark) is read as text and its errors are text\n"
		"errors; any other file is a binary input (fuzz_ops, or fuzz_boot with\n"
		"--target fuzz_boot); --binary reads every file as binary. A fuzz_boot\n"
		"text form starts with \"# kbuddy boot-input v1\".\n"
		"Exit status: 0 clean, 1 a violation (or a failed expectation), 2 an\n"
		"error. The check level defaults to %d (the fuzzers' level), 3 for repro.\n",
		KB_CHECK_LEVEL);
}

static void command_help(FILE *f, const struct kb_command *c)
{
	size_t i;

	fprintf(f, "usage: kbuddy %s%s%s [OPTIONS]\n\n%s\n", c->name, c->args[0] ? " " : "",
		c->args, c->summary);
	if (c->help)
		fprintf(f, "\n%s\n", c->help);
	fprintf(f, "\noptions:\n");
	for (i = 0; i < NR_OPTS; i++)
		if (!opt_defs[i].bit || (opt_defs[i].bit & c->opts))
			put_option(f, &opt_defs[i]);
}

/* help is not in the command table: its own page says what it takes. */
static void help_help(FILE *f)
{
	fprintf(f, "usage: kbuddy help [COMMAND]\n\n"
		   "Without a command, lists the commands and options; with one, prints\n"
		   "that command's usage, what it does and the options it takes.\n"
		   "kbuddy COMMAND --help prints the same page.\n");
}

/* The version of the layout text form: the number its writer puts on line 1. */
static int layout_format_version(void)
{
	struct kb_layout layout;
	char text[64];
	int v = 0;

	kb_layout_default(&layout);
	kb_layout_format_text(&layout, text, sizeof(text));
	if (sscanf(text, "# kbuddy layout v%d", &v) != 1)
		v = 0;
	return v;
}

static void version(void)
{
	printf("kbuddy: operations format v%d, layout text form v%d, fuzz_boot text form v%d\n",
	       KB_OPS_FORMAT_VERSION, layout_format_version(), KB_BOOT_TEXT_VERSION);
	printf("build: check level %d, profile %s, %s\n", KB_CHECK_LEVEL, kb_profile_name(),
#ifdef KB_BUG_NAME
	       "planted bug " KB_BUG_NAME " (a mutant: not the correct allocator)"
#else
	       "no planted bug"
#endif
	       );
}

static int bad_usage(const char *cmd, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* A usage error: the message, where help is, exit status 2. */
static int bad_usage(const char *cmd, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "kbuddy: ");
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fprintf(stderr, " (kbuddy help%s%s)\n", cmd ? " " : "", cmd ? cmd : "");
	return 2;
}

/* --level: one digit 0..3 and nothing else. */
static int parse_level(const char *s, int *level)
{
	if (s[0] < '0' || s[0] > '3' || s[1])
		return -1;
	*level = s[0] - '0';
	return 0;
}

int main(int argc, char **argv)
{
	struct option longopts[NR_OPTS + 1];
	struct kb_cmd_opts o = { .level = KB_CHECK_LEVEL };
	const struct kb_command *cmd;
	unsigned int given = 0;
	bool help = false, want_version = false;
	const char *cmdname;
	int c, nargs;
	size_t i;

	memset(longopts, 0, sizeof(longopts));
	for (i = 0; i < NR_OPTS; i++)
		longopts[i] = (struct option){ opt_defs[i].name, opt_defs[i].has_arg, NULL,
					       opt_defs[i].val };
	opterr = 0;
	while ((c = getopt_long(argc, argv, ":qo:h", longopts, NULL)) != -1) {
		const struct opt_def *d = find_opt(c);
		size_t t;

		if (c == '?' && optopt)
			return bad_usage(NULL, "unknown option '-%c'", optopt);
		if (c == '?')
			return bad_usage(NULL, "unknown option '%s'", argv[optind - 1]);
		if (c == ':')
			return bad_usage(NULL, "option '%s' needs a value", argv[optind - 1]);
		given |= d ? d->bit : 0;
		switch (c) {
		case OPT_LEVEL:
			if (parse_level(optarg, &o.level))
				return bad_usage(NULL, "--level takes 0, 1, 2 or 3, not '%s'", optarg);
			o.level_given = true;
			break;
		case 'q':
			o.quiet = true;
			break;
		case 'o':
			o.out = optarg;
			break;
		case OPT_WHY:
			o.why = optarg;
			break;
		case OPT_BOOT:
			o.target = KB_TARGET_BOOT;
			break;
		case OPT_TARGET:
			for (t = 0; t < sizeof(targets) / sizeof(targets[0]); t++)
				if (!strcmp(optarg, targets[t].name))
					break;
			if (t == sizeof(targets) / sizeof(targets[0]))
				return bad_usage(NULL, "--target takes fuzz_ops or fuzz_boot, not '%s'",
						 optarg);
			o.target = targets[t].target;
			break;
		case OPT_BINARY:
			o.binary = true;
			break;
		case OPT_LAYOUT:
			o.layout = optarg;
			break;
		case OPT_TRACE:
			o.tracepoints = true;
			break;
		case 'h':
			help = true;
			break;
		case OPT_VERSION:
			want_version = true;
			break;
		}
	}
	argv += optind;
	argc -= optind;
	if (want_version) {
		/* --version takes nothing else: an extra word is a mistake, not ignored */
		if (argc)
			return bad_usage(NULL, "--version takes no arguments, not '%s'", argv[0]);
		if (given || help)
			return bad_usage(NULL, "--version takes no other options");
		version();
		return 0;
	}
	if (!argc) {
		usage(help ? stdout : stderr);
		return help ? 0 : 2;
	}
	cmdname = argv[0];
	if (!strcmp(cmdname, "help")) {
		if (argc > 2)
			return bad_usage(NULL, "help takes one command, not '%s' too", argv[2]);
		if (argc == 1) {
			usage(stdout);
			return 0;
		}
		if (!strcmp(argv[1], "help")) {
			help_help(stdout);
			return 0;
		}
		cmd = find_command(argv[1]);
		if (!cmd)
			return bad_usage(NULL, "unknown command '%s'", argv[1]);
		command_help(stdout, cmd);
		return 0;
	}
	cmd = find_command(cmdname);
	if (!cmd)
		return bad_usage(NULL, "unknown command '%s'", cmdname);
	if (help) {
		command_help(stdout, cmd);
		return 0;
	}
	for (i = 0; i < NR_OPTS; i++)
		if ((given & opt_defs[i].bit) && !(cmd->opts & opt_defs[i].bit))
			return bad_usage(cmd->name, "--%s does not apply to this command",
					 opt_defs[i].name);
	nargs = argc - 1;
	if (nargs < cmd->min_args) {
		fprintf(stderr, "kbuddy: %s needs %s (usage: kbuddy %s %s)\n", cmd->name,
			cmd->args, cmd->name, cmd->args);
		return 2;
	}
	if (cmd->max_args >= 0 && nargs > cmd->max_args)
		return bad_usage(cmd->name, "unexpected argument '%s'", argv[1 + cmd->max_args]);
	if (!o.level_given && cmd->default_level >= 0)
		o.level = cmd->default_level;
	return cmd->run(&o, nargs, argv + 1);
}
