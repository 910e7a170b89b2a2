/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The kbuddy tool's command line (tools/kbuddy.c): one table of commands,
 * one of options. A command is a table entry naming its arguments, how many
 * it takes, the options that apply to it, its help and its function; the
 * parser (getopt_long: options before or after the command, --level=3,
 * --, abbreviations) checks all of that before the function runs, so a
 * function gets exactly the arguments its entry allows.
 */
#ifndef KB_TOOLS_CLI_H
#define KB_TOOLS_CLI_H

#include <stdbool.h>

#include "input.h"

/* What the options set; every command gets the same struct. */
struct kb_cmd_opts {
	int level;		/* --level, else the command's default */
	bool level_given;
	bool quiet;		/* --quiet */
	enum kb_target target;	/* --target: what binary inputs are */
	bool binary;		/* --binary: files are binary inputs, whatever they look like */
	const char *out;	/* -o */
	const char *why;	/* --why: the .why line of promote */
	const char *layout;	/* --layout: the machine of trace import and replay */
	bool tracepoints;	/* --trace: run prints the kmem tracepoints */
};

/* The options a command accepts (a mask of these). */
enum {
	KB_OPT_LEVEL	= 1 << 0,
	KB_OPT_QUIET	= 1 << 1,
	KB_OPT_OUT	= 1 << 2,
	KB_OPT_WHY	= 1 << 3,
	KB_OPT_TARGET	= 1 << 4,	/* --target, --boot */
	KB_OPT_BINARY	= 1 << 5,
	KB_OPT_LAYOUT	= 1 << 6,
	KB_OPT_TRACE	= 1 << 7,
};

struct kb_command {
	const char *name;
	const char *args;	/* for usage lines: "FILE", "FILE NAME", "" */
	int min_args;
	int max_args;		/* -1: any number */
	unsigned int opts;	/* KB_OPT_* that apply */
	int default_level;	/* --level when not given; -1: the build's */
	const char *summary;	/* one line for `kbuddy help` */
	const char *help;	/* more for `kbuddy help NAME`, or NULL */
	int (*run)(const struct kb_cmd_opts *o, int argc, char **argv);
};

/* The commands of tools/inspect.c. */
int kb_cmd_run(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_repro(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_decode(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_encode(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_buddyinfo(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_pagetypeinfo(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_zoneinfo(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_layout(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_layouts(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_scenario(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_invariants(const struct kb_cmd_opts *o, int argc, char **argv);
/*
 * Whether a command's ARG names a layout rather than an input: a built-in
 * name, or a text file that is neither an operation sequence nor a
 * fuzz_boot input (then read as a layout, with a layout's errors).
 */
bool kb_cmd_names_layout(const struct kb_cmd_opts *o, const char *arg);

/* tools/machine.c */
int kb_cmd_import(const struct kb_cmd_opts *o, int argc, char **argv);
int kb_cmd_compare(const struct kb_cmd_opts *o, int argc, char **argv);
/* tools/trace.c */
int kb_cmd_trace(const struct kb_cmd_opts *o, int argc, char **argv);
/* run --trace: the kmem tracepoints of a run in the kernel's trace format */
int kb_run_tracepoints(const struct kb_cmd_opts *o, const char *path);

/* tools/map.c */
int kb_cmd_map(const struct kb_cmd_opts *o, int argc, char **argv);

#endif /* KB_TOOLS_CLI_H */
