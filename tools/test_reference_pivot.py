#!/usr/bin/env python3
"""Self-test of `pivot` in tools/reference.py (docs/model.md, "When to
convert (`pivot`)").

Part 1: hand-worked files; every expected number is worked out by hand in
the comments beside it: a 4-month file (where w = 4, so no start but
s = 0 with no build may be chosen, however high the later ones), the same
file in format 1, a build that leaves no start to choose, a 14-month file
whose best start is a later one, and a tie (earliest wins). Part 2:
properties on generated scenarios (crosscheck.py's generators, format 1 and
format 2 with later starts, fleet sales and keep_mining): each entry of
npv_by_start is the AI NPV `run` computes with site.ai.start set to that
month, now_npv_usd is entry 0, never_npv_usd is the mine NPV, the best
start is an allowed start whose NPV no allowed start beats, and the
verdict follows best vs never.

Usage: python3 tools/test_reference_pivot.py [N generated scenarios, default 40]
Standard library only. Exit 0 when every check passes.
"""
import contextlib
import copy
import io
import os
import random
import sys
import tempfile
import time
import tomllib
from decimal import Decimal as D

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import reference as ref  # noqa: E402
import crosscheck  # noqa: E402  (its generators)

FAILS = []
CHECKS = 0


def check(cond, what):
    global CHECKS
    CHECKS += 1
    if not cond:
        FAILS.append(what)
        print(f"FAIL {what}")


def eq(got, want, what):
    check(str(got) == str(want), f"{what}: got {got}, want {want}")


def scenario(text):
    return tomllib.loads(text, parse_float=D)


# ---------------------------------------------------------------- hand-worked
# Network: start 2026-02, BTC 100,000, 1,000 EH/s, height 840,000 (3.125 BTC),
# 600 s blocks, no fees, no growth; discount_rate 0 (every NPV is the sum of
# the cash flows).
#   R_i = days · 144 · 3.125 = 450 · days BTC
# Mining: 1000 × 100 TH/s at 20 J/TH (2 MW), flat 40 USD/MWh, opex 10,000,
# capex 50,000 (strategy mine only):
#   revenue 100,000 · 450 · days / 10^9 · 100,000 = 4,500 · days;
#   power 2 · 24 · days · 40 = 1,920 · days; EBITDA_i = 2,580 · days − 10,000
#   Feb (28) 62,240; Mar (31) 69,980; Apr (30) 67,400; May (31) 69,980
# AI: colocation 1 MW at `lease` USD/kW-month, pass-through, opex 5,000,
# conversion capex 100,000, build `build` months:
#   a live month earns 1000 · lease − 5,000.
# NPV_ai(s) (build 0) = Σ_{i<s} EBITDA_i − 100,000 + (months − s) · (1000 · lease − 5,000)
HEAD = """format = {fmt}
name = "{name}"
start = "2026-02"
months = {months}
discount_rate = 0

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 840000

[[site]]
name = "A"
grid_mw = 10
power_price_usd_per_mwh = 40
[site.mining]
opex_usd_per_month = 10000
capex_usd = 50000
[[site.mining.fleet]]
model = "M"
count = 1000
ths = 100
j_per_th = 20
[site.ai]
kind = "colocation"
it_mw = 1
lease_usd_per_kw_month = {lease}
opex_usd_per_month = 5000
build_months = {build}
conversion_capex_usd = 100000
"""


def pivot_of(fmt=2, name="pivot", months=4, lease=60, build=0):
    return ref.pivot(scenario(HEAD.format(fmt=fmt, name=name, months=months, lease=lease,
                                          build=build)))


def hand_cases():
    # ---- P1: 4 months, lease 60 (55,000 a live month). w = min(12, 4) = 4: a start
    # may be chosen only if L = s ≤ 4 − 4 = 0.
    #   s = 0: −100,000 + 4 · 55,000 = 120,000
    #   s = 1: 62,240 − 100,000 + 3 · 55,000 = 127,240
    #   s = 2: 132,220 − 100,000 + 2 · 55,000 = 142,220
    #   s = 3: 199,620 − 100,000 + 55,000 = 154,620
    # Each later start is higher, and none may be chosen: best = s = 0, 120,000;
    # value of waiting 0.00. never (mine) = 62,240 + 69,980 + 67,400 + 69,980
    # − 50,000 = 219,600 > 120,000: verdict "mine".
    out = pivot_of(name="four months")
    eq(list(out), ["scenario", "sites"], "P1 top keys")
    site = out["sites"][0]
    eq(list(site), ["name", "best_start", "best_npv_usd", "now_npv_usd", "never_npv_usd",
                    "value_of_waiting_usd", "verdict", "npv_by_start"], "P1 site keys")
    eq(out["scenario"], "four months", "P1 scenario")
    eq(site["npv_by_start"], ["120000.00", "127240.00", "142220.00", "154620.00"], "P1 npv_by_start")
    eq(site["best_start"], "2026-02", "P1 best start: the later, higher starts are never chosen")
    eq(site["best_npv_usd"], "120000.00", "P1 best NPV")
    eq(site["now_npv_usd"], "120000.00", "P1 now NPV")
    eq(site["never_npv_usd"], "219600.00", "P1 never NPV")
    eq(site["value_of_waiting_usd"], "0.00", "P1 value of waiting")
    eq(site["verdict"], "mine", "P1 verdict")
    eq(ref.dump(out).startswith('{"scenario": "four months", "sites": [{"name": "A", '
                                '"best_start": "2026-02", "best_npv_usd": 120000.00,'), True,
       "P1 JSON text")

    # ---- P2: lease 100 (95,000 a live month):
    #   s = 0: −100,000 + 380,000 = 280,000; s = 1: 62,240 − 100,000 + 285,000 = 247,240
    #   s = 2: 132,220 − 100,000 + 190,000 = 222,220; s = 3: 199,620 − 100,000 + 95,000 = 194,620
    #   best 280,000 > never 219,600: "convert" (at 2026-02)
    site = pivot_of(name="convert now", lease=100)["sites"][0]
    eq(site["npv_by_start"], ["280000.00", "247240.00", "222220.00", "194620.00"], "P2 npv_by_start")
    eq(site["verdict"], "convert", "P2 verdict")
    eq(site["best_start"], "2026-02", "P2 best start")

    # ---- P3: P1 in format 1: the months before s mine with format-1 rules
    # (the same figures here: one flat price, runs every hour), no mining capex.
    site = pivot_of(fmt=1, name="format 1")["sites"][0]
    eq(site["npv_by_start"], ["120000.00", "127240.00", "142220.00", "154620.00"], "P3 format 1")
    eq(site["never_npv_usd"], "219600.00", "P3 never")
    eq(site["verdict"], "mine", "P3 verdict")

    # ---- P4: P1 with a 1-month build: L = s + 1 > 0 for every s: nothing may be
    # chosen: best_start, best_npv_usd and value_of_waiting_usd null, verdict "mine".
    #   s = 0: −100,000 (Feb build) + 3 · 55,000 = 65,000
    #   s = 1: 62,240 − 100,000 + 2 · 55,000 = 72,240
    #   s = 2: 132,220 − 100,000 + 55,000 = 87,220
    #   s = 3: 199,620 − 100,000 = 99,620 (L = 4: never live)
    site = pivot_of(name="no start", build=1)["sites"][0]
    eq(site["npv_by_start"], ["65000.00", "72240.00", "87220.00", "99620.00"], "P4 npv_by_start")
    eq(site["best_start"], None, "P4 best start")
    eq(site["best_npv_usd"], None, "P4 best NPV")
    eq(site["value_of_waiting_usd"], None, "P4 value of waiting")
    eq(site["now_npv_usd"], "65000.00", "P4 now")
    eq(site["verdict"], "mine", "P4 verdict")

    # ---- P5: 14 months (Feb 2026 … Mar 2027), lease 60: w = 12, s ≤ 2 may be chosen.
    #   s = 0: −100,000 + 14 · 55,000 = 670,000
    #   s = 1: 62,240 − 100,000 + 13 · 55,000 = 677,240
    #   s = 2: 132,220 − 100,000 + 12 · 55,000 = 692,220  ← best (2026-04)
    #   s = 3: 199,620 − 100,000 + 11 · 55,000 = 704,620 (higher, not allowed)
    #   s = 13: the first 13 months mine (393 days): 2,580 · 393 − 130,000 = 883,940,
    #           − 100,000 + 55,000 = 838,940 (not allowed)
    #   value of waiting 692,220 − 670,000 = 22,220
    #   never: 424 days: 2,580 · 424 − 140,000 − 50,000 = 903,920 > 692,220: "mine"
    site = pivot_of(name="wait two months", months=14)["sites"][0]
    eq(site["npv_by_start"][:4], ["670000.00", "677240.00", "692220.00", "704620.00"],
       "P5 npv_by_start 0-3")
    eq(site["npv_by_start"][13], "838940.00", "P5 npv_by_start 13")
    eq(len(site["npv_by_start"]), 14, "P5 one entry per month")
    eq(site["best_start"], "2026-04", "P5 best start")
    eq(site["best_npv_usd"], "692220.00", "P5 best NPV")
    eq(site["value_of_waiting_usd"], "22220.00", "P5 value of waiting")
    eq(site["never_npv_usd"], "903920.00", "P5 never")
    eq(site["verdict"], "mine", "P5 verdict")

    # ---- P6: a tie: a GPU cloud that earns exactly what the fleet earns in every
    # month. Mining (no opex): 4,500 · days − 1,920 · days = 2,580 · days = 107.5 · hours.
    # 1000 GPUs at 0.001 kW (0.001 MW, 40 USD/MWh: 0.04 · hours of power) and
    # 0.10754 USD/GPU-hour: 1000 · 0.10754 · hours − 0.04 · hours = 107.5 · hours.
    # No conversion or GPU capex: CF_i(s) is the same for every s, month by month,
    # at any discount rate (0.12 here): NPV(0) = NPV(1) = NPV(2) exactly; the
    # earliest, 2026-02, is best, and waiting is worth 0.00. Mine pays its capex
    # 50,000 in month 0 as well, so the AI is ahead by 50,000 · 1.12^(−1/12):
    # "convert".
    text = (HEAD.format(fmt=2, name="tie", months=14, lease=0, build=0)
            .replace("opex_usd_per_month = 10000", "opex_usd_per_month = 0")
            .replace("discount_rate = 0", "discount_rate = 0.12"))
    text = text[:text.index("[site.ai]")] + """[site.ai]
kind = "gpu_cloud"
gpu_count = 1000
gpu_kw = 0.001
gpu_hour_usd = 0.10754
"""
    site = ref.pivot(scenario(text))["sites"][0]
    eq(len(set(site["npv_by_start"])), 1, "P6 every start the same NPV")
    eq(site["best_start"], "2026-02", "P6 earliest on a tie")
    eq(site["value_of_waiting_usd"], "0.00", "P6 value of waiting")
    eq(site["verdict"], "convert", "P6 verdict")

    # ---- P7: sites without both strategies are left out; none with both is an error.
    two = HEAD.format(fmt=2, name="two sites", months=4, lease=60, build=0) + """
[[site]]
name = "B"
grid_mw = 5
power_price_usd_per_mwh = 40
[site.mining]
hashrate_ths = 1000
efficiency_j_per_th = 20
"""
    out = ref.pivot(scenario(two))
    eq([x["name"] for x in out["sites"]], ["A"], "P7 only sites with both")
    mine_only = two[:two.index("[site.ai]")] + two[two.index("\n[[site]]\nname = \"B\""):]
    try:
        ref.pivot(scenario(mine_only))
        check(False, "P7 a file without a site with both strategies is accepted")
    except ref.ScenarioError:
        check(True, "P7 error")

    # ---- P8: the CLI prints the same text, and `--set` moves the horizon.
    # (--set months=14 on P1's file gives P5.)
    with tempfile.NamedTemporaryFile("w", suffix=".toml", delete=False) as f:
        f.write(HEAD.format(fmt=2, name="cli", months=4, lease=60, build=0))
    try:
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            rc = ref.main(["pivot", f.name, "--set", "months=14", "--format", "json"])
        eq(rc, 0, "P8 exit code")
        eq('"best_start": "2026-04"' in buf.getvalue(), True, "P8 CLI with --set")
    finally:
        os.unlink(f.name)


# ---------------------------------------------------------------- properties

def properties(n):
    rng = random.Random(77)
    for k in range(n):
        fmt2 = k % 3 != 0
        text = crosscheck.generate_format2(rng, k) if fmt2 else crosscheck.generate(rng, k)
        s = scenario(text)
        both = [i for i, x in enumerate(s["site"]) if "mining" in x and "ai" in x]
        if not both:
            try:
                ref.pivot(s)
                check(False, f"generated {k}: no site with both, yet a pivot")
            except ref.ScenarioError:
                check(True, "no site with both")
            continue
        out = ref.pivot(s)
        ev = ref.evaluate(s)
        n_months = s["months"]
        w = min(12, n_months)
        for site_out, si in zip(out["sites"], both):
            tag = f"generated {k} (format {2 if fmt2 else 1}) site {si}"
            site = s["site"][si]
            g = site["ai"].get("build_months", 0)
            npvs = [D(v) for v in site_out["npv_by_start"]]
            eq(len(npvs), n_months, f"{tag}: one entry per start")
            eq(site_out["never_npv_usd"], ref.q(ev.detail[(si, "mine", "npv")] if fmt2 else
                                                 D(ev.summary["sites"][si]["mine"]["npv_usd"]), 2),
               f"{tag}: never = run's mine NPV")
            if fmt2:
                # each entry is run's AI NPV with site.ai.start at that month
                for st in sorted({0, n_months - 1, rng.randrange(n_months),
                                  rng.randrange(n_months)}):
                    t = copy.deepcopy(s)
                    t["site"][si]["ai"]["start"] = crosscheck.label_after(s["start"], st)
                    got = ref.evaluate(t).detail[(si, "ai", "npv")]
                    eq(site_out["npv_by_start"][st], ref.q(got, 2), f"{tag}: start {st}")
            else:
                eq(site_out["now_npv_usd"], ev.summary["sites"][si]["ai"]["npv_usd"],
                   f"{tag}: now = run's AI NPV")
            eq(site_out["now_npv_usd"], site_out["npv_by_start"][0], f"{tag}: now is entry 0")
            allowed = [st for st in range(n_months) if st + g <= n_months - w]
            if not allowed:
                eq(site_out["best_start"], None, f"{tag}: no start allowed")
                eq(site_out["verdict"], "mine", f"{tag}: verdict without a start")
                continue
            best = max(npvs[st] for st in allowed)
            j = ref.month_index(s["start"], site_out["best_start"])
            check(j in allowed, f"{tag}: best start {j} not allowed")
            check(npvs[j] >= best - D("0.01"), f"{tag}: best {npvs[j]} below {best}")
            check(all(npvs[st] < npvs[j] + D("0.01") for st in allowed if st < j),
                  f"{tag}: an earlier start ties the best")
            never = D(site_out["never_npv_usd"])
            if abs(npvs[j] - never) > D("0.01"):
                eq(site_out["verdict"], "convert" if npvs[j] > never else "mine", f"{tag}: verdict")
            waiting = D(site_out["value_of_waiting_usd"])
            check(abs(waiting - (npvs[j] - npvs[0])) <= D("0.01"),
                  f"{tag}: value of waiting {waiting} != {npvs[j]} − {npvs[0]}")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 40
    t0 = time.monotonic()
    hand_cases()
    properties(n)
    print(f"{CHECKS} checks, {len(FAILS)} failed ({n} generated scenarios, "
          f"{time.monotonic() - t0:.1f} s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
