#!/usr/bin/env python3
"""Self-test of `simulate` in tools/reference.py (docs/model.md,
"Uncertainty: `simulate`"; readings A28 … in reference.py).

1. The generator hashpivot-sm64-v1: mix, word, uniform and the Box–Muller
   normals of seed 0, path 0, worked step by step below (mix(0) is also
   splitmix64's well-known first output for state 0), and one month's
   factor taken to 15 significant digits.
2. Zero volatility and no default: every path of every shipped format-2
   scenario and of generated ones is `run`'s result to the last digit (NPV,
   payback, advantage), so the mean is run's NPV, the se 0, every quantile
   equal and the shares 0 or 1.
3. The closed form any reader can check: shutdown "never", no terminal
   value, mining only, E[S^p_i / S^h_i] = exp((σh² − ρ·σp·σh) · i/12): the
   mean of 2,000 paths within 4 standard errors of it. And ρ = 1 with
   σp = σh: price and hashrate move together, every path is run's.
4. Tenant default: q so close to 1 that π = 1 (every lease ends at the end
   of its go-live month), worked by hand; then q = 0.5, the lease end of
   each path found from the generator directly and the AI NPV by hand.
5. The statistics on small hand-made lists (nearest rank, CVaR, se).
6. The command line: JSON layout, --paths/--seed over [risk], --records,
   a format-1 file is an error (exit 2).

Usage: python3 tools/test_reference_simulate.py
Standard library only. Exit 0 when every check passes.
"""
import contextlib
import copy
import csv
import io
import json
import math
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
    check(str(got) == str(want), f"{what}: got {got}, want {want}")


def scenario(text):
    return tomllib.loads(text, parse_float=D)


def raw(s, paths=None, seed=None):
    return ref.simulate_raw(s, paths, seed)


# ---------------------------------------------------------------- 1. generator
# mix(x), wrapping 64-bit (docs/model.md, "The generator"), for x = 0:
#   z = 0 + G                          = 0x9e3779b97f4a7c15
#   z ^ (z >> 30)                      = 0x9e3779bb07979af0
#   × M1 (mod 2^64)                    = 0x6f68261b57e7a770
#   z ^ (z >> 27)                      = 0x6f682616bae3641a
#   × M2 (mod 2^64)                    = 0xe220a838bf5c9dde
#   z ^ (z >> 31)                      = 0xe220a8397b1dcdaf  = mix(0)
# (the published first output of splitmix64 from state 0, whose step is this mix).
# word(0, 0, 0, n) = mix(mix(mix(mix(0) ^ 0) ^ 0) ^ n):
#   mix(0xe220a8397b1dcdaf)            = 0xa706dd2f4d197e6f
#   mix(0xa706dd2f4d197e6f)            = 0x238275bc38fcbe91  (= m)
#   word n = mix(m ^ n):  n = 0 → 0x2130748aaac80268, 1 → 0x2a4f111b3be57715,
#                         2 → 0x4f833d459789ac77, 3 → 0x698dfba9f1fc1b53
# uniform(w) = ((w >> 11) + 0.5) / 2^53; for n = 2: w >> 11 = 2797602792993077,
#   (2797602792993077.5) / 2^53 = 0.310596303453656
# Month 1, stream 0 (Z1): u1 = uniform(word n = 2) = 0.310596303453656,
#   u2 = uniform(word n = 3) = 0.4123227395921138;
#   √(−2 ln u1) = 1.529222854685756, cos(2π u2) = −0.8520576976444794,
#   Z1 = −1.3029861047488636 (their binary64 product).
# Factor at σ = 0.6: σ/√12 = 0.17320508075688773, · Z1 = −0.2256838134981295,
#   − σ²/24 (0.015) = −0.2406838134981295, exp = 0.7860901381891856
#   (exactly 0.786090138189185605455…), to 15 significant digits half-even:
#   0.786090138189186.

def test_generator():
    eq(hex(ref.sm_mix(0)), "0xe220a8397b1dcdaf", "mix(0)")
    eq(hex(ref.sm_mix(0xe220a8397b1dcdaf)), "0xa706dd2f4d197e6f", "mix(mix(0))")
    eq(hex(ref.sm_mix(0xa706dd2f4d197e6f)), "0x238275bc38fcbe91", "mix(mix(mix(0)))")
    words = ["0x2130748aaac80268", "0x2a4f111b3be57715", "0x4f833d459789ac77",
             "0x698dfba9f1fc1b53"]
    for n, w in enumerate(words):
        eq(hex(ref.sm_word(0, 0, 0, n)), w, f"word(0, 0, 0, {n})")
    eq(ref.sm_word(0, 0, 0, 2) >> 11, 2797602792993077, "word(0,0,0,2) >> 11")
    eq(repr(ref.sm_uniform(ref.sm_word(0, 0, 0, 2))), "0.310596303453656", "uniform n = 2")
    eq(repr(ref.sm_uniform(ref.sm_word(0, 0, 0, 3))), "0.4123227395921138", "uniform n = 3")
    eq(repr(ref.sm_normal(0, 0, 0, 1)), "-1.3029861047488636", "Z1 of month 1")
    eq(repr(ref.sm_normal(0, 0, 1, 1)), "-1.588490548971155", "Z2 of month 1")
    eq(repr(ref.sm_normal(0, 0, 2, 1)), "-1.3913319196872347", "Z3 of month 1")
    # the same three normals, recomputed here from docs/model.md's text alone
    M = (1 << 64) - 1

    def mix(x):
        z = (x + 0x9E3779B97F4A7C15) % 2**64
        z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) % 2**64
        z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) % 2**64
        return z ^ (z >> 31)

    for stream in range(3):
        for i in (1, 2, 59):
            w1 = mix(mix(mix(mix(7) ^ 3) ^ stream) ^ (2 * i)) & M
            w2 = mix(mix(mix(mix(7) ^ 3) ^ stream) ^ (2 * i + 1)) & M
            u1 = ((w1 >> 11) + 0.5) / 2**53
            u2 = ((w2 >> 11) + 0.5) / 2**53
            z = math.sqrt(-2 * math.log(u1)) * math.cos(2 * math.pi * u2)
            check(ref.sm_normal(7, 3, stream, i) == z, f"normal seed 7 path 3 stream {stream} month {i}")
    eq(ref.sm_factor(0.6, ref.sm_normal(0, 0, 0, 1)), "0.786090138189186", "factor e^p_1 at σ 0.6")
    eq(ref.sm_factor(0.0, -1.3), "1.00000000000000", "factor at σ 0 is exactly 1")
    check(ref.sm_factor(0.0, 5.0) == 1, "σ 0: the factor equals 1")
    # uniform is in (0, 1]: the smallest word gives 2^-54; (2^53 − 1) + 0.5 rounds to even 2^53 (A31)
    eq(ref.sm_uniform(0), 2.0 ** -54, "uniform(0)")
    eq(ref.sm_uniform((1 << 64) - 1), 1.0, "uniform(2^64 − 1) rounds to 1.0")
    # a path index and a seed of 64 bits are fine; every word fits 64 bits
    check(0 <= ref.sm_word(2**64 - 1, 2**64 - 1, 5, 1199) <= M, "64-bit seed and k")
    # S_i of path 0, seed 0, σp = 0.6 only: S_1 = 0.786090138189186, S_0 = 1
    risk = ref.risk_used(scenario('format = 2\n[risk]\nprice_vol_annual = 0.6\n'))
    sp, sh, sg = ref.path_factors(risk, 0, 3)
    eq(sp[0], "1", "S^p_0")
    eq(sp[1], "0.786090138189186", "S^p_1")
    eq(sp[2], D("0.786090138189186") * ref.sm_factor(0.6, ref.sm_normal(0, 0, 0, 2)), "S^p_2")
    check(sh == [1, 1, 1] and sg == [1, 1, 1], "σh = σg = 0: S^h = S^g = 1")


# ---------------------------------------------------------------- 2. zero volatility

def run_figures(s):
    """Per site index: {strategy: (npv, payback)}, and the ΔCF advantage."""
    ev = ref.evaluate(s)
    out = []
    for si, site in enumerate(ev.summary["sites"]):
        d = {}
        for strategy in ("mine", "ai"):
            if strategy in site:
                d[strategy] = (ev.detail[(si, strategy, "npv")], site[strategy]["payback_months"])
        d["adv"] = ev.detail.get((si, "diff", "npv"))
        out.append(d)
    return ev.summary, out


def check_equals_run(s, label, paths=3):
    s = copy.deepcopy(s)
    s["risk"] = {"lease_default_annual": 0} if "risk" not in s else \
        {k: v for k, v in s["risk"].items() if k in ("paths", "seed")}
    summ, want = run_figures(s)
    r = raw(s, paths=paths, seed=11)
    out = ref.simulate_json(r)
    for si, site in enumerate(r.sites):
        w = want[si]
        for strategy in ("mine", "ai"):
            if strategy not in w:
                check(strategy not in site["npv"], f"{label} site {si}: no {strategy}")
                continue
            npv, pb = w[strategy]
            check(all(x == npv for x in site["npv"][strategy]),
                  f"{label} site {si} {strategy}: every path NPV = run's {npv}")
            check(all(p == pb for p in site["payback"][strategy]),
                  f"{label} site {si} {strategy}: every path payback = run's {pb}")
            st = out["sites"][si][strategy]
            printed = summ["sites"][si][strategy]["npv_usd"]
            for k in ("npv_mean_usd", "npv_p5_usd", "npv_p25_usd", "npv_p50_usd", "npv_p75_usd",
                      "npv_p95_usd", "npv_cvar5_usd"):
                eq(st[k], printed, f"{label} site {si} {strategy} {k}")
            eq(st["npv_se_usd"], "0.00", f"{label} site {si} {strategy} se")
            eq(st["p_npv_positive"], "1.0000" if npv > 0 else "0.0000",
               f"{label} site {si} {strategy} p_npv_positive")
            eq(st["p_payback"], "0.0000" if pb is None else "1.0000",
               f"{label} site {si} {strategy} p_payback")
        if w["adv"] is not None:
            check(all(x == w["adv"] for x in site["adv"]), f"{label} site {si}: advantage = run's")
            o = out["sites"][si]
            eq(o["p_ai_beats_mine"], "1.0000" if summ["sites"][si]["winner"] == "ai" else "0.0000",
               f"{label} site {si} p_ai_beats_mine")
            eq(o["p_ai_beats_mine_se"], "0.0000", f"{label} site {si} p se")
            eq(o["advantage_mean_usd"], ref.q(w["adv"], 2), f"{label} site {si} advantage mean")
            eq(o["advantage_p5_usd"], o["advantage_p95_usd"], f"{label} site {si} advantage p5 = p95")


def test_zero_volatility(n_generated=25):
    folder = os.path.join(os.path.dirname(HERE), "scenarios")
    for name in sorted(os.listdir(folder)):
        if name.endswith(".toml"):
            s = ref.load(os.path.join(folder, name))
            if s.get("format") == 2:
                check_equals_run(s, name)
    rng = random.Random(5)
    for i in range(n_generated):
        s = scenario(crosscheck.generate_format2(rng, i))
        check_equals_run(s, f"generated {i}", paths=2)
    # a gpu_cloud site with a lease default: q only touches colocation tenants
    rng = random.Random(9)
    for i in range(40):
        s = scenario(crosscheck.generate_format2(rng, i))
        if all(site.get("ai", {}).get("kind") != "colocation" for site in s["site"]):
            summ, want = run_figures(s)
            s["risk"] = {"lease_default_annual": D("0.9")}
            r = raw(s, paths=3)
            check(all(x == want[si][st][0] for si, site in enumerate(r.sites)
                      for st in site["npv"] for x in site["npv"][st]),
                  f"generated {i} (no colocation): q = 0.9 changes nothing")


# ---------------------------------------------------------------- 3. closed form
# Mining only, shutdown "never", no terminal value, one flat block: month i's
# cash flow is rev_i · S^p_i / S^h_i − power_i − opex_i (− capex in month 0),
# rev_i the deterministic revenue, so
#   E[NPV] = NPV_run + Σ_i d_i · rev_i · (exp((σh² − ρ σp σh) · i / 12) − 1).
CLOSED = """format = 2
name = "closed form"
start = "2026-01"
months = 24
discount_rate = 0.1

[risk]
price_vol_annual = 0.6
hashrate_vol_annual = 0.4
price_hashrate_corr = {rho}
paths = {paths}
seed = 3

[bitcoin]
price_usd = 90000
price_growth_annual = 0.1
network_hashrate_ehs = 900
hashrate_growth_annual = 0.3
block_height = 900000

[[site]]
name = "only mining"
grid_mw = 40
power_price_usd_per_mwh = 45

[site.mining]
hashrate_ths = 1500000
efficiency_j_per_th = 20
opex_usd_per_month = 150000
capex_usd = 10000000
shutdown = "never"
"""


def test_closed_form():
    s = scenario(CLOSED.format(rho="0.25", paths=2000))
    r = raw(s)
    npvs = r.sites[0]["npv"]["mine"]
    mean, se = ref.stat_mean(npvs), ref.stat_se(npvs)
    net, _ = ref.project_network(s)
    n = len(net)
    disc = ref.discount_factors(D("0.1"), n)
    site = s["site"][0]
    ctx = dict(infl=ref.yearly(0, n), blocks=[[(D(1), D(45))]] * n, pbar=[D(45)] * n)
    rows = ref.mine_rows2(site, net, ctx)
    det = ref.npv_with([ref.cf2(x) for x in rows], disc)
    c = D("0.4") ** 2 - D("0.25") * D("0.6") * D("0.4")     # σh² − ρ σp σh = 0.10
    closed = det + sum(d * x["mrev"] * ((c * i / 12).exp() - 1)
                       for i, (x, d) in enumerate(zip(rows, disc)))
    check(abs(mean - closed) <= 4 * se,
          f"closed form: mean {mean:.2f} vs {closed:.2f}, {abs(mean - closed) / se:.2f} se "
          f"(se {se:.2f})")
    check(closed - det > 4 * se, f"closed form: the drift term ({closed - det:.2f}) is beyond "
          f"4 se ({se:.2f}), so the check tells the closed form from the deterministic NPV")
    # ρ = 1 and σp = σh: Zh = Z1 exactly, S^p = S^h, revenue = run's on every path
    s = scenario(CLOSED.format(rho="1", paths=20).replace("hashrate_vol_annual = 0.4",
                                                          "hashrate_vol_annual = 0.6"))
    r = raw(s)
    det = run_figures(s)[1][0]["mine"][0]
    check(all(abs(x - det) < D("1e-30") for x in r.sites[0]["npv"]["mine"]),
          "ρ = 1, σp = σh: every path is run's NPV")
    sp, sh, _ = ref.path_factors(ref.risk_used(s), 4, 24)
    check(sp == sh and sp[5] != 1, "ρ = 1, σp = σh: S^p = S^h (and not 1)")


# ---------------------------------------------------------------- 4. tenant default
# Network: start 2026-02, BTC 100,000, 1,000 EH/s, height 840,000, no fees,
# discount 0: R_i = 450 · days BTC. Mining 1000 × 100 TH/s at 20 J/TH = 2 MW,
# 40 USD/MWh, opex 10,000, shutdown never: EBITDA_i = 4,500·days − 1,920·days
# − 10,000 = 2,580 · days − 10,000 (Feb 62,240, Mar 69,980, Apr 67,400).
# AI: colocation 1 MW, pue 1, 100 USD/kW-month (100,000 a month), no
# pass-through (tenant power 1 MW · 24 · days · 40 = 960 · days), opex 5,000,
# conversion capex 100,000, build 0; grid 3 MW and keep_mining: C = 3 − 1 =
# 2 MW keeps all 1000 machines (m = 100 · 20 / 10^6 = 0.002 MW each), which mine
# on with the full opex.
#   No default: month i = 100,000 − 960·days − 5,000 + EBITDA_i, capex 100,000:
#     Feb 100,000 − 26,880 − 5,000 + 62,240 − 100,000 = 30,360
#     Mar 100,000 − 29,760 − 5,000 + 69,980 = 135,220
#     Apr 100,000 − 28,800 − 5,000 + 67,400 = 133,600      NPV 299,180
#   Default in month 0 (π = 1): Mar and Apr lose lease and tenant power:
#     Mar −5,000 + 69,980 = 64,980, Apr −5,000 + 67,400 = 62,400
#     NPV 30,360 + 64,980 + 62,400 = 157,740 (= 299,180 − 70,240 − 71,200)
DEFAULT = """format = 2
name = "tenant default"
start = "2026-02"
months = {months}
discount_rate = 0

[risk]
lease_default_annual = {q}
paths = {paths}

[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 840000

[[site]]
name = "mining only"
grid_mw = 3
power_price_usd_per_mwh = 40
[site.mining]
hashrate_ths = 100000
efficiency_j_per_th = 20

[[site]]
name = "leased"
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
"""


def test_default():
    s = scenario(DEFAULT.format(months=3, q="0.999999999999999999999999", paths=20))
    eq(ref.risk_used(s)["f"]["pi"], 1.0, "q = 0.999…9 (24 nines): π = 1.0 in binary64")
    r = raw(s)
    check(all(x == 157740 for x in r.sites[1]["npv"]["ai"]),
          f"π = 1: every lease ends in the go-live month, AI NPV 157,740 "
          f"(got {sorted(set(r.sites[1]['npv']['ai']))})")
    check(all(x == 199620 for x in r.sites[1]["npv"]["mine"]), "mine NPV 199,620 on every path")
    out = ref.simulate_json(r)["sites"][1]
    eq(out["ai"]["npv_p95_usd"], "157740.00", "π = 1: P95 of the AI NPV")
    eq(out["advantage_mean_usd"], "-41880.00", "π = 1: advantage 157,740 − 199,620")
    eq(out["p_ai_beats_mine"], "0.0000", "π = 1: AI never beats mine")
    s0 = scenario(DEFAULT.format(months=3, q=0, paths=2))
    check(all(x == 299180 for x in raw(s0).sites[1]["npv"]["ai"]), "q = 0: AI NPV 299,180")
    # q = 0.5 over 12 months: the lease of path k ends at the end of the first
    # month i with uniform(word(0, k, 3 + 1, i)) < π (site index 1 in the file,
    # go-live month 0), π = 1 − 0.5^(1/12) = 0.0561…; each later month loses
    # its lease and tenant power, 100,000 − 960 · days_i.
    s = scenario(DEFAULT.format(months=12, q="0.5", paths=200))
    pi = 1.0 - 0.5 ** (1.0 / 12.0)
    eq(ref.risk_used(s)["f"]["pi"], pi, "π for q = 0.5")
    full = raw(scenario(DEFAULT.format(months=12, q=0, paths=1))).sites[1]["npv"]["ai"][0]
    days = [28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31, 31]   # 2026-02 … 2027-01
    r = raw(s)
    ended = 0
    for k, got in enumerate(r.sites[1]["npv"]["ai"]):
        end = next((i for i in range(12) if ref.sm_uniform(ref.sm_word(0, k, 4, i)) < pi), None)
        lost = 0 if end is None else sum(100000 - 960 * d for d in days[end + 1:])
        ended += end is not None and end < 11
        if got != full - lost:
            check(False, f"q = 0.5 path {k}: AI NPV {got}, want {full - lost} (lease end {end})")
            break
    else:
        check(True, "q = 0.5: every path's AI NPV from its lease end")
    # P(no default in 11 months) = 0.5^(11/12) ≈ 0.53: about 94 of 200 end early
    check(60 < ended < 130, f"q = 0.5: {ended} of 200 leases end before the last month")


# ---------------------------------------------------------------- 5. statistics

def test_statistics():
    xs = [D(v) for v in (7, -3, 10, 1, 4, 2, 9, 5, 8, 6)]   # sorted: -3 1 2 4 5 6 7 8 9 10
    srt = sorted(xs)
    # nearest rank: max(1, ceil(q · 10)): P5 → 1st, P25 → 3rd, P50 → 5th, P75 → 8th, P95 → 10th
    eq(ref.stat_quantile(srt, 5), -3, "P5 of 10 = 1st smallest")
    eq(ref.stat_quantile(srt, 25), 2, "P25 of 10 = 3rd smallest")
    eq(ref.stat_quantile(srt, 50), 5, "P50 of 10 = 5th smallest")
    eq(ref.stat_quantile(srt, 75), 8, "P75 of 10 = 8th smallest")
    eq(ref.stat_quantile(srt, 95), 10, "P95 of 10 = 10th smallest")
    eq(ref.stat_cvar5(srt), -3, "CVaR5 of 10 = the 1 smallest")
    eq(ref.stat_mean(xs), "4.9", "mean 49 / 10")
    # Σ(x − 4.9)² = Σx² − 10 · 4.9² = 385 − 240.1 = 144.9; / 9 = 16.1; / 10 = 1.61; √ = 1.268858…
    eq(ref.q(ref.stat_se(xs), 6), "1.268858", "se = √(144.9 / 9 / 10)")
    eq(ref.stat_se([D(5)]), None, "se of one path: null")
    eq([ref.nearest_rank(n, 5) for n in (1, 19, 20, 21, 100, 101)], [1, 1, 1, 2, 5, 6],
       "ranks of P5: max(1, ceil(0.05 n))")
    eq([ref.nearest_rank(n, 50) for n in (1, 2, 3, 10, 11)], [1, 1, 2, 5, 6], "ranks of P50")
    eq([ref.nearest_rank(n, 95) for n in (1, 2, 20, 21)], [1, 2, 19, 20], "ranks of P95")
    ys = sorted(D(v) for v in range(1, 22))    # 21 values: CVaR5 of the 2 smallest
    eq(ref.stat_cvar5(ys), "1.5", "CVaR5 of 21 = mean of 2 smallest")
    st = ref.strategy_stats(xs, [None, 1, 2, None, 3, 4, 5, 6, 7, 8])
    eq(json.dumps(list(st)), json.dumps(list(ref.STRATEGY_STATS)), "strategy keys in order")
    eq(st["p_npv_positive"], "0.9000", "p_npv_positive: 9 of 10 > 0")
    eq(st["p_payback"], "0.8000", "p_payback: 8 of 10 not null")
    eq(st["npv_se_usd"], "1.27", "se to 2 decimals")
    zero = ref.strategy_stats([D(0), D(1)], [0, 0])
    eq(zero["p_npv_positive"], "0.5000", "an NPV of exactly 0 is not positive")
    adv = [D(v) for v in (-5, 1, 2, -1, 3, 0, -2, -4, -3, -6)]   # 3 of 10 above 0
    c = ref.comparison_stats(adv)
    eq(c["p_ai_beats_mine"], "0.3000", "p_ai_beats_mine 3 / 10")
    eq(c["p_ai_beats_mine_se"], "0.1449", "√(0.3 · 0.7 / 10) = 0.14491…")
    eq(c["advantage_mean_usd"], "-1.50", "advantage mean −15 / 10")
    eq((c["advantage_p5_usd"], c["advantage_p50_usd"], c["advantage_p95_usd"]),
       ("-6.00", "-2.00", "3.00"), "advantage P5, P50, P95 (1st, 5th, 10th)")
    eq(ref.comparison_stats([D(1)])["p_ai_beats_mine_se"], "0.0000", "p se of one path: 0")
    # money half-even: 0.125 → 0.12, 0.135 → 0.14; probabilities to 4
    eq(ref.strategy_stats([D("0.125")], [None])["npv_mean_usd"], "0.12", "half-even 0.125")
    eq(ref.strategy_stats([D("0.135")], [None])["npv_mean_usd"], "0.14", "half-even 0.135")
    eq(ref.q(ref.share(2, 3), 4), "0.6667", "2 / 3 to 4 decimals")


# ---------------------------------------------------------------- 6. command line

def cli(args):
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        code = ref.main(args)
    return code, out.getvalue(), err.getvalue()


def test_cli():
    with tempfile.TemporaryDirectory() as d:
        p = os.path.join(d, "default.toml")
        with open(p, "w") as f:
            f.write(DEFAULT.format(months=12, q="0.20", paths=7).replace(
                "[risk]\n", "[risk]\nprice_vol_annual = 0.50\nseed = 9\n"))
        code, out, err = cli(["simulate", p, "--format", "json"])
        eq(code, 0, f"simulate exit code ({err})")
        o = json.loads(out)
        eq(list(o), ["scenario", "paths", "seed", "generator", "risk", "sites"], "top keys")
        eq((o["paths"], o["seed"], o["generator"]), (7, 9, "hashpivot-sm64-v1"), "paths, seed, generator from [risk]")
        check('"risk": {"price_vol_annual": 0.5, "hashrate_vol_annual": 0, "price_hashrate_corr": 0, '
              '"gpu_hour_vol_annual": 0, "lease_default_annual": 0.2}' in out, "risk as used, normalized")
        eq(list(o["sites"][0]), ["name", "mine"], "a site with mining only: no ai, no comparison")
        eq(list(o["sites"][1]), ["name", "mine", "ai", "p_ai_beats_mine", "p_ai_beats_mine_se",
                                 "advantage_mean_usd", "advantage_p5_usd", "advantage_p50_usd",
                                 "advantage_p95_usd"], "site keys")
        eq(list(o["sites"][1]["ai"]), list(ref.STRATEGY_STATS), "strategy keys")
        money = re.findall(r'"(?:npv|advantage)_[a-z0-9]+_usd": (-?[0-9.]+)[,}]', out)
        probs = re.findall(r'"p_[a-z_]+": (-?[0-9.]+)[,}]', out)
        check(len(money) == 8 * 3 + 4 and all(re.fullmatch(r"-?\d+\.\d\d", m) for m in money),
              f"money written with 2 decimals: {money}")
        check(len(probs) == 2 * 3 + 2 and all(re.fullmatch(r"\d\.\d{4}", m) for m in probs),
              f"probabilities written with 4 decimals: {probs}")
        rec = os.path.join(d, "rec.csv")
        code, out2, _ = cli(["simulate", p, "--paths", "5", "--seed", "18446744073709551615",
                             "--records", rec])
        o2 = json.loads(out2)
        eq((o2["paths"], o2["seed"]), (5, 2**64 - 1), "--paths/--seed win over [risk]")
        with open(rec) as f:
            rows = list(csv.reader(f))
        eq(rows[0], ["path", "site", "mine_npv_usd", "ai_npv_usd", "mine_payback_months",
                     "ai_payback_months"], "records header")
        eq(len(rows), 1 + 5 * 2, "records: one line per path and site")
        eq(rows[1][:2] + rows[1][3:4] + rows[1][5:], ["0", "mining only", "", ""], "absent strategy: empty")
        s = ref.load(p)
        r = ref.simulate_raw(s, 5, 2**64 - 1)
        eq(D(rows[4][3]), r.sites[1]["npv"]["ai"][1], "records carry the unrounded NPV")
        check(len(rows[4][3]) > 30, "records: unrounded (many digits)")
        code, _, err = cli(["simulate", p, "--paths", "0"])
        eq(code, 2, "--paths 0 is an error")
        f1 = os.path.join(os.path.dirname(HERE), "scenarios", "lake-mariner.toml")
        code, out, err = cli(["simulate", f1])
        eq((code, out), (2, ""), "a format-1 file: exit 2, nothing printed")
        check("format-2" in err, f"the error says a format-2 file is needed: {err.strip()}")


# ---------------------------------------------------------------- speed
# 200 paths of a 60-month site with two fleet rows, four power blocks, every
# σ, a lease default and keep_mining: well under a minute (the brief).

def test_speed():
    s = scenario(DEFAULT.format(months=60, q="0.05", paths=200).replace(
        "[risk]\n", "[risk]\nprice_vol_annual = 0.6\nhashrate_vol_annual = 0.3\n"
        "price_hashrate_corr = 0.5\n").replace(
        'hashrate_ths = 100000\nefficiency_j_per_th = 20\nopex_usd_per_month = 10000\n'
        'shutdown = "never"',
        'opex_usd_per_month = 10000\n[[site.mining.fleet]]\nmodel = "a"\ncount = 600\nths = 100\n'
        'j_per_th = 20\n[[site.mining.fleet]]\nmodel = "b"\ncount = 500\nths = 140\nj_per_th = 30'))
    t0 = time.monotonic()
    ref.simulate(s)
    dt = time.monotonic() - t0
    check(dt < 20, f"200 paths of 60 months took {dt:.1f} s")
    return dt


def main():
    t0 = time.monotonic()
    test_generator()
    test_statistics()
    test_default()
    test_cli()
    test_zero_volatility()
    test_closed_form()
    dt = test_speed()
    print(f"{CHECKS} checks, {len(FAILS)} failed ({time.monotonic() - t0:.1f} s; "
          f"200 x 60-month paths in {dt:.1f} s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
