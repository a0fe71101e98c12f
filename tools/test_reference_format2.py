#!/usr/bin/env python3
"""Self-test of the format-2 part of tools/reference.py (docs/model.md,
"Scenario format 2").

Part 1: hand-worked scenarios; every expected number is worked out by hand
in the comments beside it. Part 2: properties on generated format-2
scenarios (crosscheck.py --format2's generator): the piecewise-linear NPV
lines behind the breakeven and crossover agree with a direct re-evaluation
of the scenario at that BTC price, the breakeven price and the crossover
are where the directly evaluated NPV / NPV difference changes sign, and the
AI NPV is 0 at the breakeven rate. Part 3: format-2 key rules.

Usage: python3 tools/test_reference_format2.py [N generated scenarios, default 60]
Standard library only. Exit 0 when every check passes.
"""
import copy
import os
import random
import sys
import time
import tomllib
from decimal import Decimal as D

sys.dont_write_bytecode = True
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
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


# ---------------------------------------------------------------- network
# Every hand case: start 2026-02 (28 days, 672 hours), block_height 840,000
# (subsidy 3.125 BTC), 600 s blocks, no fees, no growth, BTC 100,000 USD,
# network 1,000 EH/s.
#   blocks in February = 28 · 86400 / 600 = 4032; R_0 = 4032 · 3.125 = 12,600 BTC
#   March (31 days, 744 h): 4464 blocks, R_1 = 13,950 BTC
#   hashprice_0 = (12600 / 28) · 100000 / (1000 · 1000) = 45.0000
# One row: 1000 machines × 100 TH/s at 20 J/TH: T = 100,000 TH/s,
#   M = 100000 · 20 / 10^6 = 2 MW (pue 1, uptime 1, pool fee 0)
#   β_0 = T / (H · 10^6) · R_0 = 10^5 / 10^9 · 12600 = 1.26 BTC
#   v_0 = R_0 · P / (H · E · hours) = 12600 · 10^5 / (1000 · 20 · 672) = 93.75 USD/MWh
# Discount rate 0.12: d_0 = 1.12^(-1/12) = 1 / 1.009488792934583...
HEAD = """format = 2
name = "{name}"
start = "2026-02"
months = {months}
discount_rate = 0.12
{top}
[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 840000

[[site]]
name = "A"
grid_mw = 10
{power}
[site.mining]
shutdown = "{shutdown}"
opex_usd_per_month = {opex}
capex_usd = {capex}
demand_response_usd_per_mw_month = {dr}
exit_multiple = {exit}
[[site.mining.fleet]]
model = "M"
count = 1000
ths = 100
j_per_th = 20
"""
TWO_BLOCKS = """[[site.power_block]]
share = 0.75
price_usd_per_mwh = 40
[[site.power_block]]
share = 0.25
price_usd_per_mwh = 200
"""


def case(name, months=1, top="", power=TWO_BLOCKS, shutdown="economic", opex=0, capex=0,
         dr=0, exit=0, extra=""):
    s = scenario(HEAD.format(name=name, months=months, top=top, power=power, shutdown=shutdown,
                             opex=opex, capex=capex, dr=dr, exit=exit) + extra)
    ev = ref.evaluate(s)
    return ev.summary, ev


def hand_cases():
    # ---- Case 1: one month, one row, two blocks; runs in one, not the other.
    # v_0 = 93.75 >= 40 runs in block 1 (share 0.75); 93.75 < 200: off in block 2.
    #   x = 0.75; BTC = 1.26 · 0.75 = 0.945; BTC revenue = 0.945 · 100000 = 94,500
    #   demand response = 1000 USD/MW-month · 2 MW · 0.75 = 1,500; revenue_usd = 96,000.00
    #   power = 2 MW · 672 h · 1 · 0.75 · 40 = 40,320.00
    #   capex 50,000: CF_0 = 96000 − 40320 − 50000 = 5,680.00
    #   NPV = 5680 / 1.12^(1/12) = 5680 / 1.0094887929 = 5,626.61
    #   only one (positive) flow: IRR null, MIRR null (no negative flow), payback 0
    #   cost per BTC = 40320 / 0.945 = 42,666.67; all-in = 90320 / 0.945 = 95,576.72
    #   run_share = 2 · 672 · 0.75 / (2 · 672) = 0.7500
    # Breakeven price: row/block thresholds P* = price · H · E · hours / R:
    #   block 1: 40 · 1000 · 20 · 672 / 12600 = 42,666.67; block 2: 213,333.33.
    #   P < 42,666.67: CF = −50,000 (< 0); from 42,666.67 on:
    #   CF = 0.945 P − 40320 + 1500 − 50000 = 0.945 P − 88,820 = 0 at
    #   P = 93,989.42 (< 213,333.33, so on that piece).
    out, ev = case("one month two blocks", capex=50000, dr=1000)
    m = out["sites"][0]["mine"]
    eq(out["network"]["hashprice_usd_per_ph_day"], "45.0000", "case 1 hashprice")
    eq(m["btc_mined"], "0.94500000", "case 1 btc")
    eq(m["revenue_usd"], "96000.00", "case 1 revenue (DR included)")
    eq(m["demand_response_usd"], "1500.00", "case 1 demand response")
    eq(m["power_cost_usd"], "40320.00", "case 1 power")
    eq(m["net_cash_usd"], "5680.00", "case 1 net cash")
    eq(m["npv_usd"], "5626.61", "case 1 NPV")
    eq(m["irr"], None, "case 1 IRR")
    eq(m["mirr"], None, "case 1 MIRR")
    eq(m["payback_months"], 0, "case 1 payback")
    eq(m["cost_per_btc_usd"], "42666.67", "case 1 cost per BTC")
    eq(m["all_in_cost_per_btc_usd"], "95576.72", "case 1 all-in cost per BTC")
    eq(m["run_share"], "0.7500", "case 1 run share")
    eq(m["breakeven_btc_price_usd"], "93989.42", "case 1 breakeven inside a piece")
    eq(m["terminal_value_usd"], "0.00", "case 1 terminal value")
    eq(list(out)[-4:], ["format", "start", "discount_rate", "portfolio"], "case 1 top keys")
    eq(out["discount_rate"], "0.12", "case 1 discount rate")
    eq(list(m)[-4:], ["mirr", "demand_response_usd", "terminal_value_usd", "run_share"],
       "case 1 mine keys")

    # ---- Case 2: breakeven at a breakpoint (a demand-response jump), and a crossover.
    # Case 1 with capex 1,000. P < 42,666.67: CF = −1,000 < 0. At P* = 42,666.67
    # block 1 starts to run: its BTC revenue 0.945 · P* = 40,320 equals its power,
    # and it earns DR 1,500, so CF jumps to −1000 + 1500 = +500 >= 0:
    # breakeven = P* = 42,666.666… → 42666.67.
    # AI: colocation 1 MW at 10 USD/kW-month, built at once, no capex, pass-through:
    # CF_ai = 1 · 1000 · 10 = 10,000.
    # D(P)/d_0 = 10000 − CF_mine(P): 11,000 below P*, 9,500 at P*, then
    # 9500 − 0.945 (P − P*) = 0 at P = P* + 9500 / 0.945 = 42,666.67 + 10,052.91
    # = 52,719.58 (σ0 = +, the crossover). At P = 100,000:
    # CF_mine = 94500 − 40320 + 1500 − 1000 = 54,680 > 10,000: winner mine,
    # npv_advantage = 44,680 / 1.0094887929 = 44,260.03.
    # AI breakeven rate: NPV_ai = d_0 · 1000 · rate = 0 at rate 0.0000.
    ai = """
[site.ai]
kind = "colocation"
it_mw = 1
lease_usd_per_kw_month = 10
"""
    out, ev = case("breakeven at a breakpoint", capex=1000, dr=1000, extra=ai)
    site = out["sites"][0]
    eq(site["mine"]["breakeven_btc_price_usd"], "42666.67", "case 2 breakeven at a breakpoint")
    eq(site["crossover_btc_price_usd"], "52719.58", "case 2 crossover")
    eq(site["winner"], "mine", "case 2 winner")
    eq(site["npv_advantage_usd"], "44260.03", "case 2 advantage")
    eq(site["ai"]["breakeven_rate"], "0.0000", "case 2 breakeven rate")
    eq(site["ai"]["run_share"], None, "case 2 ai run share")
    eq(site["ai"]["start"], "2026-02", "case 2 ai start")
    eq(list(site["ai"])[-7:], ["mirr", "start", "fleet_sale_usd", "demand_response_usd",
                               "terminal_value_usd", "run_share", "kept_hashrate_ths"],
       "case 2 ai keys")
    # the breakeven at P* exactly: the unrounded root is the threshold itself
    be = ev.detail[(0, "mine", "breakeven")]
    check(abs(be - D(537600000) / 12600) < D("1e-40"), f"case 2 breakeven exactly P*: {be}")

    # ---- Case 3: terminal value and MIRR (two months, shutdown never, flat 40).
    #   Feb: revenue 1.26 · 100000 = 126,000; power 2 · 672 · 40 = 53,760; opex 10,000
    #        EBITDA_0 = 62,240
    #   Mar: revenue 1.395 · 100000 = 139,500; power 2 · 744 · 40 = 59,520; opex 10,000
    #        EBITDA_1 = 69,980
    #   w = min(12, 2) = 2: EBITDA = (62240 + 69980) · 12 / 2 = 793,320
    #   terminal value = 3 · 793,320 = 2,379,960.00 (added to month 1's cash flow)
    #   capex 2,512,180: CF_0 = 62240 − 2512180 = −2,449,940;
    #   CF_1 = 69980 + 2379960 = +2,449,940
    #   net cash 0.00; IRR 0.000000 (NPV at r = 0 is exactly 0); payback 2
    #   (C_1 < 0, C_2 = 0)
    #   MIRR = (FV+ / −PV−)^(12/2) − 1 = (2449940 / (2449940 / 1.12^(1/12)))^6 − 1
    #        = 1.12^(1/2) − 1 = 0.0583005 → 0.058301
    #   revenue_usd excludes the terminal value: 126,000 + 139,500 = 265,500.00
    # AI: colocation, build 1 month, exit multiple 5: go-live L = 1 > months − w
    # = 0, so its terminal value is 0.00.
    ai3 = """
[site.ai]
kind = "colocation"
it_mw = 1
lease_usd_per_kw_month = 100
build_months = 1
conversion_capex_usd = 1000000
exit_multiple = 5
"""
    out, ev = case("terminal value and MIRR", months=2, power="power_price_usd_per_mwh = 40",
                   shutdown="never", opex=10000, capex=2512180, exit=3, extra=ai3)
    m = out["sites"][0]["mine"]
    eq(m["terminal_value_usd"], "2379960.00", "case 3 terminal value")
    eq(m["revenue_usd"], "265500.00", "case 3 revenue excludes the terminal value")
    eq(m["net_cash_usd"], "0.00", "case 3 net cash")
    eq(m["irr"], "0.000000", "case 3 IRR")
    eq(m["mirr"], "0.058301", "case 3 MIRR")
    eq(m["payback_months"], 2, "case 3 payback")
    eq(m["run_share"], "1.0000", "case 3 run share (never)")
    eq(m["demand_response_usd"], "0.00", "case 3 no DR under never")
    eq(out["sites"][0]["ai"]["terminal_value_usd"], "0.00", "case 3 AI not live for the window")

    # ---- Case 4: inflation and power escalator (13 months from 2026-01, never).
    #   2026: 365 days = 8,760 h at 40: 2 MW · 8760 · 40 = 700,800
    #   Jan 2027 (i = 12): price 40 · 1.5 = 60: 2 · 744 · 60 = 89,280
    #   power = 790,080.00; opex = 12 · 10,000 + 10,000 · 1.1 = 131,000.00
    s = scenario(HEAD.format(name="escalators", months=13, top="inflation_annual = 0.1",
                             power="power_price_usd_per_mwh = 40\npower_escalator_annual = 0.5",
                             shutdown="never", opex=10000, capex=0, dr=0, exit=0)
                 .replace('start = "2026-02"', 'start = "2026-01"'))
    m = ref.evaluate(s).summary["sites"][0]["mine"]
    eq(m["power_cost_usd"], "790080.00", "case 4 escalated power")
    eq(m["opex_usd"], "131000.00", "case 4 inflated opex")

    # ---- Case 5: a negative-price block.
    # Blocks 0.5 @ −20 and 0.5 @ 500, one month (Feb):
    #   economic: runs at −20 (v = 93.75 >= −20), off at 500:
    #     power = 2 · 672 · 0.5 · (−20) = −13,440.00; BTC 0.63; run share 0.5000
    #   never: power = 2 · 672 · (0.5 · (−20) + 0.5 · 500) = 1344 · 240 = 322,560.00
    neg = """[[site.power_block]]
share = 0.5
price_usd_per_mwh = -20
[[site.power_block]]
share = 0.5
price_usd_per_mwh = 500
"""
    m = case("negative block", power=neg)[0]["sites"][0]["mine"]
    eq(m["power_cost_usd"], "-13440.00", "case 5 economic power")
    eq(m["btc_mined"], "0.63000000", "case 5 economic BTC")
    eq(m["run_share"], "0.5000", "case 5 run share")
    # breakeven: at P = 0 the row already runs in the −20 block and earns
    # 13,440 with no opex or capex: NPV(0) >= 0, so 0.00.
    eq(m["breakeven_btc_price_usd"], "0.00", "case 5 breakeven 0")
    m = case("negative block never", power=neg, shutdown="never")[0]["sites"][0]["mine"]
    eq(m["power_cost_usd"], "322560.00", "case 5 never power")

    # ---- Case 6: a tie runs. Block price exactly v_0 = 93.75: runs (x = 1).
    m = case("tie", power="power_price_usd_per_mwh = 93.75")[0]["sites"][0]["mine"]
    eq(m["run_share"], "1.0000", "case 6 a tie runs")


# ---------------------------------------------------------------- properties

def at_price(s, p):
    t = copy.deepcopy(s)
    t["bitcoin"]["price_usd"] = p
    return ref.evaluate(t)


def properties(n):
    rng = random.Random(2024)
    for k in range(n):
        text = crosscheck.generate_format2(rng, k)
        s = scenario(text)
        ev = ref.evaluate(s)
        for si, site in enumerate(s["site"]):
            tag = f"generated {k} site {si}"
            line = ev.detail[(si, "mine", "line")]
            p0 = ref.dec(s["bitcoin"]["price_usd"])
            npv0 = ev.detail[(si, "mine", "npv")]
            scale = max(D(1), abs(npv0)) * D("1e-30")
            check(abs(ref.line_value(line, p0) - npv0) <= scale,
                  f"{tag}: NPV line at the scenario price {ref.line_value(line, p0)} != {npv0}")
            for p in (p0 * D(rng.random()) * 3, p0 / 7, p0 * 2):
                p = p.quantize(D("0.01"))
                direct = at_price(s, p).detail[(si, "mine", "npv")]
                check(abs(ref.line_value(line, p) - direct) <= max(D(1), abs(direct)) * D("1e-30"),
                      f"{tag}: NPV line at {p}: {ref.line_value(line, p)} != direct {direct}")
            be = ev.detail[(si, "mine", "breakeven")]
            if be is not None and be < D(10) ** 12:
                hi = at_price(s, be * (1 + D("1e-12")) + D("1e-12")).detail[(si, "mine", "npv")]
                check(hi >= -scale, f"{tag}: NPV just above the breakeven {be} is {hi}")
                if be > 0:
                    lo = at_price(s, be * (1 - D("1e-12"))).detail[(si, "mine", "npv")]
                    check(lo < 0, f"{tag}: NPV just below the breakeven {be} is {lo}")
            if (si, "diff", "line") in ev.detail:
                dline = ev.detail[(si, "diff", "line")]
                adv = ev.detail[(si, "diff", "npv")]
                check(abs(ref.line_value(dline, p0) - adv) <= max(D(1), abs(adv)) * D("1e-30"),
                      f"{tag}: D line at the scenario price")
                x = ev.detail[(si, "diff", "crossover")]
                if x is not None and x < D(10) ** 12:
                    before = at_price(s, x * (1 - D("1e-12"))).detail[(si, "diff", "npv")]
                    after = at_price(s, x * (1 + D("1e-12"))).detail[(si, "diff", "npv")]
                    check(ref.sign(before) != ref.sign(after) and ref.sign(after) != 0,
                          f"{tag}: D does not change sign at the crossover {x}: {before}, {after}")
            r = ev.detail.get((si, "ai", "breakeven_rate"))
            if r is not None:
                t = copy.deepcopy(s)
                a = t["site"][si]["ai"]
                a["lease_usd_per_kw_month" if a["kind"] == "colocation" else "gpu_hour_usd"] = r
                v = ref.evaluate(t).detail[(si, "ai", "npv")]
                check(abs(v) < D("1e-6") * max(D(1), abs(ev.detail[(si, "ai", "npv")])),
                      f"{tag}: AI NPV at the breakeven rate {r} is {v}")


def key_rules():
    base = HEAD.format(name="rules", months=1, top="", power=TWO_BLOCKS, shutdown="economic",
                       opex=0, capex=0, dr=0, exit=0)
    bad = {
        "shares not summing to 1": base.replace("share = 0.25", "share = 0.2"),
        "both power forms": base.replace("[[site.power_block]]", "power_price_usd_per_mwh = 3\n"
                                         "[[site.power_block]]", 1),
        "format-2 key in format 1": base.replace("format = 2", "format = 1"),
        "bad shutdown": base.replace('"economic"', '"sometimes"'),
        "risk out of range": base.replace("discount_rate = 0.12", "discount_rate = 0.12\n"
                                          "[risk]\nprice_hashrate_corr = 1.5"),
    }
    for what, text in bad.items():
        try:
            ref.evaluate(scenario(text))
            check(False, f"rule: {what} accepted")
        except ref.ScenarioError:
            check(True, what)
    ok = base.replace("discount_rate = 0.12", "discount_rate = 0.12\n[risk]\npaths = 5\nseed = 3")
    check(ref.evaluate(scenario(ok)).summary is not None, "a valid [risk] is accepted and ignored")


def main():
    n = int(sys.argv[1]) if len(sys.argv) > 1 else 60
    t0 = time.monotonic()
    hand_cases()
    key_rules()
    properties(n)
    print(f"{CHECKS} checks, {len(FAILS)} failed ({n} generated scenarios, "
          f"{time.monotonic() - t0:.1f} s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
