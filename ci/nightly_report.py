#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-2.0
"""The nightly report a person opens: OUT/report.html and OUT/report.md.

Reads a ci/nightly.sh output directory:
  OUT/<target>/lf/series.csv            libFuzzer every 10 s (fuzz_progress.sh csv)
  OUT/<target>/afl/<inst>.series.csv    AFL++ main and secondary every 10 s
  OUT/<target>/afl/<inst>/fuzzer_stats  AFL++'s own figures at the end
  OUT/<target>/triage.txt               the crashes by signature (kbuddy triage)
  OUT/<target>/corpus_before, corpus_after
  OUT/coverage/summary.txt              make coverage's table of the merged corpora
  OUT/run.info                          date, budget, build
and draws with gnuplot (when installed) per target three PNG plots into
OUT/plots/: executions per second, coverage and corpus size over time, one
line per engine. Then writes the report: the run, per target the plots,
the engines' figures, the crashes grouped by signature with the command
that reproduces each, and the coverage summary. Without gnuplot the report
says so and has no plots.

usage: ci/nightly_report.py OUT
"""
import csv
import html
import os
import re
import shutil
import subprocess
import sys


def read(path, default=""):
    try:
        with open(path) as f:
            return f.read()
    except OSError:
        return default


def series(path):
    """Rows of a series CSV as dicts of ints (empty cells left out)."""
    rows = []
    try:
        with open(path) as f:
            for r in csv.DictReader(f):
                row = {}
                for k, v in r.items():
                    try:
                        row[k] = int(v)
                    except (TypeError, ValueError):
                        pass
                rows.append(row)
    except OSError:
        pass
    return rows


def afl_stats(path):
    stats = {}
    for line in read(path).splitlines():
        if ":" in line:
            k, v = line.split(":", 1)
            stats[k.strip()] = v.strip()
    return stats


def plot(gnuplot, png, title, ylabel, lines, y2label=None):
    """lines: (label, [(x, y), ...][, "y2"]); draws them into png (a line
    marked "y2" against the right axis, y2label). False when nothing to draw."""
    lines = [(l[0], l[1], l[2] if len(l) > 2 else "y1") for l in lines if l[1]]
    if not lines or not gnuplot:
        return False
    data = png + ".dat"
    with open(data, "w") as f:
        for label, pts, _ in lines:
            f.write("# %s\n" % label)
            for x, y in pts:
                f.write("%d %d\n" % (x, y))
            f.write("\n\n")
    plots = ", ".join("'%s' index %d using 1:2 axes x1%s with lines lw 2 title '%s'" % (
        data, i, axis, label.replace("'", "")) for i, (label, _, axis) in enumerate(lines))
    script = [
        "set terminal pngcairo noenhanced size 760,340 font 'sans,10'",
        "set output '%s'" % png,
        "set title '%s'" % title.replace("'", ""),
        "set xlabel 'seconds'",
        "set ylabel '%s'" % ylabel,
        "set key below",
        "set grid",
        "set yrange [0:*]",
    ]
    if any(axis == "y2" for _, _, axis in lines):
        script += ["set y2label '%s'" % (y2label or ""), "set y2range [0:*]", "set y2tics",
                   "set ytics nomirror"]
    script = "\n".join(script + ["plot " + plots])
    r = subprocess.run([gnuplot], input=script, text=True, capture_output=True)
    os.unlink(data)
    return r.returncode == 0 and os.path.exists(png)


def crash_lines(triage):
    """The triage's group lines: (count, signature, smallest, reproduce)."""
    out = []
    for line in triage.splitlines():
        m = re.match(r"^\s+(\d+)\s\s(.*?)\s\ssmallest: (\S+) \((\d+) bytes\)\s\sreproduce: (.*)$", line)
        if m:
            out.append((int(m.group(1)), m.group(2), m.group(3), m.group(5)))
            continue
        m = re.match(r"^\s+(\d+)\s\s(\S+)\s\sreproduce: (.*)$", line)	# parser crashes
        if m:
            out.append((int(m.group(1)), "crash of the target", m.group(2), m.group(3)))
    clean = [line.strip() for line in triage.splitlines() if "runs clean" in line]
    return out, clean


def main():
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    out = os.path.abspath(sys.argv[1])
    plots_dir = os.path.join(out, "plots")
    os.makedirs(plots_dir, exist_ok=True)
    gnuplot = shutil.which("gnuplot")
    info = dict(line.split("=", 1) for line in read(os.path.join(out, "run.info")).splitlines()
                if "=" in line)
    targets = [t for t in info.get("targets", "").split() if os.path.isdir(os.path.join(out, t))]

    md, hb = [], []	# Markdown and HTML bodies
    title = "kbuddy nightly fuzzing report"
    md.append("# %s\n" % title)
    run_line = "%s, budget %s s, %s" % (info.get("date", "?"), info.get("budget", "?"),
                                        info.get("build", "?"))
    md.append(run_line + "\n")
    hb.append("<h1>%s</h1><p>%s</p>" % (title, html.escape(run_line)))
    if not gnuplot:
        note = "gnuplot is not installed: no plots (bash ci/setup.sh installs it)."
        md.append("*%s*\n" % note)
        hb.append("<p><em>%s</em></p>" % html.escape(note))

    summary_rows = []
    for t in targets:
        w = os.path.join(out, t)
        lf = series(os.path.join(w, "lf", "series.csv"))
        afl = {i: series(os.path.join(w, "afl", "%s.series.csv" % i)) for i in ("main", "secondary")}
        imgs = []
        # Executions per second.
        lines = [("libFuzzer (-fork=2)", [(r["seconds"], r["execs_per_s"]) for r in lf
                                          if "execs_per_s" in r])]
        lines += [("AFL++ %s" % i, [(r["seconds"], r["execs_per_s"]) for r in rows
                                    if "execs_per_s" in r]) for i, rows in afl.items()]
        png = os.path.join(plots_dir, "%s-execs.png" % t)
        if plot(gnuplot, png, "%s: executions per second" % t, "execs/s", lines):
            imgs.append(png)
        # Coverage: libFuzzer's edges; AFL++'s queue entries that found new coverage.
        lines = [("libFuzzer cov (edges)", [(r["seconds"], r["cov"]) for r in lf if "cov" in r]),
                 ("libFuzzer ft (features)", [(r["seconds"], r["ft"]) for r in lf if "ft" in r])]
        lines += [("AFL++ %s: queue inputs with new coverage (right axis)" % i,
                   [(r["seconds"], r["new_coverage"]) for r in rows if "new_coverage" in r], "y2")
                  for i, rows in afl.items()]
        png = os.path.join(plots_dir, "%s-coverage.png" % t)
        if plot(gnuplot, png, "%s: coverage" % t, "libFuzzer edges and features", lines,
                "AFL++ inputs"):
            imgs.append(png)
        # Corpus size.
        lines = [("libFuzzer corpus", [(r["seconds"], r["corpus"]) for r in lf if "corpus" in r])]
        lines += [("AFL++ %s queue" % i, [(r["seconds"], r["queue"]) for r in rows if "queue" in r])
                  for i, rows in afl.items()]
        png = os.path.join(plots_dir, "%s-corpus.png" % t)
        if plot(gnuplot, png, "%s: corpus size" % t, "inputs", lines):
            imgs.append(png)

        md.append("\n## %s\n" % t)
        hb.append("<h2>%s</h2>" % html.escape(t))
        for png in imgs:
            rel = os.path.relpath(png, out)
            md.append("![%s](%s)\n" % (os.path.basename(png), rel))
            hb.append('<p><img src="%s" alt="%s"></p>' % (html.escape(rel), html.escape(rel)))

        figures = []
        if lf:
            last = lf[-1]
            secs = max(last.get("seconds", 0), 1)
            figures.append("libFuzzer (-fork=2): %d executions in %d s (%d/s), cov %s, ft %s, corpus %s, crash files %s" % (
                last.get("execs", 0), secs, last.get("execs", 0) // secs, last.get("cov", "?"),
                last.get("ft", "?"), last.get("corpus", "?"), last.get("crashes", 0)))
        for i in ("main", "secondary"):
            st = afl_stats(os.path.join(w, "afl", i, "fuzzer_stats"))
            if st:
                try:
                    secs = max(int(st["last_update"]) - int(st["start_time"]), 1)
                    rate = int(st["execs_done"]) // secs
                except (KeyError, ValueError):
                    secs, rate = 0, 0
                figures.append("AFL++ %s: %s executions in %d s (%d/s), stability %s, bitmap %s, corpus %s, crashes %s, hangs %s" % (
                    i, st.get("execs_done", "?"), secs, rate, st.get("stability", "?"),
                    st.get("bitmap_cvg", "?"), st.get("corpus_count", "?"),
                    st.get("saved_crashes", "?"), st.get("saved_hangs", "?")))
        before = read(os.path.join(w, "corpus_before")).strip() or "?"
        after = read(os.path.join(w, "corpus_after")).strip() or "?"
        figures.append("corpus: %s inputs before, %s after the merge of both engines" % (before, after))
        md += ["- %s" % f for f in figures] + [""]
        hb.append("<ul>%s</ul>" % "".join("<li>%s</li>" % html.escape(f) for f in figures))

        crashes, clean = crash_lines(read(os.path.join(w, "triage.txt")))
        summary_rows.append((t, lf[-1].get("execs", 0) if lf else 0, sum(c for c, *_ in crashes),
                             len(crashes)))
        if crashes:
            md.append("| files | signature | smallest | reproduce |\n| --- | --- | --- | --- |")
            hb.append("<table border=1 cellpadding=4><tr><th>files</th><th>signature</th><th>smallest</th><th>reproduce</th></tr>")
            for count, sig, small, repro in crashes:
                md.append("| %d | `%s` | `%s` | `%s` |" % (count, sig, os.path.basename(small), repro))
                hb.append("<tr><td>%d</td><td><code>%s</code></td><td><code>%s</code></td><td><code>%s</code></td></tr>" % (
                    count, html.escape(sig), html.escape(os.path.basename(small)), html.escape(repro)))
            md.append("")
            hb.append("</table>")
        else:
            md.append("No crash or violation.\n")
            hb.append("<p>No crash or violation.</p>")
        for c in clean:
            md.append("- %s" % c)
            hb.append("<p>%s</p>" % html.escape(c))

    cov = read(os.path.join(out, "coverage", "summary.txt"))
    md.append("\n## Coverage of the merged corpora and the tests\n")
    hb.append("<h2>Coverage of the merged corpora and the tests</h2>")
    if cov:
        md.append("```\n%s```\n" % cov)
        hb.append("<pre>%s</pre>" % html.escape(cov))
        if os.path.exists(os.path.join(out, "coverage", "html", "index.html")):
            md.append("Annotated sources: [coverage/html/index.html](coverage/html/index.html)\n")
            hb.append('<p>Annotated sources: <a href="coverage/html/index.html">coverage/html/index.html</a></p>')
    else:
        md.append("Not measured (--no-coverage, or the coverage step failed: see progress.log).\n")
        hb.append("<p>Not measured (--no-coverage, or the coverage step failed: see progress.log).</p>")

    head = "| target | libFuzzer executions | crash files | distinct signatures |\n| --- | --- | --- | --- |\n"
    head += "\n".join("| %s | %d | %d | %d |" % r for r in summary_rows) + "\n"
    md.insert(2, "\n" + head)
    hb.insert(1, "<table border=1 cellpadding=4><tr><th>target</th><th>libFuzzer executions</th><th>crash files</th><th>distinct signatures</th></tr>%s</table>" % "".join(
        "<tr><td>%s</td><td>%d</td><td>%d</td><td>%d</td></tr>" % r for r in summary_rows))

    with open(os.path.join(out, "report.md"), "w") as f:
        f.write("\n".join(md) + "\n")
    with open(os.path.join(out, "report.html"), "w") as f:
        f.write("<!DOCTYPE html><html><head><meta charset=\"utf-8\"><title>%s</title>"
                "<style>body{font-family:sans-serif;max-width:900px;margin:2em auto}"
                "code,pre{font-size:90%%}</style></head><body>%s</body></html>\n" % (
                    title, "\n".join(hb)))
    print("report: %s (and report.md), %d plots" % (os.path.join(out, "report.html"),
                                                    len(os.listdir(plots_dir))))
    return 0


if __name__ == "__main__":
    sys.exit(main())
