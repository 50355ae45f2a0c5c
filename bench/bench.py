"""Speed and memory of detector against trafilatura alone, on the real pages of ../shared/data/html.

One run prints, side by side:
  - throughput (pages/s, MB/s) of trafilatura.extract alone and of detector's clean,
    same pages, same process, alternating which goes first on each page;
  - the median time per stage (decode, extract, features+classify, segment) and
    detector's own stages as a share of trafilatura's extraction time;
  - the cost curve: time per page by page size, and a synthetic page grown 1x..16x;
  - through the CLI as a subprocess: peak memory (RSS high-water of the process
    tree), cold start on one page, and --jobs 1 against --jobs 2;
  - the semantic features alone: median ms per page (blocks as extracted), and the
    embedding table's cold start (import, then load, in a fresh interpreter).

A benchmark, not a test: it asserts nothing and prints figures (medians, as the
issue asks). About 5 minutes on 2 cores with the defaults (the page loop runs 3 times); --pages N subsamples.

    python bench/bench.py --data ../shared/data [--model NAME|PATH] [--pages 300] [--json] [--semantic-only]
"""

from __future__ import annotations

import argparse
import compileall
import gzip
import json
import os
import random
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import trafilatura

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))  # run from a checkout without installing

from detector import Detector, InputError, ModelError  # noqa: E402
from detector.extraction import extract_blocks  # noqa: E402
from detector.features import RETELLING_FEATURES, PageText, retelling_features, semantic_features  # noqa: E402
from detector.reading import decode_page  # noqa: E402
from detector.segmenter import label_blocks  # noqa: E402
from detector.training.provenance import DEFAULT_DATA_DIR  # noqa: E402

STAGES = ("decode", "extract", "classify", "segment")
SIZE_BUCKETS_KB = (0, 25, 50, 100, 200, 400, 10_000)
# 1x is a 12-paragraph story; 64x (about 770 blocks) is past the 16x to
# show where per-block work stops being linear.
GROWTH = (1, 2, 4, 8, 16, 64)
MB = 1024 * 1024


def real_pages(data: Path, limit: int | None) -> list[tuple[Path, bytes]]:
    """(path, html bytes) of the real pages, an evenly spaced subsample when `limit` is set."""
    paths = sorted((data / "html").glob("*/pages/*.html.gz"))
    if not paths:
        sys.exit(f"bench: no pages under {data / 'html'}; pass --data")
    if limit and limit < len(paths):
        step = len(paths) / limit
        paths = [paths[int(i * step)] for i in range(limit)]
    return [(p, gzip.decompress(p.read_bytes())) for p in paths]


# ---------------------------------------------------------------- in process


def trafilatura_alone(html: bytes) -> float:
    """trafilatura.extract with its defaults, as a user of trafilatura alone runs it."""
    start = time.perf_counter()
    trafilatura.extract(html)
    return time.perf_counter() - start


def detector_stages(detector: Detector, html: bytes, name: str) -> dict[str, float] | None:
    """Seconds per stage of Detector.clean, the same calls in the same order; None for a failed page."""
    times = {}
    try:
        t0 = time.perf_counter()
        page = decode_page(html, name)
        t1 = time.perf_counter()
        blocks = extract_blocks(page)
        t2 = time.perf_counter()
        probabilities = detector.model.predict_proba(blocks)
        t3 = time.perf_counter()
        label_blocks(blocks, probabilities, detector.model.segmenter)
        t4 = time.perf_counter()
    except InputError:
        return None
    times.update(decode=t1 - t0, extract=t2 - t1, classify=t3 - t2, segment=t4 - t3)
    times["total"] = t4 - t0
    times["blocks"] = len(blocks)
    return times


def measure_pages(detector: Detector, pages: list[tuple[Path, bytes]], warmup: int = 5) -> list[dict]:
    """Both extractors on every page, alternating which runs first (cache and allocator effects)."""
    for _, html in pages[:warmup]:
        trafilatura_alone(html)
        detector_stages(detector, html, "warmup")
    rows = []
    for i, (path, html) in enumerate(pages):
        if i % 2:
            stages = detector_stages(detector, html, path.name)
            alone = trafilatura_alone(html)
        else:
            alone = trafilatura_alone(html)
            stages = detector_stages(detector, html, path.name)
        if stages is not None:
            rows.append({"page": path.name, "bytes": len(html), "trafilatura": alone, **stages})
    return rows


def summarise(rows: list[dict]) -> dict:
    n = len(rows)
    size = sum(r["bytes"] for r in rows) / MB
    alone = sum(r["trafilatura"] for r in rows)
    total = sum(r["total"] for r in rows)
    own = [r["classify"] + r["segment"] for r in rows]
    return {
        "pages": n,
        "megabytes": round(size, 2),
        "throughput": {
            "trafilatura": {"pages_per_s": n / alone, "mb_per_s": size / alone},
            "detector": {"pages_per_s": n / total, "mb_per_s": size / total},
        },
        "median_ms": {
            "trafilatura": _ms(statistics.median(r["trafilatura"] for r in rows)),
            **{stage: _ms(statistics.median(r[stage] for r in rows)) for stage in STAGES},
            "total": _ms(statistics.median(r["total"] for r in rows)),
        },
        "sum_s": {"trafilatura": alone, **{stage: sum(r[stage] for r in rows) for stage in STAGES}, "total": total},
        # detector's own work (features+classify, segment) against trafilatura's extraction
        "own_over_trafilatura": {
            "median_of_ratios": statistics.median(o / r["trafilatura"] for o, r in zip(own, rows)),
            "ratio_of_sums": sum(own) / alone,
        },
        "extract_over_trafilatura": sum(r["extract"] for r in rows) / alone,
        "total_over_trafilatura": total / alone,
        "median_blocks": statistics.median(r["blocks"] for r in rows),
    }


def size_curve(rows: list[dict]) -> list[dict]:
    """Median time per page and per 100 KB, pages bucketed by size."""
    out = []
    for low, high in zip(SIZE_BUCKETS_KB, SIZE_BUCKETS_KB[1:]):
        bucket = [r for r in rows if low * 1024 <= r["bytes"] < high * 1024]
        if not bucket:
            continue
        out.append({
            "kb": f"{low}-{high if high < 10_000 else ''}",
            "pages": len(bucket),
            "median_kb": round(statistics.median(r["bytes"] for r in bucket) / 1024),
            "trafilatura_ms": _ms(statistics.median(r["trafilatura"] for r in bucket)),
            "detector_ms": _ms(statistics.median(r["total"] for r in bucket)),
            "own_ms": _ms(statistics.median(r["classify"] + r["segment"] for r in bucket)),
            "detector_ms_per_100kb": _ms(statistics.median(r["total"] / r["bytes"] * 102_400 for r in bucket)),
        })
    return out


def synthetic_article(units: int, seed: int = 0) -> str:
    """A news page whose article body is `units` times a 12-paragraph story, with chrome around it."""
    rng = random.Random(seed)
    words = ("council river bridge budget mayor engineers million pounds winter plan residents said "
             "approved Monday school hospital tram flood barriers works begin March report").split()
    paragraphs = []
    for n in range(units * 12):
        sentence = " ".join(rng.choice(words) for _ in range(rng.randint(25, 60)))
        paragraphs.append(f"<p>{sentence.capitalize()} in {1990 + n % 35}, said {rng.choice(words).title()} Calder.</p>")
    nav = "".join(f'<li><a href="/s{i}">Section {i}</a></li>' for i in range(30))
    return (f"<html><head><title>Kelby approves flood barriers</title></head><body><nav><ul>{nav}</ul></nav>"
            f"<article><h1>Kelby approves flood barriers</h1>{''.join(paragraphs)}</article>"
            f"<aside>{nav}</aside><footer>Share · Sign up for our newsletter</footer></body></html>")


def growth_curve(detector: Detector, repeats: int = 3) -> list[dict]:
    """Median time of a page grown 1x..16x; per unit it must not rise (no worse than linear)."""
    out = []
    for units in GROWTH:
        html = synthetic_article(units).encode()
        alone = statistics.median(trafilatura_alone(html) for _ in range(repeats))
        runs = [detector_stages(detector, html, f"x{units}") for _ in range(repeats)]
        total = statistics.median(r["total"] for r in runs)
        own = statistics.median(r["classify"] + r["segment"] for r in runs)
        out.append({"units": units, "kb": round(len(html) / 1024), "blocks": runs[0]["blocks"],
                    "trafilatura_ms": _ms(alone), "detector_ms": _ms(total), "own_ms": _ms(own),
                    "detector_ms_per_unit": _ms(total / units), "own_ms_per_unit": _ms(own / units)})
    for row in out:
        row["per_unit_vs_1x"] = round(row["detector_ms_per_unit"] / out[0]["detector_ms_per_unit"], 2)
        row["own_per_unit_vs_1x"] = round(row["own_ms_per_unit"] / out[0]["own_ms_per_unit"], 2)
    return out


# ---------------------------------------------------------------- the semantic features


_TABLE_COLD = ("import time; t = time.perf_counter(); import detector.features.semantic as s; "
               "t1 = time.perf_counter(); s.shipped_table().embed(['warm up']); t2 = time.perf_counter(); "
               "print(t1 - t, t2 - t1)")


def semantic_figures(pages: list[tuple[Path, bytes]], cold_runs: int) -> dict:
    """The semantic features' own cost per page (the table already loaded; the lexical
    recall they subtract computed beforehand), and the table's cold start."""
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    cold = []
    for _ in range(cold_runs):
        done = subprocess.run([sys.executable, "-c", _TABLE_COLD], env=env, capture_output=True, text=True, check=True)
        cold.append(tuple(map(float, done.stdout.split())))
    semantic_features(PageText([]))  # loads the table in this process
    per_page, blocks = [], []
    for path, html in pages:
        try:
            extracted = extract_blocks(decode_page(html, path.name))
        except InputError:
            continue
        page = PageText(extracted)
        recalled = retelling_features(page)[:, RETELLING_FEATURES.index("earlier_words_recalled")]
        start = time.perf_counter()
        semantic_features(page, recalled)
        per_page.append(time.perf_counter() - start)
        blocks.append(len(extracted))
    return {"pages": len(per_page), "median_ms": _ms(statistics.median(per_page)),
            "p90_ms": _ms(sorted(per_page)[int(0.9 * (len(per_page) - 1))]), "max_ms": _ms(max(per_page)),
            "median_blocks": statistics.median(blocks),
            "cold_start_s": {"import": statistics.median(c[0] for c in cold),
                             "load_table": statistics.median(c[1] for c in cold), "runs": cold_runs}}


# ---------------------------------------------------------------- the CLI as a subprocess


# Runs the command and prints the peak RSS of its process tree. A child forked
# straight from this (large) benchmark process would start its high-water mark
# at our RSS, which survives exec; this small wrapper forks it from a fresh
# interpreter instead, and reports only its children.
_RSS_WRAPPER = (
    "import resource, subprocess, sys;"
    "status = subprocess.call(sys.argv[1:], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL);"
    "print(status, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)"
)


def run_tree(command: list[str], env: dict) -> tuple[float, float, int]:
    """(wall seconds, peak RSS in MB of the command and its worker processes, exit status)."""
    start = time.perf_counter()
    done = subprocess.run([sys.executable, "-c", _RSS_WRAPPER, *command], env=env, capture_output=True, text=True, check=True)
    seconds = time.perf_counter() - start
    status, max_rss_kb = map(int, done.stdout.split())
    return seconds, max_rss_kb / 1024, status  # Linux reports ru_maxrss in KB


def cli_figures(pages: list[tuple[Path, bytes]], model: str | None, cold_runs: int) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT) + os.pathsep + os.environ.get("PYTHONPATH", "")}
    # the checkout's bytecode, as an installed package has it (pip compiles it); where
    # PYTHONDONTWRITEBYTECODE is set, every cold run would compile the package again
    compileall.compile_dir(ROOT / "detector", quiet=1)
    detector_cli = [sys.executable, "-m", "detector", "clean", *(["--model", model] if model else [])]
    with tempfile.TemporaryDirectory(prefix="detector-bench-") as tmp:
        tmp = Path(tmp)
        src = tmp / "pages"
        src.mkdir()
        for path, _ in pages:  # links to the shared data, never copies
            (src / f"{path.parent.parent.name}-{path.name}").symlink_to(path.resolve())
        one = tmp / "one.html"
        one.write_bytes(sorted(pages, key=lambda p: len(p[1]))[len(pages) // 2][1])  # a median-size page

        cold = [_wall(detector_cli + [str(one)], env) for _ in range(cold_runs)]
        imports = [_wall([sys.executable, "-c", "import trafilatura"], env) for _ in range(cold_runs)]
        bare = [_wall([sys.executable, "-c", "pass"], env) for _ in range(cold_runs)]

        scaling = {}
        for jobs in (1, 2):
            seconds, rss, status = run_tree(detector_cli + [str(src), "-o", str(tmp / f"out{jobs}"), "--jobs", str(jobs)], env)
            scaling[jobs] = {"wall_s": seconds, "pages_per_s": len(pages) / seconds, "peak_rss_mb": rss, "exit": status}
        # the same process on a quarter of the batch: peak memory must not grow with batch length
        quarter = tmp / "quarter.txt"
        quarter.write_text("".join(f"{p}\n" for p in sorted(src.iterdir())[: max(1, len(pages) // 4)]))
        _, rss_quarter, _ = run_tree(detector_cli + ["--from-list", str(quarter), "-o", str(tmp / "outq")], env)
    return {
        "cold_start_s": {"detector_clean_one_page": statistics.median(cold),
                         "python_import_trafilatura": statistics.median(imports),
                         "python_bare": statistics.median(bare), "runs": cold_runs},
        "jobs": scaling,
        "jobs2_speedup": scaling[1]["wall_s"] / scaling[2]["wall_s"],
        "peak_rss_mb": {"quarter_batch_jobs1": rss_quarter, "whole_batch_jobs1": scaling[1]["peak_rss_mb"],
                        "whole_batch_jobs2": scaling[2]["peak_rss_mb"]},
    }


def _wall(command: list[str], env: dict) -> float:
    start = time.perf_counter()
    subprocess.run(command, env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    return time.perf_counter() - start


# ---------------------------------------------------------------- report


def _ms(seconds: float) -> float:
    return round(seconds * 1000, 2)


def format_semantic(m: dict) -> str:
    c = m["cold_start_s"]
    return (f"semantic features ({m['pages']} real pages, median {m['median_blocks']:g} blocks): median "
            f"{m['median_ms']:.2f} ms per page, p90 {m['p90_ms']:.2f} ms, max {m['max_ms']:.1f} ms; cold start "
            f"(median of {c['runs']}) import detector.features.semantic {c['import']:.2f} s, "
            f"then load the embedding table {c['load_table']:.3f} s")


def format_report(report: dict) -> str:
    s = report["pages"]
    lines = [f"detector bench: {s['pages']} real pages, {s['megabytes']} MB of HTML, model {report['model']}, "
             f"{report['cores']} cores", ""]
    t = s["throughput"]
    lines += ["throughput (one process)      pages/s      MB/s",
              f"  trafilatura.extract alone  {t['trafilatura']['pages_per_s']:8.1f}  {t['trafilatura']['mb_per_s']:8.2f}",
              f"  detector clean             {t['detector']['pages_per_s']:8.1f}  {t['detector']['mb_per_s']:8.2f}", ""]
    m = s["median_ms"]
    lines += ["median ms per page    " + "  ".join(f"{k:>11}" for k in ("trafilatura", *STAGES, "total")),
              "                      " + "  ".join(f"{m[k]:11.2f}" for k in ("trafilatura", *STAGES, "total")),
              "share of the time    " + "  ".join(f"{s['sum_s'][k] / s['sum_s']['trafilatura']:11.1%}" for k in ("trafilatura", *STAGES, "total"))
              + "   (sums, against trafilatura alone)",
              f"detector's own stages (features+classify, segment) / trafilatura extraction: "
              f"{s['own_over_trafilatura']['ratio_of_sums']:.1%} of the summed time, "
              f"median per page {s['own_over_trafilatura']['median_of_ratios']:.1%} (target <= 10%)",
              f"detector end to end / trafilatura.extract defaults: {s['total_over_trafilatura']:.2f}x "
              f"of the summed time, the median of {len(s['ratio_runs'])} runs {s['ratio_runs']} (target <= 0.8x)",
              f"median blocks per page: {s['median_blocks']:g}", ""]
    lines.append("cost by page size        pages  median KB  trafilatura ms  detector ms  own ms  detector ms/100KB")
    for row in report["size_curve"]:
        lines.append(f"  {row['kb'] + ' KB':<22}{row['pages']:5d}  {row['median_kb']:9d}  {row['trafilatura_ms']:14.1f}"
                     f"  {row['detector_ms']:11.1f}  {row['own_ms']:6.2f}  {row['detector_ms_per_100kb']:17.1f}")
    lines += ["", "synthetic page grown      KB  blocks  trafilatura ms  detector ms   own ms  per unit vs 1x: detector  own"]
    for row in report["growth"]:
        lines.append(f"  {row['units']:>3}x              {row['kb']:6d}  {row['blocks']:6d}  {row['trafilatura_ms']:14.1f}"
                     f"  {row['detector_ms']:11.1f}  {row['own_ms']:7.1f}  {row['per_unit_vs_1x']:24.2f}  {row['own_per_unit_vs_1x']:4.2f}")
    lines.append("  (per unit vs 1x above 1 means worse than linear)")
    cli = report.get("cli")
    if cli:
        c = cli["cold_start_s"]
        lines += ["", f"cold start (median of {c['runs']} runs)   detector clean one page {c['detector_clean_one_page']:.2f} s"
                      f" | python -c 'import trafilatura' {c['python_import_trafilatura']:.2f} s | bare python {c['python_bare']:.2f} s"
                      " (target <= 0.4 s)"]
        lines.append("CLI batch (detector clean DIR -o OUT)   wall s  pages/s  peak RSS MB  exit")
        for jobs, row in cli["jobs"].items():
            lines.append(f"  --jobs {jobs}                            {row['wall_s']:6.1f}  {row['pages_per_s']:7.1f}  {row['peak_rss_mb']:11.0f}  {row['exit']:4d}")
        p = cli["peak_rss_mb"]
        lines.append(f"  --jobs 2 speed-up {cli['jobs2_speedup']:.2f}x (target >= 1.8x on 2 cores); peak RSS on a quarter "
                     f"of the batch {p['quarter_batch_jobs1']:.0f} MB vs whole {p['whole_batch_jobs1']:.0f} MB (target <= 400 MB)")
    if "semantic" in report:
        lines += ["", format_semantic(report["semantic"])]
    lines.append(f"\nbench took {report['seconds']:.0f} s; load average at the end {report['load_average_1min']:.1f}")
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--data", type=Path, default=DEFAULT_DATA_DIR)
    parser.add_argument("--model", default=None, help="model name or .npz path (default: the shipped default)")
    parser.add_argument("--pages", type=int, default=300, help="evenly spaced subsample of the real pages (0: all)")
    parser.add_argument("--repeats", type=int, default=3, help="runs of the page loop; the median run's figures are shown")
    parser.add_argument("--cold-runs", type=int, default=5, help="subprocess runs behind each cold-start median")
    parser.add_argument("--no-cli", action="store_true", help="skip the subprocess figures (memory, cold start, jobs)")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON")
    parser.add_argument("--semantic-only", action="store_true", help="only the semantic features' figures (no model needed)")
    args = parser.parse_args()

    start = time.perf_counter()
    import logging

    logging.getLogger("trafilatura").setLevel(logging.CRITICAL)  # its warnings on odd pages are not figures
    if args.semantic_only:
        semantic = semantic_figures(real_pages(args.data, args.pages or None), args.cold_runs)
        print(json.dumps(semantic, indent=2) if args.json else format_semantic(semantic))
        return
    try:
        detector = Detector(args.model, None)
    except ModelError as exc:
        sys.exit(f"bench: {exc}\n(pass --model NAME|PATH, or train the default with `make model`)")
    pages = real_pages(args.data, args.pages or None)
    # the page loop run --repeats times: the ratio to trafilatura is the median run's,
    # the per-stage tables are from that run
    summaries = []
    for _ in range(max(args.repeats, 1)):
        rows = measure_pages(detector, pages)
        summaries.append((summarise(rows), rows))
    summaries.sort(key=lambda pair: pair[0]["total_over_trafilatura"])
    summary, rows = summaries[len(summaries) // 2]
    summary["ratio_runs"] = [round(s["total_over_trafilatura"], 3) for s, _ in summaries]
    report = {
        "model": detector.model.card.get("name", args.model or "default"),
        "cores": os.cpu_count(),
        "pages": summary,
        "size_curve": size_curve(rows),
        "growth": growth_curve(detector),
        "semantic": semantic_figures(pages, args.cold_runs),
    }
    if not args.no_cli:
        report["cli"] = cli_figures(pages, args.model, args.cold_runs)
    report["seconds"] = time.perf_counter() - start
    report["load_average_1min"] = os.getloadavg()[0]  # other work on the machine skews every figure
    print(json.dumps(report, indent=2) if args.json else format_report(report))


if __name__ == "__main__":
    main()
