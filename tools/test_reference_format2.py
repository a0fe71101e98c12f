#!/usr/bin/env python3
"""Self-test of the format-2 part of tools/reference.py (docs/model.md,
"Scenario format 2").

Part 1: hand-worked scenarios; every expected number is worked out by hand
in the comments beside it (partial_conversion_cases: a later
`site.ai.start`, `fleet_sale_usd` with and without mine_during_build,
`keep_mining` with fleet rows and with the single form, the `conversion`
and `portfolio` blocks). Part 2: properties on generated format-2
scenarios (crosscheck.py --format2's generator): the piecewise-linear NPV
lines behind the breakeven and crossover agree with a direct re-evaluation
of the scenario at that BTC price, the breakeven price and the crossover
are where the directly evaluated NPV / NPV difference changes sign, the
AI NPV is 0 at the breakeven rate and equals the mine NPV at the
conversion block's breakeven rate (the generated scenarios start later,
sell the fleet and keep mining at some sites). Part 3: format-2 key rules.

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


# ---------------------------------------------------------------- partial conversion
# docs/model.md, "Strategy `ai` in format 2". Network as above (start 2026-02,
# BTC 100,000, 1,000 EH/s, 3.125 BTC, no fees); discount_rate 0, so every NPV
# is the sum of the cash flows. Months: Feb 28 d (672 h), Mar 31 (744 h),
# Apr 30 (720 h), May 31, Jun 30, Jul 31.
#   R_i = days · 144 · 3.125 = 450 · days BTC; BTC per TH/s = R_i / 10^9.
# One row 1000 × 100 TH/s at 20 J/TH (M = 2 MW), flat 40 USD/MWh, opex 10,000:
#   v = 93.75 USD/MWh ≥ 40: runs every month (economic, no demand response)
#   revenue 100,000 TH/s · 450 · days / 10^9 · 100,000 = 4,500 · days
#   power 2 · 24 · days · 40 = 1,920 · days; EBITDA_i = 2,580 · days − 10,000
#   Feb 62,240; Mar 69,980; Apr 67,400; May 69,980; Jun 67,400; Jul 69,980
#   mine: capex 50,000 in month 0: net = 406,980 − 50,000 = 356,980
# AI: colocation 1 MW at 200 USD/kW-month (200,000 a month), pass-through,
#   opex 5,000, build 1 month, conversion capex 300,000.
LATE = """format = 2
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
conversion_capex_usd = 300000
exit_multiple = {exit}
{ai}
"""

# Two rows for keep_mining, the worse one first in the file:
#   "old" 1000 × 100 TH/s at 20 J/TH: m = 100 · 20 / 10^6 = 0.002 MW a machine, 2 MW
#   "new" 1000 × 100 TH/s at 10 J/TH: m = 0.001 MW a machine, 1 MW
#   full meter load 3 MW (pue 1); mining opex 30,000; demand response 1,000/MW-month
#   v_old = 93.75, v_new = 187.5 USD/MWh: both run at 40 (economic)
# AI: colocation it_mw {it}, pue 1, 100 USD/kW-month, opex 5,000, no build, no capex.
KEEP = """format = 2
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
grid_mw = {grid}
power_price_usd_per_mwh = 40
[site.mining]
opex_usd_per_month = 30000
capex_usd = 50000
demand_response_usd_per_mw_month = 1000
[[site.mining.fleet]]
model = "old"
count = 1000
ths = 100
j_per_th = 20
[[site.mining.fleet]]
model = "new"
count = 1000
ths = 100
j_per_th = 10
[site.ai]
kind = "colocation"
it_mw = {it}
lease_usd_per_kw_month = 100
opex_usd_per_month = 5000
keep_mining = true
fleet_sale_usd = 250000
{ai}
"""


def run2(template, **kw):
    return ref.evaluate(scenario(template.format(**kw))).summary


def partial_conversion_cases():
    # ---- L1: start 3 months later (s = 3, May), build 1 (May), live Jun, Jul (L = 4).
    #   ai CF: Feb 62,240, Mar 69,980, Apr 67,400 (mining as strategy mine,
    #   without its capex), May −300,000 (build, not mining), Jun 195,000,
    #   Jul 195,000 (200,000 − 5,000); net = 199,620 − 300,000 + 390,000 = 289,620
    #   revenue 4,500 · 89 + 400,000 = 800,500; power 1,920 · 89 = 170,880;
    #   opex 30,000 + 10,000 = 40,000; capex 300,000; BTC 100,000 · 450 · 89 / 10^9 = 4.005
    #   payback: C = 0, 62240, 132220, 199620, −100380, 94620, 289620 → 5
    #   IRR null (first flow positive); MIRR (r = 0) = (589,620 / 300,000)^(12/6) − 1
    #   = 1.9654² − 1 = 2.86279716 → 2.862797
    #   breakeven rate: NPV = 289,620 − 400,000 + 2 · 1000 · rate = 0 → 55.19
    #   mine 356,980 > 289,620: winner mine by 67,360.00
    #   crossover: the months before the start cancel month by month; ΔCF(P):
    #   Feb +50,000 (mine's capex), May −300,000 − EBITDA_May(P), Jun and Jul
    #   195,000 − EBITDA(P). Mining runs from P* = 40 · 1000 · 20 · 24 / 450 = 42,666.67
    #   (below it EBITDA = −10,000 each month): D = 170,000 > 0 below P*, and above
    #   D(P) = 140,000 − Σ_{May..Jul} (0.045 · days · P − 1,920 · days − 10,000)
    #        = 140,000 − 4.14 P + 176,640 + 30,000 = 346,640 − 4.14 P
    #   = 0 at P = 83,729.468… → 83729.47 (D(100,000) = −67,360, as above)
    #   conversion: ΔCF = 50,000, 0, 0, −369,980, 127,600, 125,020 (sum −67,360)
    #     IRR null (first non-zero positive); payback null (C_6 < 0)
    #     MIRR = (302,620 / 369,980)² − 1 = 0.8179361² − 1 = −0.3309805 → −0.330981
    #     breakeven rate: −110,380 + 2000 · rate = 356,980 → 233.68
    out = run2(LATE, name="late start", months=6, lease=200, build=1, exit=0,
               ai='start = "2026-05"')
    site = out["sites"][0]
    a = site["ai"]
    for k, v in dict(revenue_usd="800500.00", power_cost_usd="170880.00", opex_usd="40000.00",
                     capex_usd="300000.00", net_cash_usd="289620.00", npv_usd="289620.00",
                     irr=None, payback_months=5, btc_mined="4.00500000",
                     breakeven_rate="55.1900", go_live="2026-06", mirr="2.862797",
                     start="2026-05", fleet_sale_usd="0.00", demand_response_usd="0.00",
                     terminal_value_usd="0.00", run_share="1.0000",
                     kept_hashrate_ths=None).items():
        eq(a[k], v, f"L1 ai {k}")
    eq(site["mine"]["net_cash_usd"], "356980.00", "L1 mine net cash")
    eq(site["winner"], "mine", "L1 winner")
    eq(site["npv_advantage_usd"], "67360.00", "L1 advantage")
    eq(site["crossover_btc_price_usd"], "83729.47", "L1 crossover")
    c = site["conversion"]
    eq(list(c), ["npv_usd", "irr", "mirr", "payback_months", "breakeven_rate"], "L1 conversion keys")
    eq(c["npv_usd"], "-67360.00", "L1 conversion NPV")
    eq(c["irr"], None, "L1 conversion IRR")
    eq(c["mirr"], "-0.330981", "L1 conversion MIRR")
    eq(c["payback_months"], None, "L1 conversion payback")
    eq(c["breakeven_rate"], "233.6800", "L1 conversion breakeven rate")
    eq(out["portfolio"], {"mine_npv_usd": "356980.00", "ai_npv_usd": "289620.00",
                          "best_npv_usd": "356980.00", "convert": []}, "L1 portfolio")

    # ---- L2: L1 plus fleet_sale_usd = 1,000,000, no mine_during_build: received
    #   in month s (May): CF_May = −300,000 + 1,000,000 = +700,000
    #   net = 289,620 + 1,000,000 = 1,289,620; revenue still 800,500 (not revenue)
    #   payback 0 (C = 0, 62240, 132220, 199620, 899620, 1094620, 1289620 all ≥ 0)
    #   breakeven rate: 1,289,620 − 400,000 + 2000 · rate = 0 → −444.81 (negative:
    #   the mining before the start and the sale pay for the conversion)
    #   crossover: D(P) = 1,346,640 − 4.14 P above P* (1,170,000 below) → 325,275.3623 → 325275.36
    #   conversion NPV 1,289,620 − 356,980 = 932,640; winner ai; portfolio convert ["A"]
    out = run2(LATE, name="sale at start", months=6, lease=200, build=1, exit=0,
               ai='start = "2026-05"\nfleet_sale_usd = 1000000')
    site = out["sites"][0]
    eq(site["ai"]["fleet_sale_usd"], "1000000.00", "L2 fleet sale")
    eq(site["ai"]["revenue_usd"], "800500.00", "L2 the sale is not revenue")
    eq(site["ai"]["net_cash_usd"], "1289620.00", "L2 net cash")
    eq(site["ai"]["payback_months"], 0, "L2 payback")
    eq(site["ai"]["breakeven_rate"], "-444.8100", "L2 breakeven rate")
    eq(site["crossover_btc_price_usd"], "325275.36", "L2 crossover")
    eq(site["conversion"]["npv_usd"], "932640.00", "L2 conversion NPV")
    eq(site["winner"], "ai", "L2 winner")
    eq(out["portfolio"]["best_npv_usd"], "1289620.00", "L2 portfolio best")
    eq(out["portfolio"]["convert"], ["A"], "L2 portfolio convert")

    # ---- L3: L2 with mine_during_build: the sale comes in month L (June), and
    #   May (the build month) mines too (EBITDA 69,980):
    #   CF: 62,240, 69,980, 67,400, 69,980 − 300,000 = −230,020,
    #       195,000 + 1,000,000 = 1,195,000, 195,000
    #   net = 289,620 + 69,980 + 1,000,000 = 1,359,600
    #   revenue 4,500 · 120 + 400,000 = 940,000; power 1,920 · 120 = 230,400;
    #   opex 4 · 10,000 + 2 · 5,000 = 50,000; BTC 0.045 · 120 = 5.4
    #   payback: C_4 = 199,620 − 230,020 = −30,400 < 0, C_5 on ≥ 0 → 5
    out = run2(LATE, name="sale at go-live", months=6, lease=200, build=1, exit=0,
               ai='start = "2026-05"\nfleet_sale_usd = 1000000\nmine_during_build = true')
    a = out["sites"][0]["ai"]
    eq(a["fleet_sale_usd"], "1000000.00", "L3 fleet sale")
    eq(a["net_cash_usd"], "1359600.00", "L3 net cash")
    eq(a["revenue_usd"], "940000.00", "L3 revenue")
    eq(a["opex_usd"], "50000.00", "L3 opex")
    eq(a["btc_mined"], "5.40000000", "L3 BTC")
    eq(a["payback_months"], 5, "L3 payback")
    check(ref.evaluate(scenario(LATE.format(
        name="sale at go-live", months=6, lease=200, build=1, exit=0,
        ai='start = "2026-05"\nfleet_sale_usd = 1000000\nmine_during_build = true')))
          .cashflows[(0, "ai")][5 - 1] == D(1195000), "L3 the sale is in June")

    # ---- L4: build 3 from May (L = 6 = months): never live.
    #   with mine_during_build the sale month L is outside the horizon: not received;
    #   all 6 months mine, capex 100,000 in May, Jun, Jul: net 406,980 − 300,000 = 106,980
    #   without it the sale comes in month s (May) all the same:
    #   net = 199,620 − 300,000 + 1,000,000 = 899,620
    a = run2(LATE, name="never live", months=6, lease=200, build=3, exit=0,
             ai='start = "2026-05"\nfleet_sale_usd = 1000000\nmine_during_build = true'
             )["sites"][0]["ai"]
    eq(a["fleet_sale_usd"], "0.00", "L4 sale beyond the horizon")
    eq(a["net_cash_usd"], "106980.00", "L4 net cash")
    eq(a["go_live"], None, "L4 go-live null")
    eq(a["breakeven_rate"], None, "L4 breakeven rate null (never live)")
    a = run2(LATE, name="never live", months=6, lease=200, build=3, exit=0,
             ai='start = "2026-05"\nfleet_sale_usd = 1000000')["sites"][0]["ai"]
    eq(a["fleet_sale_usd"], "1000000.00", "L4 sale in month s")
    eq(a["net_cash_usd"], "899620.00", "L4 net cash without mining during the build")

    # ---- L5: AI terminal value and the start. 14 months (Feb 2026 … Mar 2027),
    #   w = 12, build 0, exit multiple 10: the window is months 2 … 13.
    #   start 2026-03 (s = 1, L = 1 ≤ 14 − 12 = 2): the window is all AI,
    #   EBITDA = 195,000 · 12 · 12 / 12 = 2,340,000 → TV = 23,400,000.00
    #   start 2026-05 (s = 3, L = 3 > 2): TV 0.00
    a = run2(LATE, name="tv", months=14, lease=200, build=0, exit=10,
             ai='start = "2026-03"')["sites"][0]["ai"]
    eq(a["terminal_value_usd"], "23400000.00", "L5 TV when live for the window")
    a = run2(LATE, name="tv", months=14, lease=200, build=0, exit=10,
             ai='start = "2026-05"')["sites"][0]["ai"]
    eq(a["terminal_value_usd"], "0.00", "L5 no TV when go-live is after months − w")

    # ---- K1: keep_mining, two rows. grid 3.0015, AI load 1 · 1 = 1 MW:
    #   C = 3.0015 − 1 = 2.0015. Best first: "new" (10 J/TH) although second in
    #   the file: n = min(1000, floor(2.0015 / 0.001) = 2001) = 1000, C_left 1.0015;
    #   "old": n = min(1000, floor(1.0015 / 0.002) = floor(500.75) = 500), C_left 0.0015.
    #   kept = 1000 · 100 + 500 · 100 = 150,000 TH/s (file order would keep
    #   1000 old + 1 new = 100,100), kept load 1 + 1 = 2 MW of 3.
    #   Feb: BTC 150,000 · 12,600 / 10^9 = 1.89 → 189,000; power 2 · 672 · 40 = 53,760
    #   Mar: BTC 150,000 · 13,950 / 10^9 = 2.0925 → 209,250; power 2 · 744 · 40 = 59,520
    #   demand response 1,000 · 2 MW = 2,000 a month; mining opex 30,000 · 2/3 = 20,000
    #   AI 100,000 − 5,000 a month; fleet sale 250,000 in month s = 0 (as given, A17)
    #   revenue 189,000 + 209,250 + 4,000 + 200,000 = 602,250; power 113,280;
    #   opex 2 · 25,000 = 50,000; net 602,250 − 113,280 − 50,000 + 250,000 = 688,970
    #   mine (full fleet, 200,000 TH/s, 3 MW): revenue 252,000 + 279,000 + 6,000 = 537,000,
    #   power 3 · 1416 · 40 = 169,920, opex 60,000, capex 50,000: net 257,080
    out = run2(KEEP, name="keep two rows", months=2, grid="3.0015", it=1, ai="")
    site = out["sites"][0]
    a = site["ai"]
    for k, v in dict(kept_hashrate_ths="150000.0000", btc_mined="3.98250000",
                     revenue_usd="602250.00", power_cost_usd="113280.00", opex_usd="50000.00",
                     capex_usd="0.00", net_cash_usd="688970.00", fleet_sale_usd="250000.00",
                     demand_response_usd="4000.00", run_share="1.0000", go_live="2026-02",
                     start="2026-02").items():
        eq(a[k], v, f"K1 ai {k}")
    eq(site["mine"]["net_cash_usd"], "257080.00", "K1 mine net cash")

    # ---- K2: nothing fits. grid 3, it_mw 3: C = 0, kept 0.0000: no month is
    #   mined (no mining opex, run_share null, no BTC); AI 300,000 − 5,000 a month:
    #   net = 2 · 295,000 + 250,000 = 840,000
    a = run2(KEEP, name="keep none", months=2, grid=3, it=3, ai="")["sites"][0]["ai"]
    eq(a["kept_hashrate_ths"], "0.0000", "K2 kept")
    eq(a["run_share"], None, "K2 run share null")
    eq(a["btc_mined"], "0.00000000", "K2 BTC")
    eq(a["opex_usd"], "10000.00", "K2 opex: the AI's only")
    eq(a["net_cash_usd"], "840000.00", "K2 net cash")

    # ---- K3: a later start, mine_during_build and keep_mining together (3 months,
    #   start 2026-03, build 1, capex 100,000): Feb mines the whole fleet
    #   (before the start), Mar builds and mines the whole fleet, Apr (30 d, 720 h)
    #   is live with the kept 150,000 TH/s; the sale comes at L (April).
    #   Feb: 252,000 − 80,640 + 3,000 − 30,000 = 144,360
    #   Mar: 279,000 − 89,280 + 3,000 − 30,000 − 100,000 = 62,720
    #   Apr: BTC 150,000 · 13,500 / 10^9 = 2.025 → 202,500 − 57,600 (2 · 720 · 40)
    #        + 2,000 − 20,000 + 100,000 − 5,000 + 250,000 = 471,900
    #   net 678,980; BTC 2.52 + 2.79 + 2.025 = 7.335; demand response 8,000
    out = run2(KEEP, name="keep later", months=3, grid="3.0015", it=1,
               ai='start = "2026-03"\nbuild_months = 1\nconversion_capex_usd = 100000\n'
                  'mine_during_build = true')
    a = out["sites"][0]["ai"]
    eq(a["net_cash_usd"], "678980.00", "K3 net cash")
    eq(a["btc_mined"], "7.33500000", "K3 BTC")
    eq(a["demand_response_usd"], "8000.00", "K3 demand response")
    eq(a["go_live"], "2026-04", "K3 go-live")
    ev = ref.evaluate(scenario(KEEP.format(
        name="keep later", months=3, grid="3.0015", it=1,
        ai='start = "2026-03"\nbuild_months = 1\nconversion_capex_usd = 100000\n'
           'mine_during_build = true')))
    check(ev.cashflows[(0, "ai")] == [D(144360), D(62720), D(471900)],
          f"K3 cash flows: {ev.cashflows[(0, 'ai')]}")

    # ---- K4: keep_mining, the single form. 200,000 TH/s at 15 J/TH, mining pue 1.2:
    #   M = 200,000 · 15 / 10^6 · 1.2 = 3.6 MW. AI it_mw 1 at pue 1.5, grid 4:
    #   C = 4 − 1.5 = 2.5; T' = min(200,000, 2.5 · 10^6 / (15 · 1.2)) = 138,888.888…
    #   → 138888.8889; kept M' = 2.5 MW; opex 36,000 · 2.5 / 3.6 = 25,000
    #   one month (Feb): BTC 138,888.89 · 12,600 / 10^9 = 1.75 → 175,000
    #   v = 12,600 · 10^5 / (1000 · 15 · 1.2 · 672) = 104.17 ≥ 40: runs
    #   power 2.5 · 672 · 40 = 67,200; AI 100,000 (pass-through, no opex)
    #   net 175,000 + 100,000 − 67,200 − 25,000 = 182,800
    single = """format = 2
name = "keep single"
start = "2026-02"
months = 1
discount_rate = 0
[bitcoin]
price_usd = 100000
network_hashrate_ehs = 1000
block_height = 840000
[[site]]
name = "A"
grid_mw = 4
power_price_usd_per_mwh = 40
[site.mining]
hashrate_ths = 200000
efficiency_j_per_th = 15
pue = 1.2
opex_usd_per_month = 36000
[site.ai]
kind = "colocation"
it_mw = 1
pue = 1.5
lease_usd_per_kw_month = 100
keep_mining = true
"""
    a = ref.evaluate(scenario(single)).summary["sites"][0]["ai"]
    eq(a["kept_hashrate_ths"], "138888.8889", "K4 kept T'")
    eq(a["btc_mined"], "1.75000000", "K4 BTC")
    eq(a["power_cost_usd"], "67200.00", "K4 power")
    eq(a["opex_usd"], "25000.00", "K4 opex scaled by kept load")
    eq(a["net_cash_usd"], "182800.00", "K4 net cash")
    eq(a["fleet_sale_usd"], "0.00", "K4 no sale")


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
            r = ev.detail.get((si, "conversion", "breakeven_rate"))
            if r is not None:
                t = copy.deepcopy(s)
                a = t["site"][si]["ai"]
                a["lease_usd_per_kw_month" if a["kind"] == "colocation" else "gpu_hour_usd"] = r
                v = ref.evaluate(t).detail[(si, "diff", "npv")]
                size = max(D(1), abs(ev.detail[(si, "ai", "npv")]), abs(ev.detail[(si, "mine", "npv")]))
                check(abs(v) < D("1e-6") * size,
                      f"{tag}: NPV_ai − NPV_mine at the conversion breakeven rate {r} is {v}")


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
    late = LATE.format(name="rules", months=6, lease=200, build=1, exit=0, ai="{ai}")
    ai_only = late[:late.index("[site.mining]")] + late[late.index("[site.ai]"):]
    bad.update({
        "ai.start after the horizon": late.format(ai='start = "2026-08"'),
        "ai.start before start": late.format(ai='start = "2026-01"'),
        "ai.start not YYYY-MM": late.format(ai='start = "2026-13"'),
        "ai.start later without [site.mining]": ai_only.format(ai='start = "2026-03"'),
        "keep_mining without [site.mining]": ai_only.format(ai="keep_mining = true"),
        "fleet sale without [site.mining]": ai_only.format(ai="fleet_sale_usd = 1"),
        "negative fleet sale": late.format(ai="fleet_sale_usd = -1"),
    })
    check(ref.evaluate(scenario(late.format(ai='start = "2026-07"'))).summary is not None,
          "ai.start in the last month is accepted")
    check(ref.evaluate(scenario(ai_only.format(ai='start = "2026-02"'))).summary is not None,
          "ai.start = start needs no [site.mining]")
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
    partial_conversion_cases()
    key_rules()
    properties(n)
    print(f"{CHECKS} checks, {len(FAILS)} failed ({n} generated scenarios, "
          f"{time.monotonic() - t0:.1f} s)")
    return 1 if FAILS else 0


if __name__ == "__main__":
    sys.exit(main())
