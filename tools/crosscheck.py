#!/usr/bin/env python3
"""Compare `hashpivot run --format json` (or, with --pivot, `hashpivot pivot
FILE --format json`) with tools/reference.py.

Usage:
  python3 tools/crosscheck.py [options] PATH...
  python3 tools/crosscheck.py [options] --random N [--seed S] [--keep DIR] [--months 240,600]
  options: --bin PATH, --format2 [--basic], --pivot, --simulate [--paths N],
           --fan [--paths N], --jobs N

PATH is a scenario file or a folder, searched recursively for *.toml (so
`scenarios/ tests/extremes/` checks every shipped scenario). A scenario
with a `.stderr` file beside it is expected to fail: hashpivot must exit 2
with nothing on stdout and the first line of that file on stderr, and when
that line says "overflow" the reference must find a quantity beyond the
decimal range (docs/model.md, "Precision and output").

--random N generates N valid format-1 scenarios (reproducible with --seed),
some of them ordinary, some built to earn first and lose later (no capex,
falling hashprice) so that the IRR rule for a positive first cash flow is
exercised (docs/model.md, "Finance").

--format2 (with --random) generates format-2 scenarios instead (docs/model.md,
"Scenario format 2"): a price duration curve of several power blocks with
a high-price block (and sometimes a negative one), fleet rows of different
efficiencies, a month-0 revenue per MWh between the block prices and a
falling hashprice, so that economic shutdown binds in some months and not
in others; demand response, terminal values, inflation and escalators;
and conversions that start later (`site.ai.start`), sell the fleet
(`fleet_sale_usd`) and keep mining on the spare grid (`keep_mining`, with
grids that keep every machine, some or none), each at some sites.
--basic leaves those three keys out (the format-2 files of before they
existed: with the same seed, the very files an earlier crosscheck.py
generated). A binary that does not read format 2 yet, or refuses one of
those keys as "not supported yet", is reported as "REFUSED" (counted as
failed; nothing was checked).

--pivot (with PATHs or --random) runs `hashpivot pivot FILE --format json`
and compares it with `tools/reference.py pivot FILE` (docs/model.md, "When
to convert"), one unit in the last printed decimal (money: 0.01). A file
without a site that has both strategies must fail (exit 2, nothing on
stdout), as must a file with a `.stderr` (its first line on stderr; one
expecting run's overflow is skipped). A different `best_start` passes when
its NPV is within a cent of the reference's best (and it may be chosen), a
different `verdict` when best and never are within a cent. As for run,
hashpivot's overflow error passes where the reference finds a quantity of
the scenario beyond the decimal range. A binary without the pivot command
is reported as "REFUSED".

--simulate [--paths N] (with PATHs or --random) runs `hashpivot simulate FILE
--format json --paths N --seed S` (N default 50; S from the file's name, a
crc32, so files differ and a [risk] seed is overridden) and compares it with
`tools/reference.py simulate FILE --paths N --seed S` (docs/model.md,
"Uncertainty: `simulate`"), one unit in the last printed decimal; paths,
seed, generator and the risk inputs must be equal. With --random --format2
each generated file gets its own [risk] table (from a generator of its own,
so the files are otherwise those of --format2): nonzero price and hashrate
volatilities, a correlation (−1 … 1), a GPU-hour volatility and a lease
default in most files. Differences only near ties explain are reported as
such, not failed: a quantile that is another path's NPV within a cent of
the rank's, a share that differs by no more than the paths whose NPV (net
cash for p_payback, advantage for p_ai_beats_mine) is within half a cent
of 0. A format-1 file must fail (exit 2, nothing on stdout), as must a file
with a `.stderr` (one expecting run's overflow is skipped). A binary
without the simulate command ("unrecognized subcommand") is "REFUSED".

--fan [--paths N] (with PATHs or --random, --format2 files getting a [risk]
table as for --simulate) runs `hashpivot simulate FILE --fan --format csv
--paths N` (N default 40; the seed is the file's) and compares it with
`tools/reference.py simulate FILE --fan --paths N` (docs/model.md, "The
fan"; reading A35 in reference.py): the header, the rows in order, the
columns scenario, site, strategy, month, fan_paths and file equal, each
money cell (2 decimals) within one cent. A difference names the file, site,
strategy, month, column and both values (and, when hashpivot's value is
another path's cumulative cash that month, which rank that path has). A
format-1 file must fail (exit 2, nothing on stdout), as must a file with a
`.stderr` (one expecting run's overflow is skipped).

A figure passes when it differs by at most one unit in its last printed
decimal (IRR: 1e-6, as any root within 1e-9 of the true rate is correct and
then rounded; where the cash flows change sign more than once, a different
IRR passes when the reference's NPV changes sign within that distance of
it).

The binary: --bin PATH, else $HASHPIVOT_BIN, else target/release/hashpivot,
else target/debug/hashpivot (build it first). The last line printed is
`crosscheck: N passed, M failed`; exit 0 when nothing failed, 1 when
something did, 2 on a usage error. Standard library only (Python 3.11+).
"""
import argparse
import concurrent.futures
import csv
import io
import json
import os
import random
import re
import shutil
import subprocess
import sys
import tempfile
import time
import zlib
from decimal import Decimal as D

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "tools"))
sys.dont_write_bytecode = True  # leave no tools/__pycache__ behind
import reference  # noqa: E402  (tools/reference.py)

FIRST_POSITIVE = "the first non-zero cash flow is positive"
NOT_YET = "not supported yet"   # how hashpivot refuses a key it does not compute yet
IRR_PATH = re.compile(r"^\$\.sites\[(\d+)\]\.(mine|ai|conversion)\.irr$")
TIMEOUT_S = 300


class UsageError(Exception):
    pass


def default_bin():
    env = os.environ.get("HASHPIVOT_BIN")
    if env:
        return env
    release = os.path.join(ROOT, "target", "release", "hashpivot")
    if os.path.exists(release):
        return release
    return os.path.join(ROOT, "target", "debug", "hashpivot")


def collect(paths):
    """Scenario files from files and folders (recursively), in order."""
    out = []
    for p in paths:
        if os.path.isdir(p):
            found = []
            for folder, dirs, files in os.walk(p):
                dirs.sort()
                found += [os.path.join(folder, f) for f in sorted(files) if f.endswith(".toml")]
            if not found:
                raise UsageError(f"no .toml file in folder {p}")
            out += found
        elif os.path.isfile(p):
            out.append(p)
        else:
            raise UsageError(f"no such file or folder: {p}")
    return out


# ---------------------------------------------------------------- comparing

def places(text):
    return len(text.split(".")[1]) if "." in text else 0


def compare(a, b, path, out):
    """Append (path, hashpivot value, reference value, message) for each difference."""
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            out.append((path, None, None, f"keys {list(a)} != {list(b)}"))
        for k in a:
            if k in b:
                compare(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append((path, None, None, f"length {len(a)} != {len(b)}"))
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]", out)
    elif isinstance(a, D) and isinstance(b, D):
        tol = D(1).scaleb(-places(str(a)))
        if path.endswith(".irr"):
            tol = max(tol, D("0.000001"))
        if abs(a - b) > tol:
            out.append((path, a, b, f"hashpivot {a} reference {b} (differ by {abs(a - b)})"))
    elif a != b or type(a) is not type(b):
        out.append((path, a, b, f"hashpivot {show(a)} reference {show(b)}"))


def show(v):
    return "null" if v is None else str(v) if isinstance(v, D) else repr(v)


def is_other_root(cfs, rate):
    """Does the reference NPV change sign (or vanish) within a printed
    rounding plus 1e-9 of `rate`? ("any root in that interval is correct")"""
    eps = D("0.0000005") + D("1e-9")
    lo = max(reference.IRR_LO, rate - eps)
    hi = min(reference.IRR_HI, rate + eps)
    if lo > hi:
        return False
    return reference.npv_sign(cfs, lo) * reference.npv_sign(cfs, hi) <= 0


def explain(diffs, ev, mine):
    """Turn raw differences into report lines; drop IRRs that are another
    valid root. Returns (lines, kinds, roots): kinds is a set of difference
    kinds, roots the IRRs accepted as another root."""
    lines, kinds, roots = [], set(), []
    for path, a, b, msg in diffs:
        m = IRR_PATH.match(path)
        if m:
            si, strategy = int(m.group(1)), m.group(2)
            cfs = ev.cashflows.get((si, strategy))
            try:
                site = mine["sites"][si]["name"]
            except (KeyError, IndexError, TypeError):
                site = "?"
            where = f'{path} (site "{site}", strategy {strategy})'
            if isinstance(a, D) and isinstance(b, D) and cfs is not None and is_other_root(cfs, a):
                roots.append(f"{strategy} IRR {a} is another root (reference {b})")
                continue  # several sign changes, several roots: hashpivot's is one
            if isinstance(a, D) and b is None:
                why = ev.irr_null.get((si, strategy), "?")
                lines.append(f"{where}: hashpivot {a} reference null: {why}")
                kinds.add("irr-first-positive" if why == FIRST_POSITIVE else "irr")
                continue
            lines.append(f"{where}: {msg}")
            kinds.add("irr")
            continue
        lines.append(f"{path}: {msg}")
        kinds.add("figure")
    return lines, kinds, roots


def first_line(text):
    return text.strip().splitlines()[0] if text.strip() else ""


def check(path, binary):
    """Check one scenario. Returns a dict: path, ok, lines, kinds, seconds, irr (reasons)."""
    t0 = time.monotonic()
    res = dict(path=path, ok=False, lines=[], kinds=set(), irr=[], note="", refused=False,
               skipped=False)
    try:
        run = subprocess.run([binary, "run", path, "--format", "json"],
                             capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        res["lines"] = [f"hashpivot took more than {TIMEOUT_S} s"]
        res["seconds"] = time.monotonic() - t0
        return res
    t_bin = time.monotonic() - t0
    expected = os.path.splitext(path)[0] + ".stderr"
    try:
        if os.path.exists(expected):
            with open(expected) as f:
                want = first_line(f.read())
            check_failure(path, run, want, res)
        else:
            check_success(path, run, res)
    except reference.NotInReference as e:  # a format-2 feature the reference lacks: not checked
        res["ok"], res["skipped"], res["lines"] = True, True, []
        res["note"] = f"SKIPPED, not compared: {e}"
    except Exception as e:  # a crash (reference, unreadable output) is a failure, not a traceback
        res["ok"] = False
        res["lines"].append(f"check failed: {type(e).__name__}: {e}")
    res["seconds"] = time.monotonic() - t0
    res["seconds_bin"] = t_bin
    return res


def check_failure(path, run, want, res):
    res["note"] = "expected error"
    if run.returncode != 2:
        res["lines"].append(f"hashpivot exit code {run.returncode}, expected 2 with: {want}")
    if run.stdout:
        res["lines"].append(f"hashpivot printed {len(run.stdout)} bytes on stdout, expected none")
    got = first_line(run.stderr)
    if got != want:
        res["lines"].append(f"hashpivot stderr: {got!r}\n    expected: {want!r}")
    if "overflow" in want:
        ev = reference.evaluate(reference.load(path))
        why = reference_overflow(ev)
        if why:
            res["note"] = f"expected error; reference: {why}"
        else:
            res["lines"].append(f"reference: every quantity fits the decimal range (largest "
                                f"{ev.largest:.6e}), so an overflow error is not expected")
    res["ok"] = not res["lines"]


def reference_overflow(ev):
    """Why hashpivot must stop with an overflow error, or None: a printed
    figure, or a monthly quantity or total, beyond the decimal range."""
    if ev.error:
        return ev.error
    if ev.largest > reference.DECIMAL_MAX:
        return f"a quantity reaches {ev.largest:.3e}, beyond the decimal range"
    return None


def is_format2(path):
    try:
        return reference.load(path).get("format") == 2
    except Exception:
        return False


def drop_paths(obj, paths):
    """Remove "$.a.b[0].c"-style paths (those the reference does not compute)."""
    for p in paths:
        parts = re.findall(r"\.([^.\[]+)|\[(\d+)\]", p[1:])
        cur = obj
        try:
            for key, idx in parts[:-1]:
                cur = cur[int(idx)] if idx else cur[key]
            key, idx = parts[-1]
            if idx:
                del cur[int(idx)]
            else:
                cur.pop(key, None)
        except (KeyError, IndexError, TypeError):
            pass


def check_success(path, run, res):
    ev = reference.evaluate(reference.load(path))
    why = reference_overflow(ev)
    if run.returncode != 0:
        got = first_line(run.stderr)
        if run.returncode == 2 and NOT_YET in got:
            res["refused"] = True
            res["kinds"] = {"refused"}
            res["lines"].append(f"hashpivot does not read this yet: {got}")
            return
        if run.returncode == 2 and is_format2(path) and "format" in got and "overflow" not in got:
            res["refused"] = True
            res["kinds"] = {"refused"}
            res["lines"].append(f"hashpivot does not read format 2 yet: {got}")
            return
        if run.returncode == 2 and "arithmetic overflow" in got and why:
            res["note"] = f"overflow error, as expected: reference: {why}"
            res["ok"] = True
        else:
            res["lines"].append(f"hashpivot failed (exit {run.returncode}): {got}")
            if "overflow" in got:
                res["lines"].append(f"reference: every printed figure fits the decimal range "
                                    f"(largest quantity {ev.largest:.3e})")
            res["kinds"] = {"error"}
        return
    if ev.error:  # a printed figure beyond the range (a monthly quantity may be, if unprinted)
        res["lines"].append(f"reference: {ev.error}, yet hashpivot printed a summary")
        res["kinds"] = {"figure"}
        return
    res["irr"] = [ev.irr_null.get(k, "root") for k in ev.cashflows]
    mine = json.loads(run.stdout, parse_float=D, parse_int=D)
    if ev.omitted:
        drop_paths(mine, ev.omitted)
        res["note"] = "not compared: " + ", ".join(ev.omitted)
    # Round trip through text, so both sides are parsed the same way.
    theirs = json.loads(reference.dump(ev.summary), parse_float=D, parse_int=D)
    diffs = []
    compare(mine, theirs, "$", diffs)
    res["lines"], res["kinds"], roots = explain(diffs, ev, mine)
    res["note"] = "; ".join(([res["note"]] if res["note"] else []) + roots)
    res["ok"] = not res["lines"]


# ---------------------------------------------------------------- pivot

PIVOT_REFUSED = ("unrecognized subcommand", NOT_YET)


def check_pivot(path, binary):
    """Check `hashpivot pivot PATH --format json` against reference.pivot
    (docs/model.md, "When to convert"). Same result dict as check()."""
    t0 = time.monotonic()
    res = dict(path=path, ok=False, lines=[], kinds=set(), irr=[], note="", refused=False,
               skipped=False)
    try:
        run = subprocess.run([binary, "pivot", path, "--format", "json"],
                             capture_output=True, text=True, timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        res["lines"] = [f"hashpivot pivot took more than {TIMEOUT_S} s"]
        res["seconds"] = time.monotonic() - t0
        return res
    expected = os.path.splitext(path)[0] + ".stderr"
    try:
        if os.path.exists(expected):
            with open(expected) as f:
                want = first_line(f.read())
            if "overflow" in want:
                # that overflow is `run`'s (a figure pivot does not print may be the one)
                res["ok"], res["skipped"] = True, True
                res["note"] = "SKIPPED, not compared: its .stderr expects run's overflow"
            else:
                check_failure(path, run, want, res)   # a scenario error is pivot's too
        else:
            check_pivot_success(path, run, res)
    except Exception as e:  # a crash (reference, unreadable output) is a failure, not a traceback
        res["ok"] = False
        res["lines"].append(f"check failed: {type(e).__name__}: {e}")
    res["seconds"] = time.monotonic() - t0
    return res


def check_pivot_success(path, run, res):
    s = reference.load(path)
    want, err, over = None, None, None
    try:
        want = reference.pivot(s)
    except reference.ScenarioError as e:
        err = str(e)
    except reference.OutOfRange as e:
        over = str(e)
    if run.returncode != 0:
        got = first_line(run.stderr)
        if run.returncode == 2 and any(r in got for r in PIVOT_REFUSED):
            res["refused"] = True
            res["kinds"] = {"refused"}
            res["lines"].append(f"hashpivot has no pivot for this yet: {got}")
        elif run.returncode == 2 and err:
            res["note"] = f"error, as expected: reference: {err}"
            if run.stdout:
                res["lines"].append(f"hashpivot printed {len(run.stdout)} bytes on stdout, "
                                    "expected none")
        elif run.returncode == 2 and over and "overflow" in got:
            res["note"] = f"overflow error, as expected: reference: {over}"
        elif run.returncode == 2 and "arithmetic overflow" in got and \
                reference_overflow(reference.evaluate(s)):
            # as for run: a quantity of the scenario (say the network hashrate)
            # is beyond the decimal range, so an overflow error is allowed
            why = reference_overflow(reference.evaluate(s))
            res["note"] = f"overflow error, allowed: reference: {why}"
        else:
            res["lines"].append(f"hashpivot pivot failed (exit {run.returncode}): {got}")
            if err or over:
                res["lines"].append(f"reference: {err or over}")
            res["kinds"] = {"error"}
        res["ok"] = not res["lines"]
        return
    if err or over:
        res["lines"].append(f"hashpivot printed a pivot, reference: {err or over}")
        res["kinds"] = {"figure"}
        return
    mine = json.loads(run.stdout, parse_float=D, parse_int=D)
    theirs = json.loads(reference.dump(want), parse_float=D, parse_int=D)
    diffs = []
    compare(mine, theirs, "$", diffs)
    notes = []
    for path_, a, b, msg in diffs:
        why = near_tie(path_, a, mine, theirs, s)
        if why:
            notes.append(why)
            continue
        res["lines"].append(f"{path_}: {msg}")
        res["kinds"].add("figure")
    res["note"] = "; ".join(notes)
    res["ok"] = not res["lines"]


def near_tie(path, a, mine, theirs, s):
    """A pivot difference that only a near tie explains, or None: a different
    best_start whose NPV is within a cent of the best (and that may be
    chosen), or a different verdict where best and never are within a cent.
    Such a start's best_npv_usd and value_of_waiting_usd then agree anyway."""
    m = re.match(r"^\$\.sites\[(\d+)\]\.(best_start|verdict)$", path)
    if not m:
        return None
    k, key = int(m.group(1)), m.group(2)
    ref_site = theirs["sites"][k]
    cent = D("0.01")
    if key == "verdict":
        if ref_site["best_npv_usd"] is not None and \
                abs(ref_site["best_npv_usd"] - ref_site["never_npv_usd"]) <= cent:
            return f"verdict {a}: best and never NPVs within a cent (a near tie)"
        return None
    if not isinstance(a, str) or ref_site["best_start"] is None:
        return None
    site = next(x for x in s["site"] if x["name"] == ref_site["name"])
    n = s["months"]
    j = reference.month_index(s["start"], a)
    g = site["ai"].get("build_months", 0)
    if not (0 <= j < n and j + g <= n - min(12, n)):
        return None
    if abs(ref_site["npv_by_start"][j] - ref_site["best_npv_usd"]) <= cent:
        return f"best_start {a}: within a cent of the reference's {ref_site['best_start']} (a near tie)"
    return None


# ---------------------------------------------------------------- simulate

SIM_RANK = re.compile(r"^\$\.sites\[(\d+)\]\.(?:(mine|ai)\.npv_p(\d+)_usd|advantage_p(\d+)_usd)$")
SIM_SHARE = re.compile(r"^\$\.sites\[(\d+)\]\.(?:(mine|ai)\.(p_npv_positive|p_payback)"
                       r"|(p_ai_beats_mine)(_se)?)$")
SIM_EXACT = re.compile(r"^\$\.(paths|seed|generator|risk\.[a-z_]+)$")
HALF_CENT = D("0.005")


def sim_seed(path):
    """The --seed a file is simulated with: from its name (crc32), so files
    differ and the [risk] seed (if any) is overridden, as --seed must do."""
    return zlib.crc32(os.path.basename(path).encode())


def check_simulate(path, binary, paths, seed=None):
    """Check `hashpivot simulate PATH --format json --paths N --seed S`
    against reference.simulate (docs/model.md, "Uncertainty: `simulate`").
    Same result dict as check()."""
    t0 = time.monotonic()
    seed = sim_seed(path) if seed is None else seed
    res = dict(path=path, ok=False, lines=[], kinds=set(), irr=[], note="", refused=False,
               skipped=False)
    try:
        run = subprocess.run([binary, "simulate", path, "--format", "json", "--paths", str(paths),
                              "--seed", str(seed)], capture_output=True, text=True,
                             timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        res["lines"] = [f"hashpivot simulate took more than {TIMEOUT_S} s"]
        res["seconds"] = time.monotonic() - t0
        return res
    expected = os.path.splitext(path)[0] + ".stderr"
    try:
        if os.path.exists(expected):
            with open(expected) as f:
                want = first_line(f.read())
            if "overflow" in want:
                res["ok"], res["skipped"] = True, True
                res["note"] = "SKIPPED, not compared: its .stderr expects run's overflow"
            elif run.returncode == 2 and any(r in first_line(run.stderr) for r in PIVOT_REFUSED):
                res["refused"], res["kinds"] = True, {"refused"}
                res["lines"].append(f"hashpivot has no simulate yet: {first_line(run.stderr)}")
            else:
                check_failure(path, run, want, res)   # a scenario error is simulate's too
        else:
            check_simulate_success(path, run, res, paths, seed)
    except Exception as e:  # a crash (reference, unreadable output) is a failure, not a traceback
        res["ok"] = False
        res["lines"].append(f"check failed: {type(e).__name__}: {e}")
    res["seconds"] = time.monotonic() - t0
    return res


def check_simulate_success(path, run, res, paths, seed):
    s = reference.load(path)
    raw, want, err, over = None, None, None, None
    try:
        raw = reference.simulate_raw(s, paths, seed)
        want = reference.simulate_json(raw)
    except reference.ScenarioError as e:
        err = str(e)
    except reference.OutOfRange as e:
        over = str(e)
    if run.returncode != 0:
        got = first_line(run.stderr)
        if run.returncode == 2 and any(r in got for r in PIVOT_REFUSED):
            res["refused"], res["kinds"] = True, {"refused"}
            res["lines"].append(f"hashpivot has no simulate for this yet: {got}")
        elif run.returncode == 2 and err:
            res["note"] = f"error, as expected: reference: {err}"
            if run.stdout:
                res["lines"].append(f"hashpivot printed {len(run.stdout)} bytes on stdout, "
                                    "expected none")
        elif run.returncode == 2 and "overflow" in got and (over or reference_overflow(
                reference.evaluate(s))):
            res["note"] = f"overflow error, allowed: reference: {over or 'run overflows'}"
        else:
            res["lines"].append(f"hashpivot simulate failed (exit {run.returncode}): {got}")
            if err or over:
                res["lines"].append(f"reference: {err or over}")
            res["kinds"] = {"error"}
        res["ok"] = not res["lines"]
        return
    if err or over:
        res["lines"].append(f"hashpivot printed a simulation, reference: {err or over}")
        res["kinds"] = {"figure"}
        return
    mine = json.loads(run.stdout, parse_float=D, parse_int=D)
    theirs = json.loads(reference.dump(want), parse_float=D, parse_int=D)
    diffs = []
    compare(mine, theirs, "$", diffs)
    notes = []
    for path_, a, b, msg in diffs:
        if SIM_EXACT.match(path_):
            continue    # compared for equality below
        why = sim_near_tie(path_, a, b, raw)
        if why:
            notes.append(why)
            continue
        res["lines"].append(f"{path_}: {msg}")
        res["kinds"].add("figure")
    # the one-unit tolerance must not pass a different count, seed or input
    for path_, a, b in sim_exact(mine, theirs):
        res["lines"].append(f"{path_}: hashpivot {show(a)} reference {show(b)} (must be equal)")
        res["kinds"].add("figure")
    res["note"] = "; ".join([f"{paths} paths, seed {seed}"] + notes)
    res["ok"] = not res["lines"]


def sim_exact(mine, theirs):
    out = []
    if not (isinstance(mine, dict) and isinstance(theirs, dict)):
        return out
    for k in ("paths", "seed", "generator"):
        if k in mine and k in theirs and mine[k] != theirs[k]:
            out.append((f"$.{k}", mine[k], theirs[k]))
    r1, r2 = mine.get("risk"), theirs.get("risk")
    if isinstance(r1, dict) and isinstance(r2, dict):
        for k in r2:
            if k in r1 and r1[k] != r2[k]:
                out.append((f"$.risk.{k}", r1[k], r2[k]))
    return out


def sim_near_tie(path, a, b, raw):
    """A simulate difference that only near ties explain, or None.
    A quantile (nearest rank r) may be another path's NPV when that path's
    NPV is within a cent of the rank-r one (paths in another order); a share
    may differ by the paths whose figure is within half a cent of 0 (NPV
    for p_npv_positive, net cash for p_payback, the advantage for
    p_ai_beats_mine, whose se then follows)."""
    if not isinstance(a, D) or not isinstance(b, D):
        return None
    cent = D("0.01")
    m = SIM_RANK.match(path)
    if m:
        site = raw.sites[int(m.group(1))]
        xs = site["npv"][m.group(2)] if m.group(2) else site["adv"]
        pct = int(m.group(3) or m.group(4))
        xs = sorted(xs)
        r = reference.nearest_rank(len(xs), pct) - 1
        for j in (r - 1, r + 1):
            if 0 <= j < len(xs) and abs(xs[j] - xs[r]) <= cent and abs(a - xs[j]) <= cent:
                return (f"{path} {a}: the path of rank {j + 1} (reference {xs[j]:.2f}) is within "
                        f"a cent of rank {r + 1}'s (a near tie)")
        return None
    m = SIM_SHARE.match(path)
    if not m:
        return None
    site = raw.sites[int(m.group(1))]
    if m.group(2):
        key = "net" if m.group(3) == "p_payback" else "npv"
        xs = site[key][m.group(2)]
        what = "net cash" if key == "net" else "NPV"
    else:
        xs, what = site["adv"], "advantage (ai − mine)"
    n = len(xs)
    near = sum(1 for x in xs if abs(x) <= HALF_CENT)
    if near == 0:
        return None
    tol = D(near) / D(n) + D("0.0001")
    if m.group(5):   # p_ai_beats_mine_se: √(p(1 − p)/n) for p within the near band
        p = D(sum(1 for x in xs if x > 0)) / D(n)
        lo, hi = max(D(0), p - D(near) / D(n)), min(D(1), p + D(near) / D(n))
        ses = [(x * (1 - x) / n).sqrt() for x in (lo, hi, min(max(D("0.5"), lo), hi))]
        ok = min(ses) - D("0.0001") <= a <= max(ses) + D("0.0001")
    else:
        ok = abs(a - b) <= tol
    if ok:
        return (f"{path} {a} (reference {b}): {near} of {n} paths have their {what} within "
                "half a cent of 0 (a near tie)")
    return None


# ---------------------------------------------------------------- fan

FAN_MONEY = re.compile(r"^-?\d+\.\d\d$")
FAN_KEYS = ("scenario", "site", "strategy", "month", "fan_paths", "file")


def check_fan(path, binary, paths):
    """Check `hashpivot simulate PATH --fan --format csv --paths N` against
    reference.fan_raw (docs/model.md, "The fan"). Same result dict as
    check(), plus cells (the money cells compared)."""
    t0 = time.monotonic()
    res = dict(path=path, ok=False, lines=[], kinds=set(), irr=[], note="", refused=False,
               skipped=False, cells=0)
    try:
        run = subprocess.run([binary, "simulate", path, "--fan", "--format", "csv",
                              "--paths", str(paths)], capture_output=True, text=True,
                             timeout=TIMEOUT_S)
    except subprocess.TimeoutExpired:
        res["lines"] = [f"hashpivot simulate --fan took more than {TIMEOUT_S} s"]
        res["seconds"] = time.monotonic() - t0
        return res
    expected = os.path.splitext(path)[0] + ".stderr"
    try:
        if os.path.exists(expected):
            with open(expected) as f:
                want = first_line(f.read())
            if "overflow" in want:
                res["ok"], res["skipped"] = True, True
                res["note"] = "SKIPPED, not compared: its .stderr expects run's overflow"
            else:
                check_failure(path, run, want, res)   # a scenario error is the fan's too
        else:
            check_fan_success(path, run, res, paths)
    except Exception as e:  # a crash (reference, unreadable output) is a failure, not a traceback
        res["ok"] = False
        res["lines"].append(f"check failed: {type(e).__name__}: {e}")
    res["seconds"] = time.monotonic() - t0
    return res


def check_fan_success(path, run, res, paths):
    s = reference.load(path)
    fr, err, over = None, None, None
    try:
        fr = reference.fan_raw(s, paths)
        want = [list(reference.FAN_HEADER)] + reference.fan_table(fr, path)
    except reference.ScenarioError as e:
        err = str(e)
    except reference.OutOfRange as e:
        over = str(e)
    if run.returncode != 0:
        got = first_line(run.stderr)
        if run.returncode == 2 and any(r in got for r in PIVOT_REFUSED + ("unexpected argument '--fan'",)) \
                and not err:
            res["refused"], res["kinds"] = True, {"refused"}
            res["lines"].append(f"hashpivot has no fan for this yet: {got}")
        elif run.returncode == 2 and err:
            res["note"] = f"error, as expected: reference: {err}"
            if run.stdout:
                res["lines"].append(f"hashpivot printed {len(run.stdout)} bytes on stdout, "
                                    "expected none")
        elif run.returncode == 2 and "overflow" in got and (over or reference_overflow(
                reference.evaluate(s))):
            res["note"] = f"overflow error, allowed: reference: {over or 'run overflows'}"
        else:
            res["lines"].append(f"hashpivot simulate --fan failed (exit {run.returncode}): {got}")
            if err or over:
                res["lines"].append(f"reference: {err or over}")
            res["kinds"] = {"error"}
        res["ok"] = not res["lines"]
        return
    if err or over:
        res["lines"].append(f"hashpivot printed a fan, reference: {err or over}")
        res["kinds"] = {"figure"}
        return
    mine = list(csv.reader(io.StringIO(run.stdout)))
    if mine[:1] != want[:1]:
        res["lines"].append(f"header: hashpivot {mine[:1]} reference {want[:1]}")
        res["kinds"].add("figure")
        return
    if len(mine) != len(want):
        res["lines"].append(f"{len(mine) - 1} rows, reference {len(want) - 1}")
        res["kinds"].add("figure")
    header = want[0]
    key_cols = [header.index(k) for k in FAN_KEYS]
    money_cols = [i for i, h in enumerate(header) if h.endswith("_usd")]
    # where each reference row's unrounded values live, to explain a difference
    where = [(si, strategy, i) for si, by in enumerate(fr.curves)
             for strategy in ("mine", "ai") if strategy in by for i in range(len(fr.labels))]
    cent = D("0.01")
    for r, (a, b) in enumerate(zip(mine[1:], want[1:])):
        label = f"site {b[1]!r}, {b[2]}, month {b[3]}"
        if len(a) != len(b):
            res["lines"].append(f"row {r + 1} ({label}): {len(a)} cells, reference {len(b)}")
            res["kinds"].add("figure")
            continue
        for c in key_cols:
            if a[c] != b[c]:
                res["lines"].append(f"row {r + 1} ({label}) {header[c]}: hashpivot {a[c]!r} "
                                    f"reference {b[c]!r}")
                res["kinds"].add("figure")
        for c in money_cols:
            res["cells"] += 1
            if not FAN_MONEY.match(a[c]):
                res["lines"].append(f"{label} {header[c]}: hashpivot {a[c]!r} is not money "
                                    "with 2 decimals")
                res["kinds"].add("figure")
                continue
            x, y = D(a[c]), D(b[c])
            tol = D(1).scaleb(-places(a[c]))
            if abs(x - y) <= tol:
                continue
            msg = (f"{label} {header[c]}: hashpivot {a[c]} reference {b[c]} "
                   f"(differ by {abs(x - y)})")
            si, strategy, i = where[r]
            col = sorted((cv[i], k) for k, cv in enumerate(fr.curves[si][strategy]))
            hit = [(rank + 1, k) for rank, (v, k) in enumerate(col) if abs(v - x) <= cent]
            if hit:
                msg += (f"; hashpivot's value is path {hit[0][1]}'s cumulative cash (rank "
                        f"{hit[0][0]} of {len(col)}, reference's rank "
                        f"{reference.nearest_rank(len(col), int(header[c][1:-4]))})")
            res["lines"].append(msg)
            res["kinds"].add("figure")
    if run.stdout.replace("\r\n", "\n").split("\n")[0] != ",".join(reference.FAN_HEADER):
        res["lines"].append("the header line is not written plainly")
    res["note"] = f"{len(want) - 1} rows, {res['cells']} cells, {fr.m} paths"
    res["ok"] = not res["lines"]


def add_risk(text, rng):
    """Replace a generated format-2 file's [risk] table with one for
    --simulate: nonzero volatilities, a correlation, a GPU-hour volatility
    and a lease default in most files (some inputs 0 in some, none at all
    in a few)."""
    lines = text.split("\n")
    if "[risk]" in lines:
        i = lines.index("[risk]")
        j = lines.index("[bitcoin]")
        del lines[i:j]
    if rng.random() < 0.08:
        return "\n".join(lines)
    risk = ["[risk]",
            f"price_vol_annual = {pick(rng, '0.6', '0.85', '0.3', '1.2', 0)}",
            f"hashrate_vol_annual = {pick(rng, '0.3', '0.15', '0.5', 0)}",
            f"price_hashrate_corr = {pick(rng, '0.4', '0.8', '-0.3', '1', '-1', 0)}",
            f"gpu_hour_vol_annual = {pick(rng, '0.25', '0.45', '0.1', 0)}",
            f"lease_default_annual = {pick(rng, '0.03', '0.1', '0.35', '0.999', 0)}",
            f"paths = {pick(rng, 10000, 1000)}",
            f"seed = {pick(rng, 0, 7, rng.randint(0, 2**63 - 1))}"]
    j = lines.index("[bitcoin]")
    return "\n".join(lines[:j] + risk + lines[j:])


# ---------------------------------------------------------------- generating

def pick(rng, *choices):
    return rng.choice(choices)


MONTHS = (1, 2, 12, 13, 36, 60, 120)


def network_lines(rng, n, months):
    return [
        "format = 1",
        f'name = "random {n}"',
        f'start = "{rng.randint(2024, 2030)}-{rng.randint(1, 12):02d}"',
        f"months = {months}",
        f"discount_rate = {pick(rng, 0, '0.08', '0.1', '0.15', '0.35', '9.99')}",
        "[bitcoin]",
    ]


def mining_block(rng, capex_choices, fleet_share=0.5, effs=("17.5", "21.5", "13.5", 30),
                 ths_range=(100000, 5000000), opex_choices=(0, 250000)):
    """[site.mining] lines and the meter load in MW."""
    pue = pick(rng, 1, "1.05", "1.1")
    body = ["", "[site.mining]", f"pue = {pue}", f"uptime = {pick(rng, 1, '0.95')}",
            f"pool_fee = {pick(rng, 0, '0.02')}",
            f"opex_usd_per_month = {rng.choice(opex_choices)}",
            f"capex_usd = {rng.choice(capex_choices)}"]
    if rng.random() >= fleet_share:
        ths = rng.randint(*ths_range)
        eff = rng.choice(effs)
        body += [f"hashrate_ths = {ths}", f"efficiency_j_per_th = {eff}"]
        return body, D(ths) * D(eff) / D(10**6) * D(pue), D(eff), D(pue)
    # rows come last: keys after a [[fleet]] row would belong to it
    total, ths_total = D(0), D(0)
    for model, th, j in [("S19 XP", 140, "21.5"), ("S21", 200, "17.5"), ("S21 XP", 270, "13.5")]:
        if rng.random() < 0.7:
            c = rng.randint(1, 20000)
            total += D(c) * D(th) * D(j)
            ths_total += D(c) * D(th)
            body += ["[[site.mining.fleet]]", f'model = "{model}"', f"count = {c}",
                     f"ths = {th}", f"j_per_th = {j}"]
    if total == 0:
        body += ["[[site.mining.fleet]]", 'model = "S21"', "count = 1000", "ths = 200", "j_per_th = 17.5"]
        total, ths_total = D(1000 * 200) * D("17.5"), D(1000 * 200)
    return body, total / D(10**6) * D(pue), total / ths_total, D(pue)


def ai_block(rng, has_mining, build_choices, capex_choices, mdb_share):
    """[site.ai] lines and the meter load in MW."""
    build = rng.choice(build_choices)
    pue = pick(rng, 1, "1.2", "1.3")
    ai = ["", "[site.ai]", f"pue = {pue}", f"build_months = {build}", f"ramp_months = {pick(rng, 0, 1, 4)}",
          f"conversion_capex_usd = {rng.choice(capex_choices)}",
          f"opex_usd_per_month = {pick(rng, 0, 100000)}"]
    if has_mining and rng.random() < mdb_share:
        ai.append("mine_during_build = true")
    if rng.random() < 0.5:
        it = rng.randint(5, 100)
        ai += ['kind = "colocation"', f"it_mw = {it}",
               f"lease_usd_per_kw_month = {pick(rng, 0, 120, 154, '180.5')}",
               f"lease_escalator_annual = {pick(rng, 0, '0.03', '-0.05')}",
               f"power_pass_through = {pick(rng, 'true', 'false')}"]
        return ai, D(it) * D(pue)
    cnt = rng.randint(1, 40000)
    kw = pick(rng, "1.275", "1.79", "1.3")
    ai += ['kind = "gpu_cloud"', f"gpu_count = {cnt}", f"gpu_kw = {kw}",
           f"gpu_hour_usd = {pick(rng, 0, '1.69', '2.35', 8)}",
           f"utilization = {pick(rng, 0, '0.7', 1)}",
           f"gpu_hour_decline_annual = {pick(rng, 0, '0.19', '0.5')}",
           f"gpu_capex_usd = {pick(rng, 0, 25000)}"]
    return ai, D(cnt) * D(kw) / 1000 * D(pue)


def site_lines(s, grid, power_price, bodies):
    return ["", "[[site]]", f'name = "site {s}"', f"grid_mw = {grid}",
            f"power_price_usd_per_mwh = {power_price}"] + bodies


def generate_ordinary(rng, n):
    months = rng.choice(MONTHS)
    lines = network_lines(rng, n, months) + [
        f"price_usd = {rng.randint(20000, 300000)}",
        f"price_growth_annual = {pick(rng, 0, '0.1', '-0.3', '0.75')}",
        f"network_hashrate_ehs = {rng.randint(300, 3000)}",
        f"hashrate_growth_annual = {pick(rng, 0, '0.25', '-0.2', '1.5')}",
        f"fees_btc_per_block = {pick(rng, 0, '0.02', '0.5')}",
        f"block_height = {pick(rng, 840000, 1050000, 1049000, rng.randint(800000, 1300000))}",
        f"block_time_s = {pick(rng, 600, 600, '599.5', 7, 1)}",
    ]
    for s in range(rng.randint(1, 3)):
        has_mining = rng.random() < 0.8
        has_ai = not has_mining or rng.random() < 0.8
        loads, body = [], []
        if has_mining:
            b, load, _, _ = mining_block(rng, (0, 30000000))
            body += b
            loads.append(load)
        if has_ai:
            b, load = ai_block(rng, has_mining, (0, 1, 6, 12, months, months + 3),
                               (0, 90000000, 450000000), 0.5)
            body += b
            loads.append(load)
        grid = max(loads) * D(pick(rng, 1, "1.5"))
        lines += site_lines(s, grid, pick(rng, 0, 25, 40, "55.5"), body)
    return "\n".join(lines) + "\n"


def generate_earn_then_lose(rng, n):
    """Mining that earns from month 0 (no capex, month-0 hashprice above the
    power cost by a margin) and loses later (a halving inside the horizon,
    hashrate growth, price decline): the first non-zero cash flow is
    positive, later ones negative, so the IRR is null. AI lines mining
    during a build without conversion capex start positive too."""
    long = [m for m in MONTHS if m >= 12] or list(MONTHS)
    months = rng.choice(long)
    fees = pick(rng, 0, "0.02")
    pool_fee = D(0)  # a pool fee only widens the margin below; the price covers it
    h0 = rng.randint(400, 1500)
    # Month 0 is in epoch 4 (3.125 BTC, from 840,000) and ends before the
    # halving at 1,050,000 (a month has at most 4,468 blocks at 599.5 s).
    halving_after = rng.randint(1, max(1, min(months - 1, 46)))
    height = 1050000 - halving_after * 4500 - rng.randint(0, 200)
    lines = network_lines(rng, n, months)
    sites, price = [], None
    for s in range(rng.randint(1, 2)):
        b, load, eff, pue = mining_block(rng, (0, 0, 0, 5000000), fleet_share=0.3,
                                         effs=("17.5", "21.5", 30), ths_range=(200000, 2000000),
                                         opex_choices=(0, 0, 20000))
        power_price = pick(rng, 25, 40, "55.5")
        if price is None:
            # month-0 revenue per TH-day = margin x power cost per TH-day
            margin = D(pick(rng, "1.15", "1.3", "1.6", "2.5"))
            cost = eff * pue * 24 / D(10**6) * D(power_price)
            reward_day = 144 * (D("3.125") + D(fees)) * (1 - pool_fee)
            price = int(margin * cost * h0 * D(10**6) / reward_day) + 1
        body, loads = b, [load]
        if rng.random() < 0.5:
            a, aload = ai_block(rng, True, (1, 3, 6, months // 2),
                                (0, 0, 20000000), 0.9)
            body += a
            loads.append(aload)
        grid = max(loads) * D(pick(rng, 1, "1.2"))
        sites += site_lines(s, grid, power_price, body)
    lines += [
        f"price_usd = {price}",
        f"price_growth_annual = {pick(rng, 0, '-0.1', '-0.3')}",
        f"network_hashrate_ehs = {h0}",
        f"hashrate_growth_annual = {pick(rng, 0, '0.25', '0.75', '1.5')}",
        f"fees_btc_per_block = {fees}",
        f"block_height = {height}",
        f"block_time_s = {pick(rng, 600, 600, '599.5')}",
    ] + sites
    return "\n".join(lines) + "\n"


def generate(rng, n):
    if rng.random() < 0.4:
        return generate_earn_then_lose(rng, n)
    return generate_ordinary(rng, n)


# Format 2: power blocks (shares summing to exactly 1) with a high-price block
BLOCK_SETS = (
    (("0.5", 30), ("0.3", 55), ("0.15", 95), ("0.05", 400)),
    (("0.6", 35), ("0.3", 70), ("0.1", 250)),
    (("0.1", "-12.5"), ("0.55", 32), ("0.3", 60), ("0.05", 900)),
    (("0.25", 20), ("0.25", 45), ("0.25", 80), ("0.25", 150)),
    (("0.7", "40.5"), ("0.3", 120)),
)
ROWS2 = (("S9", 14, 95), ("S17", 56, 45), ("S19j Pro", 104, "29.5"), ("S19 XP", 140, "21.5"),
         ("S21", 200, "17.5"), ("S21 XP", 270, "13.5"))


def label_after(start, k):
    """The "YYYY-MM" k months after start."""
    y, m = map(int, start.split("-"))
    y, m = y + (m - 1 + k) // 12, (m - 1 + k) % 12 + 1
    return f"{y:04d}-{m:02d}"


def partial_conversion(rng, a, months, start, load, aload):
    """Add what an operator converting later or in part writes to the
    [site.ai] lines a (docs/model.md, "Strategy `ai` in format 2"): a later
    start, a fleet sale, keep_mining. Returns the grid in MW: with
    keep_mining, a spare grid that keeps every machine, some, or none."""
    if rng.random() < 0.45 and months > 1:
        a.append(f'start = "{label_after(start, rng.randint(1, months - 1))}"')
    elif rng.random() < 0.1:
        a.append(f'start = "{start}"')
    if rng.random() < 0.4:
        a.append(f"fleet_sale_usd = {pick(rng, 1500000, 20000000, '7250000.5')}")
    if rng.random() < 0.45:
        a.append("keep_mining = true")
        # grid = the larger load + share · the smaller: spare C = grid − AI load
        # is below the mining load for a share < 1 (some machines kept; none
        # when the AI load is the larger and the share is 0 or tiny)
        share = D(pick(rng, 0, "0.0001", "0.3", "0.3", "0.7", "0.7", "1.5"))
        return max(load, aload) + share * min(load, aload)
    return max(load, aload) * D(pick(rng, 1, "1.25"))


def generate_format2(rng, n, partial=True):
    """A valid format-2 scenario in which economic shutdown binds in some
    months: the month-0 revenue per MWh of a mid-efficiency machine sits
    between the block prices, hashprice falls (hashrate growth, flat or
    falling price, often a halving), and the rows differ in efficiency.
    partial: the AI may also start later, sell the fleet and keep mining
    (partial_conversion); False writes none of those keys."""
    months = rng.choice(MONTHS)
    h0 = rng.randint(500, 1500)
    fees = D(pick(rng, 0, "0.02", "0.1"))
    pool_fee = D(pick(rng, 0, "0.02"))
    height = pick(rng, 1050000 - rng.randint(1, 60) * 4400, rng.randint(860000, 1040000),
                  1050000 + rng.randint(0, 100000))
    subsidy = D("3.125") if height < 1050000 else D("1.5625")
    v0 = D(rng.randint(40, 140))          # USD per MWh earned at month 0 by a 21.5 J/TH row
    price = int(v0 * h0 * D("21.5") / (6 * (subsidy + fees) * (1 - pool_fee))) + 1
    start = f"{rng.randint(2025, 2030)}-{rng.randint(1, 12):02d}"
    lines = ["format = 2", f'name = "format-2 random {n}"', f'start = "{start}"',
             f"months = {months}",
             f"discount_rate = {pick(rng, 0, '0.08', '0.10', '0.15', '0.35')}",
             f"inflation_annual = {pick(rng, 0, '0.03', '0.1', '-0.02')}"]
    if rng.random() < 0.3:
        lines += ["[risk]", f"price_vol_annual = {pick(rng, 0, '0.6')}",
                  f"hashrate_vol_annual = {pick(rng, 0, '0.2')}",
                  f"price_hashrate_corr = {pick(rng, 0, '0.5', '-1')}", "paths = 1000", "seed = 7"]
    lines += ["[bitcoin]",
              f"price_usd = {price}",
              f"price_growth_annual = {pick(rng, 0, '-0.1', '-0.3', '0.05')}",
              f"network_hashrate_ehs = {h0}",
              f"hashrate_growth_annual = {pick(rng, '0.25', '0.5', '1', 0)}",
              f"fees_btc_per_block = {fees}",
              f"block_height = {height}",
              f"block_time_s = {pick(rng, 600, 600, '599.5')}"]
    for s in range(rng.randint(1, 2)):
        pue = D(pick(rng, 1, "1.05", "1.1"))
        body = ["", "[site.mining]", f"pue = {pue}", f"uptime = {pick(rng, 1, '0.95')}",
                f"pool_fee = {pool_fee}",
                f"opex_usd_per_month = {pick(rng, 0, 50000, 300000)}",
                f"capex_usd = {pick(rng, 0, 0, 2000000, 30000000)}",
                f'shutdown = "{pick(rng, "economic", "economic", "economic", "never")}"',
                f"demand_response_usd_per_mw_month = {pick(rng, 0, 0, 1500, '4000.5')}",
                f"exit_multiple = {pick(rng, 0, 0, 3, '5.5')}"]
        load = D(0)
        rows = rng.sample(ROWS2, rng.randint(1, 4))
        if len(rows) == 1 and rng.random() < 0.4:
            model, th, j = rows[0]
            ths = rng.randint(50000, 3000000)
            body += [f"hashrate_ths = {ths}", f"efficiency_j_per_th = {j}"]
            load = D(ths) * D(j) / D(10**6) * pue
        else:
            for model, th, j in rows:
                c = rng.randint(100, 15000)
                body += ["[[site.mining.fleet]]", f'model = "{model}"', f"count = {c}",
                         f"ths = {th}", f"j_per_th = {j}"]
                load += D(c) * D(th) * D(j) / D(10**6) * pue
        loads = [load]
        if rng.random() < 0.6:
            a, aload = ai_block(rng, True, (0, 1, 6, 12, months // 2, months),
                                (0, 20000000, 300000000), 0.6)
            a.insert(2, f"exit_multiple = {pick(rng, 0, 0, 8, '12.5')}")
            grid = partial_conversion(rng, a, months, start, load, aload) if partial else None
            body = a + body if rng.random() < 0.5 else body + a
            if body[0] != "":
                body.insert(0, "")
            loads.append(aload)
        else:
            grid = None
        # ([site.ai] after [[site.mining.fleet]] rows is a new table: fine in TOML)
        if grid is None:
            grid = max(loads) * D(pick(rng, 1, "1.25"))
        site = ["", "[[site]]", f'name = "site {s}"', f"grid_mw = {grid}",
                f"power_escalator_annual = {pick(rng, 0, '0.02', '0.05', '-0.03')}"]
        if rng.random() < 0.15:
            site.append(f"power_price_usd_per_mwh = {pick(rng, 35, '-5', 60)}")
        else:
            for share, p in rng.choice(BLOCK_SETS):
                site += ["[[site.power_block]]", f"share = {share}", f"price_usd_per_mwh = {p}"]
        lines += site + body
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------- main

def parse(argv):
    ap = argparse.ArgumentParser(
        prog="crosscheck.py",
        description="Compare hashpivot's Summary JSON with the independent tools/reference.py.")
    ap.add_argument("paths", nargs="*", metavar="PATH", help="scenario file or folder (recursive)")
    ap.add_argument("--bin", help="hashpivot binary (default: $HASHPIVOT_BIN, "
                    "target/release/hashpivot, target/debug/hashpivot)")
    ap.add_argument("--random", type=int, metavar="N", help="check N generated scenarios")
    ap.add_argument("--seed", type=int, default=1, help="seed of --random (default 1)")
    ap.add_argument("--keep", metavar="DIR", help="write the generated scenarios to DIR and keep them")
    ap.add_argument("--months", help="horizons --random picks from, e.g. 240,600")
    ap.add_argument("--format2", action="store_true",
                    help="--random generates format-2 scenarios (shutdown, power blocks, a later "
                    "start, fleet sale, keep_mining, ...)")
    ap.add_argument("--basic", action="store_true",
                    help="with --format2: no site.ai.start, fleet_sale_usd or keep_mining")
    ap.add_argument("--pivot", action="store_true",
                    help="compare `hashpivot pivot FILE --format json` with the reference's pivot "
                    "instead of run")
    ap.add_argument("--simulate", action="store_true",
                    help="compare `hashpivot simulate FILE --format json --paths N --seed S` with "
                    "the reference's simulate instead of run (with --random --format2, each file "
                    "gets a [risk] table)")
    ap.add_argument("--fan", action="store_true",
                    help="compare `hashpivot simulate FILE --fan --format csv --paths N` with the "
                    "reference's fan instead of run (with --random --format2, each file gets a "
                    "[risk] table)")
    ap.add_argument("--paths", type=int, metavar="N", dest="sim_paths",
                    help="with --simulate (default 50) or --fan (default 40): paths per file")
    ap.add_argument("--jobs", "-j", type=int, default=os.cpu_count() or 1,
                    help="scenarios checked in parallel (default: CPU count)")
    args = ap.parse_args(argv)
    if not args.paths and args.random is None:
        ap.error("give scenario files or folders, or --random N")
    if args.random is not None and args.random < 1:
        ap.error("--random needs N >= 1")
    if args.jobs < 1:
        ap.error("--jobs needs N >= 1")
    if args.months is not None:
        try:
            months = tuple(int(m) for m in args.months.split(","))
        except ValueError:
            ap.error(f"--months needs comma-separated integers, got {args.months!r}")
        if not months or any(not 1 <= m <= 600 for m in months):
            ap.error("--months: each horizon must be 1 … 600")
        args.months = months
    if (args.keep or args.months or args.seed != 1 or args.format2) and args.random is None:
        ap.error("--seed, --keep, --months and --format2 go with --random")
    if args.basic and not args.format2:
        ap.error("--basic goes with --format2")
    if args.simulate + args.pivot + args.fan > 1:
        ap.error("--simulate, --pivot and --fan: one at a time")
    if args.sim_paths is not None and not (args.simulate or args.fan):
        ap.error("--paths goes with --simulate or --fan")
    if args.sim_paths is None:
        args.sim_paths = 40 if args.fan else 50
    if not 1 <= args.sim_paths <= 10_000_000:
        ap.error("--paths needs 1 … 10,000,000")
    return args


def main(argv):
    args = parse(argv)
    binary = args.bin or default_bin()
    if not (os.path.isfile(binary) and os.access(binary, os.X_OK)):
        print(f"crosscheck: no executable hashpivot at {binary} (build it, or give --bin PATH)",
              file=sys.stderr)
        return 2
    try:
        paths = collect(args.paths)
    except UsageError as e:
        print(f"crosscheck: {e}", file=sys.stderr)
        return 2
    folder = None
    if args.random is not None:
        global MONTHS
        if args.months:
            MONTHS = args.months
        rng = random.Random(args.seed)
        folder = args.keep or tempfile.mkdtemp(prefix="crosscheck-")
        os.makedirs(folder, exist_ok=True)
        for i in range(args.random):
            p = os.path.join(folder, f"random-{i}.toml")
            text = (generate_format2(rng, i, partial=not args.basic) if args.format2
                    else generate(rng, i))
            if (args.simulate or args.fan) and args.format2:
                # its own generator, so the files are otherwise those of --format2
                text = add_risk(text, random.Random(f"risk {args.seed} {i}"))
            with open(p, "w") as f:
                f.write(text)
            paths.append(p)

    t0 = time.monotonic()
    failed, kinds_failed, irr_kinds, refused, skipped = 0, [], {}, 0, 0
    with concurrent.futures.ProcessPoolExecutor(max_workers=args.jobs) as pool:
        if args.simulate or args.fan:
            results = pool.map(check_fan if args.fan else check_simulate, paths,
                               [binary] * len(paths), [args.sim_paths] * len(paths))
        else:
            results = pool.map(check_pivot if args.pivot else check, paths, [binary] * len(paths))
        cells = 0
        for res in results:
            cells += res.get("cells", 0)
            note = f", {res['note']}" if res["note"] else ""
            for why in res["irr"]:
                irr_kinds[why] = irr_kinds.get(why, 0) + 1
            if res["ok"]:
                skipped += res["skipped"]
                print(f"ok   {res['path']} ({res['seconds']:.2f} s{note})", flush=True)
                continue
            failed += 1
            refused += res["refused"]
            kinds_failed.append(res["kinds"])
            print(f"{'REFUSED' if res['refused'] else 'DIFF'} {res['path']} ({res['seconds']:.2f} s{note})")
            for line in res["lines"][:20]:
                print(f"  {line}")
            if len(res["lines"]) > 20:
                print(f"  … and {len(res['lines']) - 20} more")
            sys.stdout.flush()
    elapsed = time.monotonic() - t0
    if args.fan:
        print(f"fan: {cells} money cells compared ({args.sim_paths} paths a file)")
    if args.random is not None and not args.pivot and not args.simulate and not args.fan:
        print("IRR of the strategy lines checked: " +
              (", ".join(f"{n} {why}" for why, n in sorted(irr_kinds.items(), key=lambda kv: -kv[1]))
               or "none"))
    if args.random is not None:
        if failed and not args.keep:
            print(f"generated scenarios kept in {folder}")
        elif not args.keep:
            shutil.rmtree(folder, ignore_errors=True)
    only_rule = sum(1 for k in kinds_failed if k == {"irr-first-positive"})
    if only_rule:
        print(f"{only_rule} of the failures differ only where hashpivot prints an IRR although "
              f"the first non-zero cash flow is positive (docs/model.md, \"Finance\": null)")
    if refused:
        what = "pivot command" if args.pivot else "simulate command" if args.simulate \
            else "simulate --fan" if args.fan \
            else "format-2 scenario"
        print(f"{refused} of the failures: hashpivot refused the {what} (a command, format or key "
              f"it does not implement yet), so nothing was compared; the reference computed "
              f"each one")
    print(f"{len(paths)} scenarios in {elapsed:.1f} s with {args.jobs} jobs, {binary}")
    extra = f", {skipped} skipped (not compared: see SKIPPED above)" if skipped else ""
    print(f"crosscheck: {len(paths) - failed - skipped} passed, {failed} failed{extra}")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
