// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy promote FILE NAME: turns a failing input into a regression test.
 * The input is reduced (as `kbuddy reduce` does) and written to
 * corpus/regression/NAME.bin and NAME.txt, fuzz_boot inputs to
 * corpus/regression/fuzz_boot/ (or into the directory -o DIR), with
 * NAME.why: one line on what it caught. `make regress` and `make check`
 * replay every .bin there (fuzz_boot ones through the fuzz_boot path:
 * ci/check_regression.sh) and expect it to run clean, so the test fails
 * while the bug is there and passes once it is fixed. Promote therefore
 * needs a build on which FILE fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "workflow.h"

#define REGRESSION_DIR		"corpus/regression"
#define REGRESSION_BOOT_DIR	"corpus/regression/fuzz_boot"

static bool good_name(const char *name)
{
	const char *p;

	if (!*name || *name == '.' || *name == '-' || strlen(name) > 100)
		return false;
	for (p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '_' || *p == '-' || *p == '.'))
			return false;
	return true;
}

static bool exists(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0;
}

/* The .why line: --why, or the signature, level, planted bug and sizes. */
static int why_line(const struct kb_cmd_opts *o, const char *sig, const char *what, char *why,
		    size_t len)
{
	if (o->why)
		snprintf(why, len, "%s\n", o->why);
	else
		snprintf(why, len, "%s at check level %d%s%s (%s)\n",
			 sig + strlen("KBUDDY-SIGNATURE: "), o->level,
#ifdef KB_BUG_NAME
			 ", caught on the planted bug ", KB_BUG_NAME,
#else
			 "", "",
#endif
			 what);
	if (strchr(why, '\n') != why + strlen(why) - 1) {
		fprintf(stderr, "kbuddy: promote: --why must be one line\n");
		return -1;
	}
	return 0;
}

/* fuzz_ops: the reduced sequence as NAME.bin and NAME.txt. */
static int promote_ops(const struct kb_cmd_opts *o, const char *path, const char *name,
		       const char *base, const struct kb_ops *in, const char *sig, char *why,
		       size_t whylen)
{
	struct kb_ops *out = malloc(sizeof(*out));
	char sig2[320], comment[2048], what[128];
	int ret = -1;

	if (!out)
		return -1;
	kb_reduce_ops(in, o->level, sig, out);
	kb_wf_signature(NULL, out, o->level, sig2, sizeof(sig2));
	if (strcmp(sig, sig2)) {
		fprintf(stderr, "kbuddy: reduced sequence of %s gives '%s', not '%s'\n", path,
			sig2, sig);
		goto out;
	}
	if (!kb_ops_encode_binary(out, NULL, 0)) {
		fprintf(stderr, "kbuddy: %s reduces to text-only operations (free_pfn, free with order=, a double free): regression tests replay binary inputs; keep it as a scenario instead\n",
			path);
		goto out;
	}
	snprintf(what, sizeof(what), "%zu operations, reduced from %zu", out->nr_ops, in->nr_ops);
	if (why_line(o, sig, what, why, whylen))
		goto out;
	snprintf(comment, sizeof(comment), "# regression test %s: %s# %s (check level %d)\n",
		 name, why, sig, o->level);
	if (kb_wf_write_pair(base, out, comment, true))
		goto out;
	printf("promoted %s as %s.{bin,txt,why}: %zu operations, %s\n", path, base, out->nr_ops,
	       sig + strlen("KBUDDY-SIGNATURE: "));
	ret = 0;
out:
	free(out);
	return ret;
}

/* fuzz_boot: the reduced input (layout and operations) as NAME.bin and NAME.txt. */
static int promote_boot(const struct kb_cmd_opts *o, const char *path, const char *name,
			const char *base, const struct kb_input *in, const char *sig, char *why,
			size_t whylen)
{
	struct kb_input *out = kb_input_new();
	struct kb_ops *scratch = malloc(sizeof(*scratch));
	char sig2[320], comment[2048], what[300];
	int ret = -1;

	if (!scratch)
		goto out;
	kb_reduce_boot(in, o->level, sig, out);
	kb_input_signature(out, o->level, scratch, sig2, sizeof(sig2));
	if (strcmp(sig, sig2)) {
		fprintf(stderr, "kbuddy: reduced fuzz_boot input of %s gives '%s', not '%s'\n",
			path, sig2, sig);
		goto out;
	}
	kb_boot_describe(out, what, sizeof(what));
	snprintf(what + strlen(what), sizeof(what) - strlen(what),
		 "; fuzz_boot input reduced from %zu bytes", in->bytes);
	if (why_line(o, sig, what, why, whylen))
		goto out;
	snprintf(comment, sizeof(comment), "# regression test %s: %s# %s (check level %d)\n",
		 name, why, sig, o->level);
	if (kb_boot_write_pair(base, out, comment))
		goto out;
	printf("promoted %s as %s.{bin,txt,why}: fuzz_boot input, %s\n", path, base,
	       sig + strlen("KBUDDY-SIGNATURE: "));
	printf("  %s\n", what);
	ret = 0;
out:
	free(scratch);
	free(out);
	return ret;
}

/*
 * The directory NAME goes to: -o DIR, or corpus/regression (fuzz_ops) or
 * corpus/regression/fuzz_boot, which make_dir makes when corpus/regression
 * is there.
 */
static const char *target_dir(const struct kb_cmd_opts *o, bool boot, bool make_dir)
{
	const char *dir = o->out ? o->out : boot ? REGRESSION_BOOT_DIR : REGRESSION_DIR;
	const char *must = o->out || !boot ? dir : REGRESSION_DIR;

	if (!exists(must)) {
		fprintf(stderr, "kbuddy: promote: directory %s does not exist (run from the top of the tree, or give -o DIR)\n",
			must);
		return NULL;
	}
	if (make_dir && !exists(dir) && mkdir(dir, 0777)) {
		fprintf(stderr, "kbuddy: promote: cannot create %s: %s\n", dir, strerror(errno));
		return NULL;
	}
	return dir;
}

int kb_cmd_promote(const struct kb_cmd_opts *o, int argc, char **argv)
{
	const char *path = argv[0], *name = argv[1];
	struct kb_input *in = kb_input_new();
	struct kb_ops *scratch = malloc(sizeof(*scratch));
	char sig[320], why[1024], base[4096], file[4200];
	const char *dir;
	int ret = 2;

	(void)argc;
	if (!scratch)
		goto done;
	if (!good_name(name)) {
		fprintf(stderr, "kbuddy: promote: NAME '%s' must be letters, digits, _ - . (not starting with . or -)\n",
			name);
		goto done;
	}
	if (kb_load_input(path, o->target, o->binary, in))
		goto done;
	dir = target_dir(o, in->boot, false);
	if (!dir)
		goto done;
	snprintf(base, sizeof(base), "%s/%s", dir, name);
	snprintf(file, sizeof(file), "%s.bin", base);
	if (exists(file)) {
		fprintf(stderr, "kbuddy: promote: %s already exists; pick another NAME\n", file);
		goto done;
	}
	kb_input_signature(in, o->level, scratch, sig, sizeof(sig));
	if (!sig[0]) {
		fprintf(stderr, "kbuddy: %s runs clean at check level %d on this build%s: a regression test must fail while the bug is there (build the buggy version, e.g. make build BUG=name, and promote with it)\n",
			path, o->level, in->boot ? " as a fuzz_boot input" : "");
		goto done;
	}
	if (!target_dir(o, in->boot, true))
		goto done;
	if (in->boot ? promote_boot(o, path, name, base, in, sig, why, sizeof(why)) :
		       promote_ops(o, path, name, base, &in->ops, sig, why, sizeof(why)))
		goto done;
	snprintf(file, sizeof(file), "%s.why", base);
	if (kb_write_file(file, why, strlen(why)))
		goto done;
	printf("  make regress replays it%s: it fails while the bug is there and passes once it is fixed\n",
	       in->boot ? " through the fuzz_boot path (the layout booted the same way)" : "");
	ret = 0;
done:
	free(scratch);
	free(in);
	return ret;
}
