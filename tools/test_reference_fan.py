#!/usr/bin/env python3
"""Self-test of the fan in tools/reference.py (docs/model.md, "The fan";
reading A35 in reference.py).

1. The nearest rank worked by hand: 20 paths give P5 = the 1st smallest
   (ceil(0.05·20) = 1), P25 = the 5th, P50 = the 10th, P75 = the 15th,
   P95 = the 19th; 7 paths give the 1st, 2nd (ceil 1.75), 4th (ceil 3.5),
   6th (ceil 5.25) and 7th (ceil 6.65); 1 path gives it five times. Each
   month is ranked on its own (ties included).
2. fan_raw on a file with every σ and a lease default: the bands are those
   ranks of the first m paths' cumulative cash, taken here straight from
   run_paths; m = min(paths, cap) and the fan does not change once paths
   reaches the cap (the cap lowered to 20 to keep it quick).
3. With every σ and q at 0 every band of every month is `run`'s cumulative
   cash (the running sum of reference.evaluate's monthly cash flows, the
   last with the terminal value): each shipped format-2 scenario and
   generated ones.
4. The command line: `simulate FILE --fan --format csv` prints the header,
   one row per site, strategy and month, money with 2 decimals, a name with
   a comma quoted, the file as given; a format-1 file is exit 2.

Usage: python3 tools/test_reference_fan.py
Standard library only. Exit 0 when every check passes.
"""
import contextlib
import copy
import csv
import io
import os
import random
import re
import sys
import tempfile
import time
import tomllib
from decimal import Decimal as D

sys.dont_write_bytecode = True
HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import reference as ref  # noqa: E402
import crosscheck  # noqa: E402  (its --format2 generator)

FAILS = []
CHECKS = 0


def check(cond, what):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILS.append(what)
        print(f"FAIL {what}")


def eq(got, want, what):
    check(got == want, f"{what}: got {got}, want {want}")


def scenario(text):
    return tomllib.loads(text, parse_float=D)


# ---------------------------------------------------------------- 1. by hand
# 20 paths, two months. Month 0: path k holds (7·k mod 20) + 1, a shuffle of
# 1 … 20 (k = 0 → 1, k = 1 → 8, k = 2 → 15, k = 3 → 2, …), so the r-th
# smallest is r and the bands are 1, 5, 10, 15, 19 (20, the largest, is no
# band). Month 1 (a cumulative cash, any sign): four paths at −5, eight at
# 0, seven at 2.5 and one at 100, spread over the paths in another order:
# sorted ranks 1–4 are −5, 5–12 are 0, 13–19 are 2.5, 20 is 100, so P5 =
# −5 (rank 1), P25 = 0 (rank 5), P50 = 0 (rank 10), P75 = 2.5 (rank 15),
# P95 = 2.5 (rank 19).

def test_by_hand():
    month0 = [D((7 * k) % 20 + 1) for k in range(20)]
    eq(sorted(month0), [D(r) for r in range(1, 21)], "month 0 is a shuffle of 1 … 20")
    month1_sorted = [D(-5)] * 4 + [D(0)] * 8 + [D("2.5")] * 7 + [D(100)]
    order = [(3 * k + 5) % 20 for k in range(20)]      # a permutation of 0 … 19
    eq(sorted(order), list(range(20)), "order is a permutation")
    month1 = [month1_sorted[order[k]] for k in range(20)]
    curves = [[month0[k], month1[k]] for k in range(20)]
    bands = ref.fan_bands(curves)
    eq(bands[0], (D(1), D(5), D(10), D(15), D(19)), "20 paths, month 0: ranks 1, 5, 10, 15, 19")
    eq(bands[1], (D(-5), D(0), D(0), D("2.5"), D("2.5")), "20 paths, month 1 (ties)")
    eq(month0.index(D(10)), 7, "10 is path 7's month 0 (7·7 = 49 ≡ 9 mod 20, + 1)")
    eq((month1[0], month1[1], month1[19]), (D(0), D(0), D(-5)),
       "month 1 of paths 0, 1, 19: month1_sorted[5], [8], [(57 + 5) mod 20 = 2]")
    eq([ref.nearest_rank(20, p) for p in ref.FAN_PCTS], [1, 5, 10, 15, 19], "ranks of 20")
    # 7 paths: values 70, 10, 50, 30, 60, 20, 40 → sorted 10 … 70; ranks 1, 2, 4, 6, 7
    seven = [[D(v)] for v in (70, 10, 50, 30, 60, 20, 40)]
    eq(ref.fan_bands(seven)[0], (D(10), D(20), D(40), D(60), D(70)), "7 paths: ranks 1, 2, 4, 6, 7")
    eq(ref.fan_bands([[D("-3.25")]])[0], (D("-3.25"),) * 5, "1 path: every band is it")
    eq(ref.cumulative([D(1), D("-2.5"), D(4)]), [D(1), D("-1.5"), D("2.5")], "running sums")


# ---------------------------------------------------------------- 2. fan_raw
RISKY = """format = 2
name = "fan, risky"
start = "2026-02"
months = 14
discount_rate = 0.1

[risk]
price_vol_annual = 0.8
hashrate_vol_annual = 0.3
price_hashrate_corr = 0.4
gpu_hour_vol_annual = 0.3
lease_default_annual = 0.3
paths = 50
seed = 4

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 840000

[[site]]
name = "leased, with a comma"
grid_mw = 3
power_price_usd_per_mwh = 40

[site.mining]
hashrate_ths = 100000
efficiency_j_per_th = 20
opex_usd_per_month = 10000
shutdown = "never"

[site.ai]
kind = "colocation"
it_mw = 1
lease_usd_per_kw_month = 100
power_pass_through = false
opex_usd_per_month = 5000
conversion_capex_usd = 100000
keep_mining = true

[[site]]
name = "mining only"
grid_mw = 3
power_price_usd_per_mwh = 40
[site.mining]
hashrate_ths = 100000
efficiency_j_per_th = 20
"""


def test_fan_raw():
    s = scenario(RISKY)
    cap = ref.FAN_MAX_PATHS
    ref.FAN_MAX_PATHS = 20
    try:
        fr = ref.fan_raw(s)                    # [risk] paths = 50 → m = 20
        fr20 = ref.fan_raw(s, paths=20)
        fr7 = ref.fan_raw(s, paths=7)
    finally:
        ref.FAN_MAX_PATHS = cap
    eq(fr.m, 20, "m = min(50, cap 20)")
    eq(fr7.m, 7, "m = min(7, cap)")
    eq([(n, st) for n, st, _ in fr.rows],
       [("leased, with a comma", "mine"), ("leased, with a comma", "ai"), ("mining only", "mine")],
       "rows: sites in file order, mine before ai, absent strategy left out")
    eq(fr.labels[0], "2026-02", "first month label")
    eq(fr.labels[-1], "2027-03", "last month label (14 months)")
    eq(fr.rows, fr20.rows, "the fan is the same whatever paths once it reaches the cap")
    # straight from the per-path machinery: the first 20 paths
    risk = ref.risk_used(s, 20)
    curves = {}
    for _, res, _ in ref.run_paths(s, risk):
        for j, r in enumerate(res):
            for st, (_, _, _, cfs) in r.items():
                c, run = [], D(0)
                for x in cfs:
                    run += x
                    c.append(run)
                curves.setdefault((j, st), []).append(c)
    moving = 0
    for (j, st), (name, st2, bands) in zip(sorted(curves, key=lambda k: (k[0], k[1] != "mine")),
                                           fr.rows):
        eq(st, st2, f"{name}: strategy order")
        for i in range(len(fr.labels)):
            col = sorted(c[i] for c in curves[(j, st)])
            want = (col[0], col[4], col[9], col[14], col[18])   # ranks 1, 5, 10, 15, 19
            eq(bands[i], want, f"{name} {st} month {fr.labels[i]}: ranks 1, 5, 10, 15, 19 of 20")
            moving += col[0] != col[18]
    check(moving > 20, f"the fan opens (P5 < P95 in {moving} site-months)")
    # the first 7 paths: ranks 1, 2, 4, 6, 7
    name, st, bands = fr7.rows[1]
    col = sorted(c[-1] for c in curves[(0, "ai")][:7])
    eq(bands[-1], (col[0], col[1], col[3], col[5], col[6]), "7 paths: ranks 1, 2, 4, 6, 7")


# ---------------------------------------------------------------- 3. σ = q = 0
def run_cumulative(s):
    ev = ref.evaluate(s)
    out = []
    for si, site in enumerate(ev.summary["sites"]):
        for st in ("mine", "ai"):
            if (si, st) in ev.cashflows:
                out.append((site["name"], st, ref.cumulative(ev.cashflows[(si, st)])))
    return out


def check_zero(s, label, paths=3):
    s = copy.deepcopy(s)
    s["risk"] = {"lease_default_annual": 0} if "risk" not in s else \
        {k: v for k, v in s["risk"].items() if k in ("paths", "seed")}
    want = run_cumulative(s)
    fr = ref.fan_raw(s, paths=paths, seed=5)
    eq(len(fr.rows), len(want), f"{label}: rows")
    for (name, st, bands), (wname, wst, cum) in zip(fr.rows, want):
        eq((name, st), (wname, wst), f"{label}: row order")
        eq(len(bands), len(cum), f"{label} {name} {st}: months")
        check(all(b == (c,) * 5 for b, c in zip(bands, cum)),
              f"{label} {name} {st}: every band is run's cumulative cash")
    table = ref.fan_table(fr, "x.toml")
    printed = [ref.q(c, 2) for _, _, cum in want for c in cum]
    check(all(r[5:10] == [p] * 5 for r, p in zip(table, printed)) and len(table) == len(printed),
          f"{label}: printed bands are run's cumulative cash to the cent")


def test_zero():
    folder = os.path.join(os.path.dirname(HERE), "scenarios")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".toml"):
            s = ref.load(os.path.join(folder, name))
            if s.get("format") == 2:
                check_zero(s, name)
    rng = random.Random(12)
    for i in range(12):
        check_zero(scenario(crosscheck.generate_format2(rng, i)), f"generated {i}", paths=2)


# ---------------------------------------------------------------- 4. command line
def cli(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = ref.main(args)
    return code, out.getvalue(), err.getvalue()


def test_cli():
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "risky.toml")
        with open(p, "w") as f:
            f.write(RISKY.replace("months = 14", "months = 5"))
        code, out, err = cli(["simulate", p, "--fan", "--format", "csv", "--paths", "6"])
        eq(code, 0, f"--fan exit code ({err})")
        lines = out.split("\n")
        eq(lines[0], "scenario,site,strategy,month,fan_paths,p5_usd,p25_usd,p50_usd,p75_usd,"
           "p95_usd,file", "header")
        eq(len(lines), 1 + 3 * 5 + 1, "one row per site, strategy and month (and a final newline)")
        check(lines[1].startswith('"fan, risky","leased, with a comma",mine,2026-02,6,'),
              f"names with a comma are quoted: {lines[1]}")
        rows = list(csv.reader(io.StringIO(out)))[1:]
        check(all(re.fullmatch(r"-?\d+\.\d\d", c) for r in rows for c in r[5:10]),
              "money with 2 decimals")
        eq({r[10] for r in rows}, {p}, "file as given")
        eq([r[2] for r in rows[::5]], ["mine", "ai", "mine"], "strategies")
        code2, out2, _ = cli(["simulate", p, "--fan", "--paths", "6", "--seed", "4"])
        eq((code2, out2), (0, out), "--format csv is optional; --seed 4 = [risk] seed 4")
        code3, out3, _ = cli(["simulate", p, "--fan", "--paths", "6", "--seed", "5"])
        check(code3 == 0 and out3 != out, "another seed, another fan")
        code, out, _ = cli(["simulate", p, "--format", "csv"])
        eq((code, out), (2, ""), "--format csv without --fan is a usage error")
        f1 = os.path.join(os.path.dirname(HERE), "scenarios", "lake-mariner.toml")
        code, out, err = cli(["simulate", f1, "--fan", "--format", "csv"])
        eq((code, out), (2, ""), "a format-1 file: exit 2, nothing printed")


def main():
    t0 = time.monotonic()
    test_by_hand()
    test_fan_raw()
    test_zero()
    test_cli()
    print(f"{CHECKS} checks, {len(FAILS)} failed ({time.monotonic() - t0:.1f} s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
