// SPDX-License-Identifier: GPL-2.0
/*
 * Signatures and reduced-input files for the crash workflow: one place
 * that runs a sequence the way the fuzz_ops target does, so reduce, promote
 * and triage agree with what the fuzzer saw.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "fileio.h"
#include "workflow.h"

void kb_wf_signature(struct kb_runner *runner, const struct kb_ops *ops, int level,
		     char *sig, size_t len)
{
	struct kb_run_options opt = { .check_level = level, .back_with_memory = true,
				      .backing_bytes = 16, .no_hash = true };
	struct kb_run_result res;
	struct kb_run *run;

	run = runner ? kb_runner_run(runner, ops, &opt, &res) : kb_run_ops(ops, &opt, &res);
	if (!run) {
		snprintf(sig, len, "KBUDDY-SIGNATURE: setup-failed");
		return;
	}
	if (res.violated)
		kb_run_signature(ops, &res, sig, len);
	else
		sig[0] = 0;
	if (!runner)
		kb_run_destroy(run);
}

int kb_wf_write_pair(const char *base, const struct kb_ops *ops, const char *comment,
		     bool need_binary)
{
	size_t blen = strlen(base) + 8, need, clen = comment ? strlen(comment) : 0;
	char *path = malloc(blen), *text = NULL;
	uint8_t *bin = NULL;
	int ret = -1;

	if (!path)
		return -1;
	need = kb_ops_encode_binary(ops, NULL, 0);
	if (!need && need_binary) {
		fprintf(stderr, "kbuddy: the reduced sequence holds text-only operations (free_pfn, free with order=, a double free): it has no binary form\n");
		goto out;
	}
	if (need) {
		bin = malloc(need);
		if (!bin)
			goto out;
		kb_ops_encode_binary(ops, bin, need);
		snprintf(path, blen, "%s.bin", base);
		if (kb_write_file(path, bin, need))
			goto out;
	}
	need = kb_ops_format_text(ops, NULL, 0) + 1;
	text = malloc(need + clen);
	if (!text)
		goto out;
	memcpy(text, comment ? comment : "", clen);
	kb_ops_format_text(ops, text + clen, need);
	snprintf(path, blen, "%s.txt", base);
	if (kb_write_file(path, text, strlen(text)))
		goto out;
	ret = 0;
out:
	free(path);
	free(text);
	free(bin);
	return ret;
}
