// SPDX-License-Identifier: GPL-2.0
/*
 * kbuddy triage DIR|FILE...: groups crash files by signature, one line per
 * distinct bug with the number of files and the smallest reproducer.
 *
 * In a directory (searched recursively) the crash files are libFuzzer's
 * crash-*, leak-*, timeout-*, oom-* and AFL++'s crashes/id:* and
 * hangs/id:*, but not what reduce writes beside them (NAME.min.bin,
 * NAME.min.txt); they are what a fuzzer ran, so they are read as binary
 * inputs whatever their bytes look like. Files named on the command line
 * are always taken, and read by their content (--binary: as binary). Each
 * file runs in a child process, so an input that crashes the allocator
 * itself (a sanitizer report) is grouped by the report's SUMMARY line
 * instead of ending the triage. Every file runs at the same check level
 * (--level, default the build's, 2: the fuzzers' level). Paths and the
 * reproduce commands are printed whole: this kbuddy's own path, absolute
 * file names.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "fileio.h"
#include "workflow.h"

struct entry {
	char *path;		/* absolute */
	char *sig;
	size_t size;
	bool binary;		/* a fuzzer's file, or --binary */
};

struct group {
	const char *sig;
	size_t count;
	const struct entry *smallest;
};

struct list {
	struct entry *e;
	size_t nr, cap;
};

static bool ends_with(const char *s, const char *tail)
{
	size_t n = strlen(s), t = strlen(tail);

	return n >= t && !strcmp(s + n - t, tail);
}

static bool is_crash_name(const char *dir, const char *name)
{
	const char *base = strrchr(dir, '/');

	/* reduce's outputs beside a crash file are no crash files */
	if (ends_with(name, ".min.bin") || ends_with(name, ".min.txt"))
		return false;
	base = base ? base + 1 : dir;
	if (!strncmp(name, "crash-", 6) || !strncmp(name, "leak-", 5) ||
	    !strncmp(name, "timeout-", 8) || !strncmp(name, "oom-", 4))
		return true;
	return !strncmp(name, "id:", 3) && (!strcmp(base, "crashes") || !strcmp(base, "hangs"));
}

static int add(struct list *l, const char *path, size_t size, bool binary)
{
	char *abs = realpath(path, NULL);

	if (l->nr == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 64;
		struct entry *e = realloc(l->e, cap * sizeof(*e));

		if (!e)
			return -1;
		l->e = e;
		l->cap = cap;
	}
	l->e[l->nr].path = abs ? abs : strdup(path);
	l->e[l->nr].sig = NULL;
	l->e[l->nr].size = size;
	l->e[l->nr].binary = binary;
	if (!l->e[l->nr].path)
		return -1;
	l->nr++;
	return 0;
}

static int walk(struct list *l, const char *dir, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *de;

	if (!d) {
		fprintf(stderr, "kbuddy: triage: cannot open %s: %s\n", dir, strerror(errno));
		return -1;
	}
	while ((de = readdir(d))) {
		char path[4096];
		struct stat st;

		if (de->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, de->d_name);
		if (lstat(path, &st))
			continue;
		if (S_ISDIR(st.st_mode) && depth < 8)
			walk(l, path, depth + 1);
		else if (S_ISREG(st.st_mode) && is_crash_name(dir, de->d_name))
			add(l, path, (size_t)st.st_size, true);
	}
	closedir(d);
	return 0;
}

/* In the child: the signature of one file on stdout, as "SIG\t<sig>". */
static void child(const struct kb_cmd_opts *o, const struct entry *e)
{
	struct kb_input *in = kb_input_new();
	struct kb_ops *scratch = malloc(sizeof(*scratch));
	char sig[320];

	if (!scratch || kb_load_input(e->path, o->target, o->binary || e->binary, in))
		_exit(3);
	kb_input_signature(in, o->level, scratch, sig, sizeof(sig));
	printf("SIG\t%s\n", sig);
	fflush(stdout);
	_exit(0);
}

/* The signature from a child's output; malloc'd. */
static char *signature_from(const char *outbuf, int status)
{
	const char *p, *line;
	char buf[400];

	if ((p = strstr(outbuf, "SIG\t"))) {
		size_t n = strcspn(p + 4, "\n");

		snprintf(buf, sizeof(buf), "%.*s", (int)n, p + 4);
		return strdup(buf);
	}
	line = strstr(outbuf, "SUMMARY: ");
	if (!line)
		line = strstr(outbuf, "runtime error: ");
	if (line) {
		size_t n = strcspn(line, "\n");

		snprintf(buf, sizeof(buf), "%.*s", (int)(n < 200 ? n : 200), line);
		return strdup(buf);
	}
	if (WIFEXITED(status) && WEXITSTATUS(status) == 3)
		return strdup("(unreadable file)");
	if (WIFSIGNALED(status))
		snprintf(buf, sizeof(buf), "(killed by signal %d without a report)",
			 WTERMSIG(status));
	else
		snprintf(buf, sizeof(buf), "(exit %d without a report)",
			 WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	return strdup(buf);
}

static char *run_one(const struct kb_cmd_opts *o, const struct entry *e)
{
	int fd[2], status = 0;
	char *outbuf;
	size_t len = 0, cap = 1 << 16;
	pid_t pid;
	ssize_t n;

	outbuf = malloc(cap + 1);
	if (!outbuf || pipe(fd))
		return strdup("(cannot run: out of resources)");
	fflush(NULL);
	pid = fork();
	if (pid < 0) {
		close(fd[0]);
		close(fd[1]);
		free(outbuf);
		return strdup("(cannot run: fork failed)");
	}
	if (pid == 0) {
		close(fd[0]);
		dup2(fd[1], 1);
		dup2(fd[1], 2);
		close(fd[1]);
		child(o, e);
	}
	close(fd[1]);
	while ((n = read(fd[0], outbuf + len, cap - len)) > 0) {
		len += (size_t)n;
		if (len == cap) {
			/* keep the head; a sanitizer SUMMARY comes last */
			memmove(outbuf + cap / 2, outbuf + len - cap / 4, cap / 4);
			len = cap / 2 + cap / 4;
		}
	}
	close(fd[0]);
	outbuf[len] = 0;
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	{
		char *sig = signature_from(outbuf, status);

		free(outbuf);
		return sig ? sig : strdup("");
	}
}

static int by_count(const void *a, const void *b)
{
	const struct group *x = a, *y = b;

	if (x->count != y->count)
		return x->count < y->count ? 1 : -1;
	return strcmp(x->sig, y->sig);
}

/* This kbuddy's absolute path, for the commands triage prints. */
static const char *self_path(void)
{
	static char self[4096];
	ssize_t n;

	if (self[0])
		return self;
	n = readlink("/proc/self/exe", self, sizeof(self) - 1);
	if (n > 0)
		self[n] = '\0';
	else
		snprintf(self, sizeof(self), "kbuddy");
	return self;
}

/* s as one shell word: as it is when it holds only safe characters. */
static void put_word(FILE *f, const char *s)
{
	const char *c;

	for (c = s; *c; c++)
		if (!strchr("abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789_/.,:=+-@%",
			    *c))
			break;
	if (*s && !*c) {
		fputs(s, f);
		return;
	}
	fputc('\'', f);
	for (c = s; *c; c++)
		if (*c == '\'')
			fputs("'\\''", f);
		else
			fputc(*c, f);
	fputc('\'', f);
}

/*
 * A fuzz_run.sh work dir names the kbuddy of the build it fuzzed (its
 * run.info): when that is another build than this one (a BUG= build, say),
 * the signatures here may not be the ones the fuzzer saw; say which to run.
 */
static void note_other_build(const char *dir)
{
	char path[4096], line[4096], *mine, *theirs = NULL;
	FILE *f;

	snprintf(path, sizeof(path), "%s/run.info", dir);
	f = fopen(path, "r");
	if (!f)
		return;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, "kbuddy=", 7)) {
			line[strcspn(line, "\n")] = 0;
			theirs = realpath(line + 7, NULL);
			break;
		}
	fclose(f);
	mine = realpath(self_path(), NULL);
	if (theirs && mine && strcmp(theirs, mine))
		printf("triage: note: %s was fuzzed with the build of %s; this is %s, which may run its files differently: run that one\n",
		       dir, theirs, mine);
	free(theirs);
	free(mine);
}

/* Whether a file read as binary would read as text without --binary. */
static bool needs_binary_flag(const struct kb_cmd_opts *o, const struct entry *e)
{
	uint8_t *data;
	size_t size;
	bool ret;

	if (!o->binary && !e->binary)
		return false;
	if (kb_read_file(e->path, &data, &size))
		return true;
	ret = kb_ops_is_text(data, size);
	free(data);
	return ret;
}

int kb_cmd_triage(const struct kb_cmd_opts *o, int argc, char **argv)
{
	struct list l = { 0 };
	struct group *g;
	size_t nr_groups = 0, clean = 0, i, j;
	int a;

	for (a = 0; a < argc; a++) {
		struct stat st;

		if (stat(argv[a], &st)) {
			fprintf(stderr, "kbuddy: triage: %s: %s\n", argv[a], strerror(errno));
			return 2;
		}
		if (S_ISDIR(st.st_mode)) {
			note_other_build(argv[a]);
			walk(&l, argv[a], 0);
		} else {
			add(&l, argv[a], (size_t)st.st_size, false);
		}
	}
	if (!l.nr) {
		printf("triage: no crash files (crash-*, leak-*, timeout-*, oom-*, crashes/id:*, hangs/id:*) found\n");
		return 0;
	}
	g = calloc(l.nr, sizeof(*g));
	if (!g)
		return 2;
	for (i = 0; i < l.nr; i++) {
		struct entry *e = &l.e[i];

		e->sig = run_one(o, e);
		if (!e->sig[0]) {
			clean++;
			continue;
		}
		for (j = 0; j < nr_groups; j++)
			if (!strcmp(g[j].sig, e->sig))
				break;
		if (j == nr_groups)
			g[nr_groups++] = (struct group){ e->sig, 0, e };
		g[j].count++;
		if (e->size < g[j].smallest->size ||
		    (e->size == g[j].smallest->size && strcmp(e->path, g[j].smallest->path) < 0))
			g[j].smallest = e;
	}
	qsort(g, nr_groups, sizeof(*g), by_count);
	printf("triage: %zu files, %zu distinct signatures at check level %d%s%s\n", l.nr,
	       nr_groups, o->level, o->target == KB_TARGET_BOOT ? " (fuzz_boot inputs)" : "",
#ifdef KB_BUG_NAME
	       ", on a build with the planted bug " KB_BUG_NAME
#else
	       ""
#endif
	       );
	for (j = 0; j < nr_groups; j++) {
		const struct entry *e = g[j].smallest;
		const char *s = g[j].sig;

		if (!strncmp(s, "KBUDDY-SIGNATURE: ", 18))
			s += 18;
		printf("%4zu  %s  smallest: ", g[j].count, s);
		put_word(stdout, e->path);
		printf(" (%zu bytes)  reproduce: ", e->size);
		put_word(stdout, self_path());
		printf(" repro%s%s ", o->target == KB_TARGET_BOOT ? " --target fuzz_boot" : "",
		       needs_binary_flag(o, e) ? " --binary" : "");
		put_word(stdout, e->path);
		putchar('\n');
	}
	if (clean)
		printf("%4zu  (runs clean at check level %d: fixed, or found at another level or by another target)\n",
		       clean, o->level);
	for (i = 0; i < l.nr; i++) {
		free(l.e[i].path);
		free(l.e[i].sig);
	}
	free(l.e);
	free(g);
	return 0;
}
