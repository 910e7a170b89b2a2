// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy promote FILE NAME: turns a failing input into a regression test.
 * The input is reduced (as `kbuddy reduce` does) and written to
 * corpus/regression/NAME.bin and NAME.txt (or into the directory -o DIR),
 * with NAME.why: one line on what it caught. `make regress` and
 * `make check` replay every .bin of corpus/regression and expect it to run
 * clean, so the test fails while the bug is there and passes once it is
 * fixed. Promote therefore needs a build on which FILE fails.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "fileio.h"
#include "workflow.h"

#define REGRESSION_DIR	"corpus/regression"

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

int kb_cmd_promote(const struct kb_wf_opts *o, const char *path, const char *name)
{
	const char *dir = o->out ? o->out : REGRESSION_DIR;
	struct kb_ops *in = malloc(sizeof(*in)), *out = malloc(sizeof(*out));
	char sig[320], sig2[320], comment[2048], why[1024];
	char base[4096], file[4200];
	int ret = 2;

	if (!in || !out)
		goto done;
	if (o->boot) {
		fprintf(stderr, "kbuddy: promote takes fuzz_ops inputs; corpus/regression/ holds operation sequences\n");
		goto done;
	}
	if (!good_name(name)) {
		fprintf(stderr, "kbuddy: promote: NAME '%s' must be letters, digits, _ - . (not starting with . or -)\n",
			name);
		goto done;
	}
	if (!exists(dir)) {
		fprintf(stderr, "kbuddy: promote: directory %s does not exist (run from the top of the tree, or give -o DIR)\n",
			dir);
		goto done;
	}
	snprintf(base, sizeof(base), "%s/%s", dir, name);
	snprintf(file, sizeof(file), "%s.bin", base);
	if (exists(file)) {
		fprintf(stderr, "kbuddy: promote: %s already exists; pick another NAME\n", file);
		goto done;
	}
	if (kb_load_ops(path, in))
		goto done;
	kb_wf_signature(NULL, in, o->level, sig, sizeof(sig));
	if (!sig[0]) {
		fprintf(stderr, "kbuddy: %s runs clean at check level %d on this build: a regression test must fail while the bug is there (build the buggy version, e.g. make build BUG=name, and promote with it)\n",
			path, o->level);
		goto done;
	}
	kb_reduce_ops(in, o->level, sig, out);
	kb_wf_signature(NULL, out, o->level, sig2, sizeof(sig2));
	if (strcmp(sig, sig2)) {
		fprintf(stderr, "kbuddy: reduced sequence of %s gives '%s', not '%s'\n", path,
			sig2, sig);
		goto done;
	}
	if (!kb_ops_encode_binary(out, NULL, 0)) {
		fprintf(stderr, "kbuddy: %s reduces to text-only operations (free_pfn, free with order=, a double free): regression tests replay binary inputs; keep it as a scenario instead\n",
			path);
		goto done;
	}
	if (o->why)
		snprintf(why, sizeof(why), "%s\n", o->why);
	else
		snprintf(why, sizeof(why), "%s at check level %d%s%s (%zu operations, reduced from %zu)\n",
			 sig + strlen("KBUDDY-SIGNATURE: "), o->level,
#ifdef KB_BUG_NAME
			 ", caught on the planted bug ", KB_BUG_NAME,
#else
			 "", "",
#endif
			 out->nr_ops, in->nr_ops);
	if (strchr(why, '\n') != why + strlen(why) - 1) {
		fprintf(stderr, "kbuddy: promote: --why must be one line\n");
		goto done;
	}
	snprintf(comment, sizeof(comment), "# regression test %s: %s# %s (check level %d)\n",
		 name, why, sig, o->level);
	if (kb_wf_write_pair(base, out, comment, true))
		goto done;
	snprintf(file, sizeof(file), "%s.why", base);
	if (kb_write_file(file, why, strlen(why)))
		goto done;
	printf("promoted %s as %s.{bin,txt,why}: %zu operations, %s\n", path, base, out->nr_ops,
	       sig + strlen("KBUDDY-SIGNATURE: "));
	printf("  make regress replays it: it fails while the bug is there and passes once it is fixed\n");
	ret = 0;
done:
	free(in);
	free(out);
	return ret;
}
