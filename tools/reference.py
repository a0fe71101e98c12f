#!/usr/bin/env python3
"""An independent second implementation of the model, for cross-checking.

Written straight from the project's contract, docs/model.md (scenario
format 1: sections "Time grid", "Scenario file (TOML)", "Bitcoin network",
"Strategy `mine`", "Strategy `ai`", "Finance", "Precision and output" and
"Summary JSON"), not from the Rust code, with Python's decimal module at 60
significant digits. It prints the Summary JSON of one scenario;
`tools/crosscheck.py` compares it with `hashpivot run --format json`.
It does not validate format-1 input: feed it scenarios hashpivot accepts.

Scenario format 2 (docs/model.md, "Scenario format 2: what an operator
actually does") is computed in full, `site.ai.start`, `fleet_sale_usd`,
`keep_mining` and the `conversion` and `portfolio` blocks included; see the
block comment "Scenario format 2" below for the readings chosen where
docs/model.md is ambiguous (A1 …). `pivot` prints the JSON of docs/model.md,
"When to convert (`pivot`)", for format-1 and format-2 files alike (readings
A24 …); `tools/crosscheck.py --pivot` compares it with `hashpivot pivot FILE
--format json`. `--set KEY=VALUE` changes a value of the parsed file first
(README, "What-ifs"; the output does not list the overrides).
Exit 2 on a scenario error, 1 when a printed figure is beyond the decimal
range. Standard library only (Python 3.11+).

`simulate` prints the JSON of docs/model.md, "Uncertainty: `simulate`"
(readings A28 …): every path's BTC price, network hashrate, GPU-hour rate
and colocation lease end drawn with the generator hashpivot-sm64-v1 as
docs/model.md specifies it bit for bit, each path computed as `run`
computes the file, then the statistics; `--records FILE.csv` writes the
unrounded per-path NPVs and paybacks; `tools/crosscheck.py --simulate`
compares it with `hashpivot simulate FILE --format json --paths N --seed S`.
`simulate --fan` prints the fan CSV (docs/model.md, "The fan"; reading A35)
as `hashpivot simulate FILE --fan --format csv` does; `tools/crosscheck.py
--fan` compares the two.

Usage: python3 tools/reference.py [run] SCENARIO.toml [--set KEY=VALUE]...
       python3 tools/reference.py pivot SCENARIO.toml [--set KEY=VALUE]...
       python3 tools/reference.py simulate SCENARIO.toml [--paths N] [--seed S]
                                  [--records FILE.csv] [--set KEY=VALUE]...
       python3 tools/reference.py simulate SCENARIO.toml --fan [--format csv]
                                  [--paths N] [--seed S] [--set KEY=VALUE]...
"""
import calendar
import csv
import json
import math
import re
import sys
import tomllib
from decimal import ROUND_FLOOR, ROUND_HALF_EVEN, Decimal as D, getcontext, localcontext

getcontext().prec = 60

# The decimal type of the Rust side holds at most 96-bit mantissas
# (docs/model.md, "Precision and output"): anything larger is an overflow.
DECIMAL_MAX = D(2**96 - 1)

IRR_LO, IRR_HI = D("-0.99"), D(100)
IRR_STEP = D("1e-11")


def dec(v):
    return D(str(v)) if not isinstance(v, D) else v


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f, parse_float=D)


def month_powers(base, count):
    """[base^(i/12) for i in 0 .. count-1], base > 0.

    One 12th root, then repeated multiplication, both at 90 digits: the
    accumulated error over 600 steps stays below 1e-80 relative, far inside
    the 1e-20 the contract allows ("Precision and output"), and it is much
    faster than one fractional power per month.
    """
    base = dec(base)
    if base == 1:
        return [D(1)] * count
    out = []
    with localcontext() as ctx:
        ctx.prec = 90
        root = base ** (D(1) / 12)
        f = D(1)
        for _ in range(count):
            out.append(+f)
            f *= root
    return [+x for x in out]  # back to 60 digits


def subsidy_sats(epoch):
    # "Bitcoin network": floor(5e9 / 2^epoch) satoshi, 0 from a shift of 64.
    return 0 if epoch >= 64 else 5_000_000_000 >> epoch


def project_network(s):
    """docs/model.md, "Time grid" and "Bitcoin network"."""
    b = s["bitcoin"]
    year, month = map(int, s["start"].split("-"))
    n = s["months"]
    price0 = dec(b["price_usd"])
    h0 = dec(b["network_hashrate_ehs"])
    fees = dec(b.get("fees_btc_per_block", 0))
    height = D(b["block_height"])
    bt = dec(b.get("block_time_s", 600))
    pfacs = month_powers(1 + dec(b.get("price_growth_annual", 0)), n)
    hfacs = month_powers(1 + dec(b.get("hashrate_growth_annual", 0)), n)
    starts = []
    secs = 0  # S_i: whole seconds from the start of month 0 to month i
    for i in range(n + 1):
        y = year + (month - 1 + i) // 12
        m = (month - 1 + i) % 12 + 1
        days = calendar.monthrange(y, m)[1]
        starts.append((y, m, days, secs))
        secs += days * 86400
    months = []
    halvings = []
    for i in range(n):
        y, m, days, s_i = starts[i]
        hi0 = height + D(s_i) / bt
        hi1 = height + D(starts[i + 1][3]) / bt
        blocks = D(days * 86400) / bt
        sub = D(0)
        e = int(hi0 // 210000)
        while e <= min(int(hi1 // 210000), 33):
            lo = max(hi0, D(e * 210000))
            hi = min(hi1, D((e + 1) * 210000))
            if hi > lo:
                sub += (hi - lo) * D(subsidy_sats(e)) / D(100_000_000)
            e += 1
        reward = sub + blocks * fees
        p = price0 * pfacs[i]
        h = h0 * hfacs[i]
        hp = (reward / days) * p / (h * 1000)
        for k in range(1, 34):
            if hi0 <= k * 210000 < hi1:
                halvings.append({"height": k * 210000, "month": f"{y:04d}-{m:02d}"})
        months.append(dict(label=f"{y:04d}-{m:02d}", days=days, hours=24 * days,
                           price=p, pfac=pfacs[i], hashrate=h,
                           reward=reward, hashprice=hp))
    return months, halvings


def mining_params(site):
    mg = site["mining"]
    if "fleet" in mg:
        t = sum(D(r["count"]) * dec(r["ths"]) for r in mg["fleet"])
        e = sum(D(r["count"]) * dec(r["ths"]) * dec(r["j_per_th"]) for r in mg["fleet"]) / t
    else:
        t, e = dec(mg["hashrate_ths"]), dec(mg["efficiency_j_per_th"])
    return dict(T=t, E=e, pue=dec(mg.get("pue", 1)), uptime=dec(mg.get("uptime", 1)),
                fee=dec(mg.get("pool_fee", 0)), opex=dec(mg.get("opex_usd_per_month", 0)),
                capex=dec(mg.get("capex_usd", 0)))


def empty_row():
    # btc mined, mining revenue, d(mining revenue)/d(month-0 price), AI revenue,
    # d(AI revenue)/d(AI rate), power cost, opex, capex
    return dict(btc=D(0), mrev=D(0), pcoef=D(0), arev=D(0), rcoef=D(0),
                power=D(0), opex=D(0), capex=D(0))


def mining_month(site, mp, nm):
    """docs/model.md, "Strategy `mine`", one month (capex excluded)."""
    btc = mp["T"] * mp["uptime"] / (nm["hashrate"] * D(10) ** 6) * nm["reward"] * (1 - mp["fee"])
    it = mp["T"] * mp["E"] / D(10) ** 6
    energy = it * mp["pue"] * nm["hours"] * mp["uptime"]
    row = empty_row()
    row.update(btc=btc, mrev=btc * nm["price"], pcoef=btc * nm["pfac"],
               power=energy * dec(site["power_price_usd_per_mwh"]), opex=mp["opex"])
    return row


def mine_rows(site, net):
    mp = mining_params(site)
    rows = [mining_month(site, mp, nm) for nm in net]
    rows[0]["capex"] = mp["capex"]
    return rows


def ai_rows(site, net, s=0, memo=None):
    """docs/model.md, "Strategy `ai`". s: the month the conversion starts
    (format 1 files start at 0; `pivot` varies it, "When to convert"): months
    i < s mine as strategy `mine` without its capex, construction is
    s <= i < s + g, go-live L = s + g, and the ramp, lease escalator and GPU
    capex count from L; the GPU-hour rate keeps market time i. memo: a dict
    of mining months shared by the starts `pivot` tries."""
    a = site["ai"]
    n = len(net)
    g = a.get("build_months", 0)
    live = s + g
    conv = dec(a.get("conversion_capex_usd", 0))
    ramp = a.get("ramp_months", 0)
    pue = dec(a.get("pue", 1))
    opex = dec(a.get("opex_usd_per_month", 0))
    pp = dec(site["power_price_usd_per_mwh"])
    mdb = a.get("mine_during_build", False)
    mp = mining_params(site) if (mdb or s > 0) else None
    decline = None
    if a["kind"] != "colocation":
        decline = month_powers(1 - dec(a.get("gpu_hour_decline_annual", 0)), n)
    memo = {} if memo is None else memo

    def mined(i):
        if i not in memo:
            memo[i] = mining_month(site, mp, net[i])
        return dict(memo[i])

    rows = []
    for i in range(n):
        nm = net[i]
        if i < s:
            row = mined(i)
        elif i < live:
            row = mined(i) if mdb else empty_row()
            row["capex"] = conv / g
        else:
            row = empty_row()
            k = i - live
            f = D(1) if ramp == 0 else min(D(1), D(k + 1) / D(ramp))
            row["opex"] = opex
            if a["kind"] == "colocation":
                it = dec(a["it_mw"])
                esc = dec(a.get("lease_escalator_annual", 0))
                row["rcoef"] = it * 1000 * f * (1 + esc) ** (k // 12)
                row["arev"] = dec(a["lease_usd_per_kw_month"]) * row["rcoef"]
                if not a.get("power_pass_through", True):
                    row["power"] = it * f * pue * nm["hours"] * pp
            else:
                cnt = D(a["gpu_count"])
                it = cnt * dec(a["gpu_kw"]) / 1000
                row["rcoef"] = cnt * f * nm["hours"] * dec(a.get("utilization", 1)) * decline[i]
                row["arev"] = dec(a["gpu_hour_usd"]) * row["rcoef"]
                row["power"] = it * f * pue * nm["hours"] * pp
                if i == live:
                    row["capex"] += cnt * dec(a.get("gpu_capex_usd", 0))
        if i == s and g == 0:
            row["capex"] += conv
        rows.append(row)
    return rows


def cf(r):
    return r["mrev"] + r["arev"] - r["power"] - r["opex"] - r["capex"]


def discount_factors(rate, n):
    """(1 + rate)^(-(i+1)/12) for i in 0 .. n-1 ("Finance", NPV)."""
    return month_powers(1 / (1 + dec(rate)), n + 1)[1:]


def npv_with(values, factors):
    return sum(v * f for v, f in zip(values, factors))


def npv_sign(cfs, r):
    """Sign of NPV(r), scaled so that every factor is <= 1 ("Finance"):
    by (1 + r)^(1/12) when 1 + r >= 1, by (1 + r)^(n/12) below."""
    r = dec(r)
    base = 1 + r
    n = len(cfs)
    if base >= 1:
        f = month_powers(1 / base, n)
        s = sum(c * f[i] for i, c in enumerate(cfs))
    else:
        f = month_powers(base, n)
        s = sum(c * f[n - 1 - i] for i, c in enumerate(cfs))
    return (s > 0) - (s < 0)


def irr_with_reason(cfs):
    """docs/model.md, "Finance", IRR: (rate, None), or (None, why it is null).

    The null rules are tested before the "an end of the interval where NPV
    is exactly 0 is that end" rule: a series whose first non-zero cash flow
    is positive has no IRR at all ("mining that earns first and loses later
    has no IRR"), whatever the NPV does at −0.99 or 100.
    """
    nonzero = [c for c in cfs if c != 0]
    if not nonzero:
        return None, "no cash flow is non-zero"
    if all(c > 0 for c in nonzero) or all(c < 0 for c in nonzero):
        return None, "the non-zero cash flows do not change sign"
    if nonzero[0] > 0:
        return None, "the first non-zero cash flow is positive"
    lo, hi = IRR_LO, IRR_HI
    slo, shi = npv_sign(cfs, lo), npv_sign(cfs, hi)
    if slo == 0:
        return lo, None
    if shi == 0:
        return hi, None
    if slo == shi:
        return None, "NPV(-0.99) and NPV(100) have the same sign"
    while hi - lo > IRR_STEP:
        mid = (lo + hi) / 2
        s = npv_sign(cfs, mid)
        if s == 0:
            return mid, None
        if s == slo:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2, None


def irr(cfs):
    return irr_with_reason(cfs)[0]


def payback(cfs):
    """"Finance", payback months. A cumulative sum within 1e-40 of the
    largest cash flow of 0 counts as 0 (A27): the residue of 60-digit
    arithmetic where the exact sum is 0 (a fleet sale that repays a
    conversion capex spread over g months, g not a divisor of it) has no sign."""
    c = [D(0)]
    for x in cfs:
        c.append(c[-1] + x)
    tol = max((abs(x) for x in cfs), default=D(0)) * D("1e-40")
    if c[-1] < -tol:
        return None
    n = len(cfs)
    while n > 0 and c[n - 1] >= -tol:
        n -= 1
    return n


def outcome(rows, disc):
    cfs = [cf(r) for r in rows]
    rate, why = irr_with_reason(cfs)
    o = dict(
        revenue_usd=sum(r["mrev"] + r["arev"] for r in rows),
        power_cost_usd=sum(r["power"] for r in rows),
        opex_usd=sum(r["opex"] for r in rows),
        capex_usd=sum(r["capex"] for r in rows),
        net_cash_usd=sum(cfs),
        npv_usd=npv_with(cfs, disc),
        irr=rate,
        payback_months=payback(cfs),
        btc_mined=sum(r["btc"] for r in rows),
    )
    # NPV is linear in the month-0 BTC price and in the AI rate: slope, intercept.
    slope_p = npv_with([r["pcoef"] for r in rows], disc)
    int_p = npv_with([c - r["mrev"] for c, r in zip(cfs, rows)], disc)
    slope_r = npv_with([r["rcoef"] for r in rows], disc)
    int_r = npv_with([c - r["arev"] for c, r in zip(cfs, rows)], disc)
    return o, (slope_p, int_p), (slope_r, int_r), cfs, why


class OutOfRange(Exception):
    pass


class TooLarge:
    """A figure beyond the decimal range: hashpivot must stop with an
    overflow error ("Precision and output"); evaluate() reports it."""

    def __init__(self, v):
        self.v = v


def q(v, places):
    if v is None:
        return None
    if abs(v) > DECIMAL_MAX:
        return TooLarge(v)
    r = v.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if r == 0:
        r = abs(r)
    return RawNum(f"{r:.{places}f}")


class RawNum(str):
    pass


class Evaluation:
    """summary: the Summary JSON object, or None when a printed figure is
    beyond the decimal range (error says which); cashflows[(site index,
    strategy)]: the unrounded monthly cash flows; irr_null[(site index,
    strategy)]: why the IRR is null (absent when it is not); largest: the
    largest magnitude of any model quantity (an overflow in hashpivot is
    expected when it exceeds DECIMAL_MAX)."""

    def __init__(self):
        self.summary = None
        self.error = None
        self.cashflows = {}
        self.irr_null = {}
        self.largest = D(0)
        self.omitted = []  # format 2: output paths the reference does not compute
        self.detail = {}   # format 2: unrounded figures, for tools/test_reference_format2.py

    def see(self, *values):
        for v in values:
            if v is not None and abs(v) > self.largest:
                self.largest = abs(v)


def evaluate(s):
    ev = Evaluation()
    fill(ev, s)
    path, big = find_too_large(ev.summary, "$")
    if big is not None:
        ev.summary = None
        ev.error = f"{path} = {big.v:.6e} is beyond the decimal range (about ±7.9e28)"
    return ev


def find_too_large(v, path):
    if isinstance(v, TooLarge):
        return path, v
    items = v.items() if isinstance(v, dict) else enumerate(v) if isinstance(v, list) else ()
    for k, x in items:
        found = find_too_large(x, f"{path}.{k}" if isinstance(v, dict) else f"{path}[{k}]")
        if found[1] is not None:
            return found
    return None, None


def fill(ev, s):
    if s.get("format") == 2:
        return fill2(ev, s)
    validate2(s)  # format 1: only "a format-2 key needs format = 2"
    net, halvings = project_network(s)
    for nm in net:
        ev.see(nm["price"], nm["hashrate"], nm["reward"], nm["hashprice"])
    rate = dec(s.get("discount_rate", D("0.10")))
    disc = discount_factors(rate, len(net))
    sites = []
    for si, site in enumerate(s["site"]):
        out = {"name": site["name"]}
        lines = {}
        for strategy, make in (("mine", mine_rows), ("ai", ai_rows)):
            key = "mining" if strategy == "mine" else "ai"
            if key not in site:
                continue
            rows = make(site, net)
            o, pl, rl, cfs, why = outcome(rows, disc)
            for r, c in zip(rows, cfs):
                ev.see(r["btc"], r["mrev"], r["arev"], r["power"], r["opex"], r["capex"], c)
            ev.see(*o.values())
            ev.cashflows[(si, strategy)] = cfs
            if why:
                ev.irr_null[(si, strategy)] = why
            x = {k: q(o[k], 2) for k in ["revenue_usd", "power_cost_usd", "opex_usd", "capex_usd",
                                         "net_cash_usd", "npv_usd"]}
            x["irr"] = q(o["irr"], 6)
            x["payback_months"] = o["payback_months"]
            btc = o["btc_mined"]
            x["btc_mined"] = q(btc, 8)
            if strategy == "mine":
                be = None if btc == 0 or pl[0] == 0 else -pl[1] / pl[0]
                x["breakeven_btc_price_usd"] = q(be, 2)
                x["cost_per_btc_usd"] = None if btc == 0 else q(o["power_cost_usd"] / btc, 2)
                x["all_in_cost_per_btc_usd"] = None if btc == 0 else q(
                    (o["power_cost_usd"] + o["opex_usd"] + o["capex_usd"]) / btc, 2)
            else:
                x["breakeven_rate"] = None if rl[0] == 0 else q(-rl[1] / rl[0], 4)
                g = site["ai"].get("build_months", 0)
                x["go_live"] = net[g]["label"] if g < len(net) else None
            out[strategy] = x
            lines[strategy] = (o["npv_usd"], pl)
        if "mine" in lines and "ai" in lines:
            nm, (sm, im) = lines["mine"]
            na, (sa, ia) = lines["ai"]
            out["winner"] = "mine" if nm > na else "ai" if na > nm else "tie"
            out["npv_advantage_usd"] = q(abs(nm - na), 2)
            x = None if sm == sa else (ia - im) / (sm - sa)
            out["crossover_btc_price_usd"] = q(x, 2) if x is not None and x > 0 else None
        sites.append(out)
    ev.summary = {"scenario": s["name"], "months": s["months"],
                  "network": {"hashprice_usd_per_ph_day": q(net[0]["hashprice"], 4),
                              "halvings": halvings},
                  "sites": sites}


def summary(s):
    ev = evaluate(s)
    if ev.error:
        raise OutOfRange(f"scenario {s['name']!r}: {ev.error}")
    return ev.summary


def dump(v):
    if isinstance(v, RawNum):
        return str(v)
    if isinstance(v, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + dump(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(dump(x) for x in v) + "]"
    return json.dumps(v)


# ============================================================================
# Scenario format 2 (docs/model.md, "Scenario format 2: what an operator
# actually does": New keys, Prices that move, Mining row by row, Strategy `ai` in
# format 2, Terminal value, Cash flow and finance in format 2, Summary JSON in
# format 2).
#
# Everything `run` prints for format 2 is computed (`site.ai.start`,
# `fleet_sale_usd`, `keep_mining`, the `conversion` and `portfolio` blocks
# included; Evaluation.omitted is empty, kept for paths a future reference
# may leave out). `[risk]` is range-checked, not used by `run` (`simulate`,
# below, uses it).
#
# Readings chosen where docs/model.md is ambiguous (what a mining CFO would
# expect; the Rust side needs the same ones):
#  A1 Revenue includes demand response (docs/model.md says so); the terminal value
#     is NOT revenue: `revenue_usd` excludes it, `net_cash_usd`, NPV, IRR,
#     MIRR and payback include it (added to the last month's cash flow).
#  A2 `cost_per_btc_usd` / `all_in_cost_per_btc_usd` (mine only, as in
#     format 1) divide the whole power cost (negative-price blocks included,
#     so it can be negative) and power + opex + capex by the BTC mined; the
#     terminal value and demand response do not reduce them.
#  A3 Uptime: a running row pays power for `uptime` of the hours in its
#     blocks (docs/model.md's power formula), but demand response
#     (`dr · Σ M_r · x_r,i`) and `run_share` (`M_r · hours_i · x_r,i`) carry
#     no uptime factor, exactly as written.
#  A4 The shutdown test ignores uptime and opex (both sides of the docs/model.md
#     inequality scale with uptime; opex is paid running or not), and uses the
#     escalated block price of that month.
#  A5 Breakeven BTC price and crossover vary only the month-0 BTC price P
#     (P_i = P · (1 + g)^(i/12)); network hashrate, fees, subsidy, power
#     prices, AI rates stay as given. Run decisions, DR and terminal values
#     are re-evaluated at every P; a row/block runs for P ≥ its threshold
#     (a tie runs), so NPV(P) is right-continuous at a threshold.
#  A6 Terminal value as a function of P or of the rate: x · max(0, EBITDA)
#     puts a kink where EBITDA = 0; the root search treats that point as a
#     breakpoint too (docs/model.md lists only the run thresholds).
#  A7 Breakeven rate (ai) varies the rate with the AI strategy's own mining
#     (before the start, during the build, kept machines) held at the
#     scenario's BTC price. The terminal value
#     (when x > 0 and the window is all live) is re-evaluated at each rate.
#  A8 A root (breakeven price, breakeven rate, crossover) with |root| > 10^12
#     is null; so is a breakeven price that no P ≥ 0 reaches. NPV(0) ≥ 0
#     (no capex or opex, or paid-to-consume blocks) gives a breakeven of 0.00.
#     Roots are computed at 60 significant digits and rounded half-even once.
#  A8b Crossover: σ0 is the sign of D just right of P = 0 (sign of D(0) if it
#     is not 0, else of its slope there), or, if D is 0 on a first stretch, the
#     sign just right of where it stops being 0. A jump of D (demand response
#     at a threshold) from σ0 to −σ0 makes the crossover that threshold.
#  A9 `winner` and `npv_advantage_usd` in format 2 come from the month-by-
#     month ΔCF NPV (Σ d_i · (CF_ai,i − CF_mine,i)), like D(P) (docs/model.md:
#     "every difference of the two strategies is built month by month").
#  A10 MIRR: discount factors (1 + r)^(−(i+1)/12) that a 28-decimal-place
#     decimal cannot hold (they round to 0 at 28 places) count as 0 for PV−
#     and PV+ ("PV− underflows to 0"); n = months. Null when no flow is
#     negative, none is positive, PV− is 0 or the result exceeds 10^6.
#     Literal reading: positive flows whose PV+ underflows to 0 give
#     (1 + r) · 0 − 1 = −1.000000 (docs/model.md nulls only an underflowing PV−).
#  A11 In `ai`, opex escalates with market time i (floor(i/12)), like
#     mining opex and the power escalator; the lease escalator alone counts
#     from go-live (format 1's anniversaries).
#  A12 `run_share` weights each row by its meter load M_r (pue included) and
#     the month's hours; under `ai` it covers the months the AI strategy mines
#     (months before the start, build months with mine_during_build, live
#     months with a kept load > 0, weighted by the kept M_r); null when it
#     mines none.
#  A13 `shutdown = "never"` makes negative-price blocks cost negative power
#     (the operator is paid to consume); `"economic"` always runs in a block
#     whose price is ≤ 0 (v ≥ 0 ≥ price), so the same holds there.
#  A14 The discount_rate is printed as the decimal used with trailing zeros
#     removed and no exponent (0.10 → 0.1, 0 → 0, 2 → 2).
#  A15 Under `ai`, `start` prints the month the conversion starts (the file's
#     `site.ai.start`, default the scenario's `start`); `fleet_sale_usd` the
#     amount received within the horizon (0.00 when none is); and
#     `kept_hashrate_ths` Σ n_r · ths_r (or T') whenever keep_mining is true,
#     0.0000 when nothing fits, null when keep_mining is false.
#  A16 A format-2 key in a format-1 file is an error (reference: ScenarioError),
#     and `[risk]` keys are range-checked and otherwise ignored.
#  A17 With keep_mining, the file's `fleet_sale_usd` IS the proceeds of the
#     machines not kept: used as given, never scaled by the share sold. It is
#     received in month L with mine_during_build, else in month s, whether or
#     not the site goes live in the horizon; not at all when that month is
#     ≥ months (then `fleet_sale_usd` prints 0.00).
#  A18 `site.ai.start` is a "YYYY-MM" string with month index 0 ≤ s < months
#     (before `start`, or at or after the horizon's end, is a scenario error);
#     s > 0 needs [site.mining]. Months i < s are strategy mine's months
#     minus its capex: the whole fleet, full escalated opex, shutdown and
#     demand response, so in every ΔCF (D(P), conversion, winner) they cancel
#     month by month. With build_months = 0 the conversion capex is all in
#     month s. The AI opex escalates in market time (A11), from L on.
#  A19 keep_mining, which machines: decided once (the grid, loads and rows do
#     not change with time): C = grid_mw − it_mw · pue_ai, rows best first
#     (lowest j_per_th, file order on ties), n_r = min(count_r, floor(C_left /
#     m_r)) at 60 digits (a quotient that is an integer is exact), and the
#     loop goes on past a row that does not fit whole (a smaller machine later
#     may still fit). A row kept in part is dispatched like the full row
#     (same j_per_th, so the same shutdown test and thresholds) with
#     T = n_r · ths_r and M = T · E · pue / 10^6; the single form keeps the
#     fractional T' and M' = T' · E · pue / 10^6.
#  A20 keep_mining, the months: from L on (only within the horizon), the kept
#     rows mine with their own dispatch, demand response on the kept running
#     M_r, and mining opex · (1 + inflation)^floor(i/12) · (Σ kept M_r ÷ Σ
#     M_r) on top of the AI's own opex. A month whose kept load is 0 is not
#     mined: no mining opex, and out of `run_share`. Months s ≤ i < L mine
#     the whole fleet with mine_during_build, nothing without it. A row kept
#     whole (and the single form when T' = T) is the very row strategy mine
#     runs: its BTC-price terms cancel against mine's in D(P); a row kept in
#     part is a line of its own. The kept lines count in revenue, power,
#     opex, btc_mined, demand response, run_share and the AI terminal
#     value's EBITDA (when L ≤ months − w).
#  A21 `go_live` is month L = s + g, null when L ≥ months; the GPU capex is in
#     month L (none when L ≥ months); the ramp and the lease escalator count
#     from L, the GPU-hour rate decline from month 0 (market time).
#  A22 `conversion`: ΔCF_i = CF_ai,i − CF_mine,i with both terminal values and
#     the fleet sale in the CFs; npv_usd = Σ d_i · ΔCF_i (= −/+ the
#     npv_advantage, A9); irr, mirr, payback by the format-1/2 rules on ΔCF
#     (IRR null when the first non-zero ΔCF is positive); breakeven_rate: the
#     AI rate at which Σ d_i · (CF_ai,i(rate) − CF_mine,i) = 0, all mining of
#     both strategies at the scenario's BTC price, the AI terminal value's
#     kink as in A7; null when AI revenue does not depend on the rate, or
#     when |root| > 10^12.
#  A23 `portfolio`: sums of unrounded NPVs, rounded once; a site with both
#     strategies counts its winner's NPV (the ΔCF sign, A9; on a tie mine's,
#     equal anyway) in best_npv_usd and is in `convert` only when the winner
#     is ai; mine_npv_usd / ai_npv_usd null when no site has that strategy.
#  A24 `pivot`: the file is read and validated as `run` reads it, then its
#     own `site.ai.start` is replaced by each s; fleet sale (received at s or
#     L as in A17, lost beyond the horizon), keep_mining, mine_during_build
#     and exit multiples as given. Start s may be chosen iff s + g ≤ months −
#     w (w = min(12, months)). "Highest NPV" compares month by month: s
#     replaces the best so far iff Σ d_i · (CF_i(s) − CF_i(best)) > 0 (so the
#     earliest wins a tie); verdict "convert" iff Σ d_i · (CF_ai,i(best) −
#     CF_mine,i) > 0; value_of_waiting_usd = Σ d_i · (CF_i(best) − CF_i(0))
#     (0.00 when the best is s = 0; null with best). best_npv_usd is the
#     best start's entry of npv_by_start.
#  A25 `pivot` on a format-1 file: months i < s are format-1 mining without
#     capex, the build and go-live move with s as in A21; no terminal value,
#     fleet sale or keep_mining (format-2 keys are errors in format 1).
#  A26 `pivot`: npv_by_start lists every start, those whose go-live is at or
#     beyond the horizon too (mining, then construction only). A pivot
#     figure beyond the decimal range is an overflow (reference exit 1;
#     hashpivot must stop with an error). Sites without both strategies are
#     left out; none with both is a scenario error (exit 2).
#  A27 Payback (every strategy and the conversion block): a cumulative cash
#     flow within 1e-40 · max |CF_i| of 0 counts as 0. Where the exact sum is
#     0 (a fleet sale of 20,000,000 against a conversion capex of 20,000,000
#     spread over 13 months) 60-digit arithmetic leaves a residue of either
#     sign (−2e-52) that must not make the payback null.
#  --- `simulate` (docs/model.md, "Uncertainty: `simulate`")
#  A28 Tenant default: for a site whose [site.ai] is colocation, with go-live
#     L = s + g (s the file's site.ai.start), draws are taken in every month i
#     with L ≤ i < months (none when L ≥ months) as
#     uniform(word(seed, k, 3 + j, i)), j the site's index among ALL the
#     file's [[site]] entries (not among the colocation sites); the lease
#     ends at the end of the first such month with u < π, π = 1.0 − (1.0 −
#     q) ** (1.0 / 12.0) in binary64 with q the binary64 nearest the decimal
#     (a q that rounds to 1.0, say 0.999999999999999999999999, gives π = 1:
#     every path defaults in its go-live month). The month of the draw still
#     earns its lease (and draws its power); a default in the last month
#     changes nothing. gpu_cloud sites and q = 0 draw nothing.
#  A29 After a default: no lease revenue and no tenant power (only without
#     pass-through is there any), AI opex (escalated) goes on, the kept
#     machines (keep_mining) are the same machines and mine on (the freed
#     grid is not refilled), the fleet sale and the capex are unchanged. The
#     AI terminal value is still counted iff L ≤ months − w (the site went
#     live in time; a default does not undo that), on the EBITDA of the
#     path's own last w months, so x · max(0, EBITDA) is usually 0 then
#     unless kept mining earns more than the opex.
#  A30 Path inputs: P_i = (price_usd · (1 + g)^(i/12)) · S^p_i and H_i =
#     (network_hashrate_ehs · (1 + g_h)^(i/12)) · S^h_i, the deterministic
#     values exactly as `run` has them, times S, at 60 digits; the GPU-hour
#     rate in month i is gpu_hour_usd · (1 − d)^(i/12) · S^g_i (market time,
#     also before go-live). Month 0 has no draw (S_0 = 1); S_i = S_{i−1} · e_i
#     at 60 digits (the 15-digit factors multiply exactly up to 4 months;
#     later the product is rounded to 60 significant digits). Block rewards,
#     heights, power prices, opex, lease escalator, ramp, kept fleet and
#     fleet sale do not move. A σ of 0 gives factors of exactly 1, so its
#     normals need not be drawn (with ρ ≠ 0 and σp = 0, Z1 is still drawn for
#     Zh). With every σ and q at 0 every path is `run` to the last digit.
#  A31 The binary64 expressions, in this order (Python floats, no fused
#     multiply-add): σ = float(decimal σ) (nearest); e = exp(σ / sqrt(12.0) ·
#     Z − σ · σ / 24.0); Zh = ρ · Z1 + sqrt(1.0 − ρ · ρ) · Z2; Z =
#     sqrt(−2.0 · log(u1)) · cos(2.0 · π · u2); u = ((w >> 11) + 0.5) / 2^53,
#     where the sum is a binary64 addition that rounds to even once w >> 11 ≥
#     2^52 (u = 1.0 is possible, with probability 2^-53: then log(u1) = 0 or
#     cos(2π) = 1, harmless). The decimal of e is format(e, ".14e"): the exact
#     binary value rounded half-even to 15 significant digits. An e that
#     underflows to 0.0 (σ in the hundreds) makes S 0 from then on.
#  A32 Statistics from the unrounded per-path values at 60 digits, in
#     decimals only: mean Σ/n; se = sqrt(Σ (x − mean)² / (n − 1) / n), two
#     passes (null for n = 1); nearest rank r = max(1, ceil(q · n)) in
#     integers (P5 of 10 paths is the 1st smallest, P50 the 5th, P95 the
#     10th); CVaR5 the mean of the r = max(1, ceil(n / 20)) smallest;
#     p_npv_positive counts NPV > 0 strictly (an NPV of exactly 0 is not
#     positive); p_payback counts paths whose payback (A27's tolerance) is
#     not null. The comparison uses each path's month-by-month advantage
#     Σ d_i · (CF_ai,i − CF_mine,i) (A9; it equals NPV_ai − NPV_mine to 1e-50
#     and is exactly 0 where the strategies do the same thing every month):
#     p_ai_beats_mine counts advantage > 0, p_ai_beats_mine_se = sqrt(p · (1 −
#     p) / n) with the unrounded p, printed with 4 decimals like a
#     probability (0.0000 for n = 1, not null), advantage_* from the same
#     values with the same nearest ranks.
#  A33 Output: "paths" and "seed" are the values used (the command line's
#     --paths / --seed, else [risk]'s, else 10000 and 0), as JSON integers;
#     "risk" prints each of the five inputs as used (file, --set, else 0),
#     trailing zeros removed as for discount_rate (A14). --seed on the
#     command line may be any integer 0 … 2^64 − 1 (a TOML integer cannot
#     exceed 2^63 − 1); k, the path index, is used as the 64-bit integer k.
#     A printed statistic beyond the decimal range is an overflow (exit 1);
#     a per-path quantity beyond it is not checked (hashpivot may stop with
#     an overflow error where extreme σ drives S_i beyond ±7.9e28 or a
#     positive S below 1e-28).
#  A34 Per-path records (--records): one CSV line per path and site in path
#     order, then file order; NPVs unrounded (Decimal's full 60 digits, no
#     exponent), paybacks as integers; an absent strategy or a null payback
#     is an empty cell.
#  A35 The fan (simulate --fan): paths 0 … m − 1, m = min(paths, 2000), the
#     very paths simulate computes (same seed, same draws); per site (file
#     order) and strategy (mine, then ai; a strategy the site lacks has no
#     rows) and month i = 0 … months − 1 (labelled YYYY-MM, as run's
#     monthly rows), C_i = CF_0 + … + CF_i unrounded at 60 digits, the last
#     month's CF including the terminal value (A1). Each band is the
#     nearest rank r = max(1, ceil(q · m)) of that month's m values (A32),
#     rounded once to 2 decimals half-even; fan_paths is m. Since rounding
#     is monotone, ranking rounded or unrounded values gives the same band.
#     CSV: one header line, minimal quoting (a field with a comma, a quote
#     or a line break is quoted), `file` the path as given.
# ============================================================================

ROOT_LIMIT = D(10) ** 12
MIRR_LIMIT = D(10) ** 6


class ScenarioError(Exception):
    """A scenario the contract rejects (format-2 key rules)."""


class NotInReference(Exception):
    """A feature this reference does not implement (none is left; kept so
    that tools catching it need no change when one is added)."""


F2_TOP = ("inflation_annual", "risk")
F2_SITE = ("power_block", "power_escalator_annual")
F2_MINING = ("shutdown", "demand_response_usd_per_mw_month", "exit_multiple")
F2_AI = ("start", "fleet_sale_usd", "keep_mining", "exit_multiple")
RISK_KEYS = ("price_vol_annual", "hashrate_vol_annual", "price_hashrate_corr",
             "gpu_hour_vol_annual", "lease_default_annual", "paths", "seed")


def _num(v, key):
    if isinstance(v, bool) or not isinstance(v, (int, D)):
        raise ScenarioError(f"{key} must be a number")
    return dec(v)


def validate2(s):
    """The format-2 key rules ("New keys", "Uncertainty"); raises ScenarioError
    (the format-1 rules are not re-checked here)."""
    fmt = s.get("format")
    if fmt not in (1, 2):
        raise ScenarioError(f"format must be 1 or 2, got {fmt!r}")
    if fmt == 1:
        found = [k for k in F2_TOP if k in s]
        for site in s.get("site", []):
            found += [f"site.{k}" for k in F2_SITE if k in site]
            found += [f"site.mining.{k}" for k in F2_MINING if k in site.get("mining", {})]
            found += [f"site.ai.{k}" for k in F2_AI if k in site.get("ai", {})]
        if found:
            raise ScenarioError(f"key {found[0]} needs format = 2")
        return
    if "inflation_annual" in s and not _num(s["inflation_annual"], "inflation_annual") > -1:
        raise ScenarioError("inflation_annual must be > -1")
    risk = s.get("risk", {})
    for k in risk:
        if k not in RISK_KEYS:
            raise ScenarioError(f"unknown key risk.{k}")
    for k in ("price_vol_annual", "hashrate_vol_annual", "gpu_hour_vol_annual"):
        if k in risk and not _num(risk[k], f"risk.{k}") >= 0:
            raise ScenarioError(f"risk.{k} must be >= 0")
    if "price_hashrate_corr" in risk and not -1 <= _num(risk["price_hashrate_corr"], "risk.price_hashrate_corr") <= 1:
        raise ScenarioError("risk.price_hashrate_corr must be within -1 ... 1")
    if "lease_default_annual" in risk and not 0 <= _num(risk["lease_default_annual"], "risk.lease_default_annual") < 1:
        raise ScenarioError("risk.lease_default_annual must be 0 <= q < 1")
    if "paths" in risk and (not isinstance(risk["paths"], int) or isinstance(risk["paths"], bool)
                            or not 1 <= risk["paths"] <= 10_000_000):
        raise ScenarioError("risk.paths must be an integer 1 ... 10,000,000")
    if "seed" in risk and (not isinstance(risk["seed"], int) or isinstance(risk["seed"], bool)
                           or risk["seed"] < 0):
        raise ScenarioError("risk.seed must be an integer >= 0")
    for site in s.get("site", []):
        name = site.get("name", "?")
        flat, blocks = "power_price_usd_per_mwh" in site, "power_block" in site
        if flat == blocks:
            raise ScenarioError(f"site {name!r}: give power_price_usd_per_mwh or [[site.power_block]], "
                                "exactly one of the two")
        if blocks:
            total = D(0)
            for b in site["power_block"]:
                for k in b:
                    if k not in ("share", "price_usd_per_mwh"):
                        raise ScenarioError(f"site {name!r}: unknown key power_block.{k}")
                sh = _num(b["share"], "power_block.share")
                _num(b["price_usd_per_mwh"], "power_block.price_usd_per_mwh")
                if not 0 < sh <= 1:
                    raise ScenarioError(f"site {name!r}: power_block.share must be 0 < s <= 1")
                total += sh
            if total != 1:
                raise ScenarioError(f"site {name!r}: the power_block shares sum to {total}, not exactly 1")
        if "power_escalator_annual" in site and not _num(site["power_escalator_annual"],
                                                         "power_escalator_annual") > -1:
            raise ScenarioError(f"site {name!r}: power_escalator_annual must be > -1")
        mg, ai = site.get("mining"), site.get("ai")
        if mg is not None:
            if mg.get("shutdown", "economic") not in ("economic", "never"):
                raise ScenarioError(f"site {name!r}: mining.shutdown must be \"economic\" or \"never\"")
            for k in ("demand_response_usd_per_mw_month", "exit_multiple"):
                if k in mg and not _num(mg[k], f"mining.{k}") >= 0:
                    raise ScenarioError(f"site {name!r}: mining.{k} must be >= 0")
        if ai is not None:
            if "exit_multiple" in ai and not _num(ai["exit_multiple"], "ai.exit_multiple") >= 0:
                raise ScenarioError(f"site {name!r}: ai.exit_multiple must be >= 0")
            if "fleet_sale_usd" in ai and not _num(ai["fleet_sale_usd"], "ai.fleet_sale_usd") >= 0:
                raise ScenarioError(f"site {name!r}: ai.fleet_sale_usd must be >= 0")
            needs = []
            if "start" in ai:
                label = ai["start"]
                if not (isinstance(label, str) and re.fullmatch(r"\d{4}-(0[1-9]|1[0-2])", label)):
                    raise ScenarioError(f"site {name!r}: ai.start must be \"YYYY-MM\", got {label!r}")
                k = month_index(s["start"], label)
                if not 0 <= k < s["months"]:
                    raise ScenarioError(f"site {name!r}: ai.start {label} is outside the horizon "
                                        f"({s['start']} and {s['months']} months)")
                if k > 0:
                    needs.append("site.ai.start later than start")
            if dec(ai.get("fleet_sale_usd", 0)) > 0:
                needs.append("fleet_sale_usd > 0")
            if ai.get("keep_mining", False):
                needs.append("keep_mining = true")
            if ai.get("mine_during_build", False):
                needs.append("mine_during_build = true")
            if needs and mg is None:
                raise ScenarioError(f"site {name!r}: {needs[0]} needs [site.mining]")


def blocks_of(site):
    """[(share, price_usd_per_mwh)] ("New keys": a flat price is one block)."""
    if "power_block" in site:
        return [(dec(b["share"]), dec(b["price_usd_per_mwh"])) for b in site["power_block"]]
    return [(D(1), dec(site["power_price_usd_per_mwh"]))]


def yearly(rate, n):
    """(1 + rate)^floor(i/12) for i in 0 .. n-1 (exact integer powers)."""
    base = 1 + dec(rate)
    out, f = [], D(1)
    for i in range(n):
        if i and i % 12 == 0:
            f *= base
        out.append(f)
    return out


def mining_params2(site):
    mg = site["mining"]
    pue = dec(mg.get("pue", 1))
    if "fleet" in mg:
        rows = [dict(T=D(r["count"]) * dec(r["ths"]), E=dec(r["j_per_th"]), count=r["count"],
                     ths=dec(r["ths"])) for r in mg["fleet"]]
    else:
        rows = [dict(T=dec(mg["hashrate_ths"]), E=dec(mg["efficiency_j_per_th"]), count=None,
                     ths=None)]
    for r, rw in enumerate(rows):
        rw["M"] = rw["T"] * rw["E"] / D(10) ** 6 * pue
        rw["tag"] = r   # a row's key in the price-line terms (kept rows: see kept_fleet)
    return dict(rows=rows, single="fleet" not in mg,
                pue=pue, uptime=dec(mg.get("uptime", 1)), fee=dec(mg.get("pool_fee", 0)),
                opex=dec(mg.get("opex_usd_per_month", 0)), capex=dec(mg.get("capex_usd", 0)),
                economic=mg.get("shutdown", "economic") == "economic",
                dr=dec(mg.get("demand_response_usd_per_mw_month", 0)),
                exit=dec(mg.get("exit_multiple", 0)))


def empty_row2():
    # mrev: BTC sold; dr: demand-response credit; arev: AI revenue (rate · rcoef);
    # terms: [(key, threshold, slope, intercept)], this month's mining as a
    # function of the month-0 BTC price P: while P >= threshold (None:
    # always) the row/block adds slope · P + intercept to the cash flow.
    return dict(btc=D(0), mrev=D(0), dr=D(0), arev=D(0), rcoef=D(0), power=D(0),
                opex=D(0), capex=D(0), mined=False, run_num=D(0), run_den=D(0), terms=[],
                power_ai=D(0), sale=D(0))


def mining_month2(mp, nm, blocks_i, opex_i, i, with_terms=True):
    """"Mining, row by row", month i: BTC, revenue, DR, power, opex, run share,
    and the same month as a function of the month-0 price (terms; left out
    with with_terms=False, as `simulate` needs only the cash flows)."""
    row = empty_row2()
    row.update(mined=True, opex=opex_i)
    hours, h, reward, p_i, pfac = nm["hours"], nm["hashrate"], nm["reward"], nm["price"], nm["pfac"]
    net_reward = reward * (1 - mp["fee"])
    lhs = net_reward * p_i          # R_i · (1 − pool_fee) · P_i
    kcoef = net_reward * pfac        # the same per unit of month-0 price
    for rw in mp["rows"]:
        beta = rw["T"] * mp["uptime"] / (h * D(10) ** 6) * net_reward
        row["run_den"] += rw["M"] * hours
        for b, (share, price) in enumerate(blocks_i):
            cost = price * h * rw["E"] * mp["pue"] * hours
            runs = (lhs >= cost) if mp["economic"] else True
            power = rw["M"] * hours * mp["uptime"] * share * price
            dr = mp["dr"] * rw["M"] * share if mp["economic"] else D(0)
            if runs:
                row["btc"] += beta * share
                row["mrev"] += beta * share * p_i
                row["power"] += power
                row["dr"] += dr
                row["run_num"] += rw["M"] * hours * share
            if not with_terms:
                continue
            if not mp["economic"]:
                thr = None
            elif kcoef > 0:
                thr = cost / kcoef
            elif cost <= 0:   # nothing earned: runs iff 0 >= cost, whatever P
                thr = None
            else:
                continue      # never runs
            row["terms"].append(((i, rw["tag"], b), thr, beta * share * pfac, dr - power))
    return row


def mine_rows2(site, net, ctx):
    mp = mining_params2(site)
    rows = [mining_month2(mp, nm, ctx["blocks"][i], mp["opex"] * ctx["infl"][i], i)
            for i, nm in enumerate(net)]
    rows[0]["capex"] += mp["capex"]
    return rows


def month_index(start, label):
    """Months from `start` to `label`, both "YYYY-MM"."""
    y0, m0 = map(int, start.split("-"))
    y1, m1 = map(int, label.split("-"))
    return (y1 - y0) * 12 + (m1 - m0)


def kept_fleet(site, mp):
    """"Strategy `ai` in format 2", keep_mining: the machines kept on the
    spare grid C = grid_mw − it_mw · pue_ai. Returns (kept mining params,
    kept hashrate in TH/s, kept meter load ÷ full meter load)."""
    a = site["ai"]
    c_left = dec(site["grid_mw"]) - ai_it_mw(a) * dec(a.get("pue", 1))
    pue = mp["pue"]
    kept = []
    if mp["single"]:
        rw = mp["rows"][0]
        t = min(rw["T"], c_left * D(10) ** 6 / (rw["E"] * pue))
        kept_ths = t
        if t == rw["T"]:
            kept.append(rw)   # all kept: the very row strategy mine runs (A20)
        elif t > 0:
            kept.append(dict(rw, T=t, M=t * rw["E"] / D(10) ** 6 * pue, tag=(rw["tag"], "kept")))
    else:
        counts = {}
        # best first: lowest j_per_th, file order on ties (a stable sort)
        for rw in sorted(mp["rows"], key=lambda rw: rw["E"]):
            m = rw["ths"] * rw["E"] * pue / D(10) ** 6
            n_r = min(rw["count"], int((c_left / m).to_integral_value(rounding=ROUND_FLOOR)))
            counts[rw["tag"]] = n_r
            c_left -= n_r * m
        kept_ths = D(0)
        for rw in mp["rows"]:   # file order
            n_r = counts[rw["tag"]]
            kept_ths += n_r * rw["ths"]
            if n_r == rw["count"]:
                kept.append(rw)
            elif n_r > 0:
                t = n_r * rw["ths"]
                kept.append(dict(rw, T=t, M=t * rw["E"] / D(10) ** 6 * pue, count=n_r,
                                 tag=(rw["tag"], "kept")))
    full_load = sum(rw["M"] for rw in mp["rows"])
    kept_load = sum(rw["M"] for rw in kept)
    return dict(mp, rows=kept), kept_ths, kept_load / full_load


def ai_it_mw(a):
    if a["kind"] == "colocation":
        return dec(a["it_mw"])
    return D(a["gpu_count"]) * dec(a["gpu_kw"]) / 1000


def ai_timing(s, a, n):
    """(start s, go-live L, month the fleet sale is received or None)."""
    start = s if s is not None else 0
    live = start + a.get("build_months", 0)
    sale_month = live if a.get("mine_during_build", False) else start
    return start, live, (sale_month if sale_month < n else None)


class AiMonths:
    """The months strategy `ai` can be made of, for one site: the whole
    fleet mining in month i, the kept fleet mining in month i, the AI in
    live month k of market month i. Computed once and shared by every start
    `pivot` tries; rows built from them are copies.

    For `simulate` (one path): gmul, the path's GPU-hour rate multipliers
    S^g_i (None: all 1); lease_end, the month at whose end a colocation
    tenant defaults (None: never; no lease revenue and no tenant power
    after it, AI opex goes on, A29); with_terms False leaves out the
    price-line terms; full, the path's mining months (strategy mine's,
    without capex) when they are already computed."""

    def __init__(self, site, net, ctx, gmul=None, lease_end=None, with_terms=True, full=None):
        self.site, self.net, self.ctx = site, net, ctx
        self.gmul, self.lease_end, self.with_terms = gmul, lease_end, with_terms
        a = site["ai"]
        self.mp = mining_params2(site) if "mining" in site else None
        self.keep = a.get("keep_mining", False)
        self.kept_mp = self.kept_ths = self.scale = None
        if self.keep:
            self.kept_mp, self.kept_ths, self.scale = kept_fleet(site, self.mp)
        self.decline = None
        if a["kind"] != "colocation":
            self.decline = month_powers(1 - dec(a.get("gpu_hour_decline_annual", 0)), len(net))
        self._full, self._kept = (dict(enumerate(full)) if full is not None else {}), {}

    def full(self, i):
        """Month i of strategy mine, without its capex."""
        if i not in self._full:
            self._full[i] = mining_month2(self.mp, self.net[i], self.ctx["blocks"][i],
                                          self.mp["opex"] * self.ctx["infl"][i], i,
                                          self.with_terms)
        return dict(self._full[i])

    def kept(self, i):
        """Month i of the kept fleet: opex scaled by kept ÷ full meter load;
        not mined at all when nothing is kept."""
        if i not in self._kept:
            if not self.kept_mp["rows"]:
                self._kept[i] = empty_row2()
            else:
                self._kept[i] = mining_month2(self.kept_mp, self.net[i], self.ctx["blocks"][i],
                                              self.mp["opex"] * self.ctx["infl"][i] * self.scale, i,
                                              self.with_terms)
        return dict(self._kept[i])

    def add_live(self, row, i, k):
        """Live month k (k = i − L) of the AI in market month i, added to row."""
        a = self.site["ai"]
        nm = self.net[i]
        pbar = self.ctx["pbar"][i]
        ramp = a.get("ramp_months", 0)
        pue = dec(a.get("pue", 1))
        f = D(1) if ramp == 0 else min(D(1), D(k + 1) / D(ramp))
        row["opex"] += dec(a.get("opex_usd_per_month", 0)) * self.ctx["infl"][i]
        row["in_service"] = f
        power = D(0)
        if a["kind"] == "colocation":
            if self.lease_end is not None and i > self.lease_end:
                pass    # the tenant defaulted: no lease, no tenant power (A29)
            else:
                it = dec(a["it_mw"])
                esc = dec(a.get("lease_escalator_annual", 0))
                row["rcoef"] = it * 1000 * f * (1 + esc) ** (k // 12)
                row["arev"] = dec(a["lease_usd_per_kw_month"]) * row["rcoef"]
                if not a.get("power_pass_through", True):
                    power = it * f * pue * nm["hours"] * pbar
        else:
            cnt = D(a["gpu_count"])
            it = cnt * dec(a["gpu_kw"]) / 1000
            row["rcoef"] = cnt * f * nm["hours"] * dec(a.get("utilization", 1)) * self.decline[i]
            if self.gmul is not None:
                row["rcoef"] *= self.gmul[i]    # the path's GPU-hour rate (A30)
            row["arev"] = dec(a["gpu_hour_usd"]) * row["rcoef"]
            power = it * f * pue * nm["hours"] * pbar
            if k == 0:
                row["capex"] += cnt * dec(a.get("gpu_capex_usd", 0))
        row["power"] += power
        row["power_ai"] = power


def ai_rows2(site, net, ctx, s=None, months=None):
    """"Strategy `ai` in format 2", starting in month s (None: the file's
    `site.ai.start`, default its `start`). months: an AiMonths to share."""
    a = site["ai"]
    n = len(net)
    if s is None:
        s = month_index(net[0]["label"], a.get("start", net[0]["label"]))
    months = months or AiMonths(site, net, ctx)
    g = a.get("build_months", 0)
    conv = dec(a.get("conversion_capex_usd", 0))
    mdb = a.get("mine_during_build", False)
    s, live, sale_month = ai_timing(s, a, n)
    rows = []
    for i in range(n):
        if i < s:
            row = months.full(i)                      # mining as strategy mine, no capex
        elif i < live:
            row = months.full(i) if mdb else empty_row2()
            row["capex"] += conv / g
        else:
            row = months.kept(i) if months.keep else empty_row2()
            months.add_live(row, i, i - live)
        if i == s and g == 0:
            row["capex"] += conv
        if i == sale_month:
            row["sale"] += dec(a.get("fleet_sale_usd", 0))
        rows.append(row)
    return rows


def ebitda(r):
    return r["mrev"] + r["dr"] + r["arev"] - r["power"] - r["opex"]


def cf2(r):
    # "Cash flow and finance in format 2": the fleet sale is cash, not EBITDA
    return ebitda(r) - r["capex"] + r["sale"]


def tv_params(rows, x, enabled):
    """"Terminal value": (x, window months w, EBITDA at the given inputs,
    terminal value). enabled False: strategy ai not live for the whole window."""
    n = len(rows)
    w = min(12, n)
    e = sum(ebitda(r) for r in rows[n - w:]) * 12 / w
    tv = x * max(D(0), e) if enabled else D(0)
    return dict(x=x if enabled else D(0), w=w, ebitda=e, tv=tv)


def mirr(cfs, rate, disc):
    """"MIRR (format 2)", reading A10."""
    n = len(cfs)
    tiny = D(1).scaleb(-28)
    pv_neg = pv_pos = D(0)
    if not any(c < 0 for c in cfs) or not any(c > 0 for c in cfs):
        return None
    for c, d in zip(cfs, disc):
        if d.quantize(tiny, rounding=ROUND_HALF_EVEN) == 0:
            d = D(0)
        if c < 0:
            pv_neg += c * d
        elif c > 0:
            pv_pos += c * d
    if pv_neg == 0:
        return None
    with localcontext() as cx:
        cx.prec = 80
        m = (1 + dec(rate)) * (pv_pos / -pv_neg) ** (D(12) / D(n)) - 1
    if m > MIRR_LIMIT:
        return None
    return +m


def limit_root(v):
    return None if v is None or abs(v) > ROOT_LIMIT else v


# ---- NPV as a function of the month-0 BTC price: piecewise linear

class PriceLine:
    """Σ_k weight_k · NPV_k(P) for strategy rows; identical row/block terms
    of two strategies cancel before any sum (ΔCF month by month)."""

    def __init__(self, parts, disc):
        # parts: [(weight, rows, tv)] ; tv from tv_params
        n = len(disc)
        self.const = D(0)
        fixed = [D(0)] * n
        merged = {}
        for weight, rows, _ in parts:
            for i, r in enumerate(rows):
                fixed[i] += weight * (r["arev"] - r["capex"] - r["opex"] - self._ai_power(r)
                                      + r["sale"])
                for key, thr, s, c in r["terms"]:
                    old = merged.get(key)
                    merged[key] = (thr, s, c, weight + (old[3] if old else 0))
        self.const = sum(f * d for f, d in zip(fixed, disc))
        # discounted terms: (threshold, slope, intercept)
        self.terms = [(thr, w * s * disc[key[0]], w * c * disc[key[0]])
                      for key, (thr, s, c, w) in merged.items() if w != 0]
        # terminal values: [coef, e0, [(threshold, slope, intercept)]] on EBITDA·12/w
        self.tvs = []
        for weight, rows, tv in parts:
            if tv is None or tv["x"] == 0:
                continue
            w = tv["w"]
            e0 = sum(r["arev"] - r["opex"] - self._ai_power(r) for r in rows[n - w:]) * 12 / w
            terms = [(thr, s * 12 / w, c * 12 / w)
                     for r in rows[n - w:] for _, thr, s, c in r["terms"]]
            self.tvs.append((weight * tv["x"] * disc[n - 1], e0, terms))

    @staticmethod
    def _ai_power(r):
        return r["power_ai"]

    def pieces(self):
        """Yield (lo, hi, a, b): NPV(P) = a + b·P on lo <= P < hi (hi None: no end),
        covering P >= 0."""
        events = {}
        a, b = self.const, D(0)
        tv_state = [[e0, D(0)] for _, e0, _ in self.tvs]

        def add(thr, key, s, c):
            if thr is None or thr <= 0:
                return True
            events.setdefault(thr, []).append((key, s, c))
            return False

        for thr, s, c in self.terms:
            if add(thr, -1, s, c):
                a += c
                b += s
        for j, (_, _, terms) in enumerate(self.tvs):
            for thr, s, c in terms:
                if add(thr, j, s, c):
                    tv_state[j][0] += c
                    tv_state[j][1] += s
        points = sorted(events)
        lo = D(0)
        for idx in range(len(points) + 1):
            hi = points[idx] if idx < len(points) else None
            # split [lo, hi) where a terminal value's EBITDA crosses 0
            cuts = []
            for e0, e1 in tv_state:
                if e1 != 0:
                    z = -e0 / e1
                    if z > lo and (hi is None or z < hi):
                        cuts.append(z)
            bounds = [lo] + sorted(set(cuts)) + [hi]
            for l, h in zip(bounds, bounds[1:]):
                m = l + 1 if h is None else (l + h) / 2
                pa, pb = a, b
                for (coef, _, _), (e0, e1) in zip(self.tvs, tv_state):
                    if e0 + e1 * m > 0:
                        pa += coef * e0
                        pb += coef * e1
                yield l, h, pa, pb
            if hi is None:
                break
            for key, s, c in events[hi]:
                if key == -1:
                    a += c
                    b += s
                else:
                    tv_state[key][0] += c
                    tv_state[key][1] += s
            lo = hi


def line_value(line, p):
    """The piecewise-linear function at P >= 0 (for checks)."""
    for lo, hi, a, b in line.pieces():
        if hi is None or p < hi:
            return a + b * p
    raise AssertionError("unreachable")


def sign(v):
    return (v > 0) - (v < 0)


def breakeven_price(line):
    """Smallest P >= 0 with NPV(P) >= 0 (non-decreasing), or None."""
    for lo, hi, a, b in line.pieces():
        if a + b * lo >= 0:
            return lo
        if b > 0:
            z = -a / b
            if hi is None or z < hi:
                return z
    return None


def crossover_price(line):
    """inf{P > 0 : sign D(P) = −σ0} ("Cash flow and finance in format 2"):
    σ0 is the sign D takes just right of the first point where it is not
    identically 0; a zero stretch before the change ends at its right end."""
    s0 = None
    for lo, hi, a, b in line.pieces():
        v = a + b * lo
        # While D has been identically 0: at a terminal value's kink D is
        # continuous, so exactly 0 there; 60-digit arithmetic
        # leaves a residue (1e-52) whose sign means nothing. A jump (demand
        # response) is never that small.
        if s0 is None and abs(v) <= (abs(a) + abs(b * lo)) * D(10) ** -40:
            v = D(0)
        if s0 is None:
            first = sign(v) if v != 0 else sign(b)
            if first == 0:
                continue              # D is 0 on this whole piece
            s0 = first
            if v != 0 and sign(b) == -s0:   # crosses 0 at z > lo
                z = -a / b
                if hi is None or z < hi:
                    return z
            continue
        if sign(v) == -s0:
            return lo
        if b != 0 and sign(b) == -s0:
            z = -a / b
            if hi is None or z < hi:
                return max(z, lo)     # below lo only by rounding: v is s0 or 0
    return None


def breakeven_rate2(rows, disc, tv, other=None):
    """Unique root of NPV(rate) = A + B·rate + c·max(0, e0 + e1·rate) (A7).
    other: cash flows subtracted month by month (the conversion block's rate
    at which NPV_ai = NPV_mine, A22)."""
    n = len(rows)
    B = sum(r["rcoef"] * d for r, d in zip(rows, disc))
    if B == 0:
        return None
    other = other or [D(0)] * n
    A = sum((cf2(r) - r["arev"] - o) * d for r, o, d in zip(rows, other, disc))
    c = tv["x"] * disc[n - 1]
    w = tv["w"]
    e0 = sum(ebitda(r) - r["arev"] for r in rows[n - w:]) * 12 / w
    e1 = sum(r["rcoef"] for r in rows[n - w:]) * 12 / w
    if c == 0 or e1 == 0:
        if c != 0 and e0 > 0:
            A += c * e0
        return -A / B
    k = -e0 / e1          # TV on for rate > k
    if A + B * k >= 0:
        return -A / B
    return -(A + c * e0) / (B + c * e1)


def outcome2(rows, disc, tv):
    cfs = [cf2(r) for r in rows]
    cfs[-1] += tv["tv"]
    rate, why = irr_with_reason(cfs)
    den = sum(r["run_den"] for r in rows if r["mined"])
    o = dict(
        revenue_usd=sum(r["mrev"] + r["dr"] + r["arev"] for r in rows),
        power_cost_usd=sum(r["power"] for r in rows),
        opex_usd=sum(r["opex"] for r in rows),
        capex_usd=sum(r["capex"] for r in rows),
        net_cash_usd=sum(cfs),
        npv_usd=npv_with(cfs, disc),
        irr=rate,
        payback_months=payback(cfs),
        btc_mined=sum(r["btc"] for r in rows),
        dr=sum(r["dr"] for r in rows),
        run_share=None if den == 0 else sum(r["run_num"] for r in rows if r["mined"]) / den,
    )
    return o, cfs, why


def normalized(v):
    v = dec(v).normalize()
    t = f"{v:f}"
    return RawNum("0" if v == 0 else t)


def fill2(ev, s):
    validate2(s)
    net, halvings = project_network(s)
    n = len(net)
    for nm in net:
        ev.see(nm["price"], nm["hashrate"], nm["reward"], nm["hashprice"])
    rate = dec(s.get("discount_rate", D("0.10")))
    disc = discount_factors(rate, n)
    infl = yearly(s.get("inflation_annual", 0), n)
    ev.omitted = []
    npvs = dict(mine=[], ai=[], best=[], convert=[])
    sites = []
    for si, site in enumerate(s["site"]):
        esc = yearly(site.get("power_escalator_annual", 0), n)
        blocks = [[(sh, p * esc[i]) for sh, p in blocks_of(site)] for i in range(n)]
        ctx = dict(infl=infl, blocks=blocks, pbar=[sum(sh * p for sh, p in bl) for bl in blocks])
        out = {"name": site["name"]}
        lines = {}
        for strategy, make in (("mine", mine_rows2), ("ai", ai_rows2)):
            key = "mining" if strategy == "mine" else "ai"
            if key not in site:
                continue
            rows = make(site, net, ctx)
            if strategy == "mine":
                x = dec(site["mining"].get("exit_multiple", 0))
                tv = tv_params(rows, x, True)
            else:
                a = site["ai"]
                s_ai, live, sale_month = ai_timing(
                    month_index(s["start"], a.get("start", s["start"])), a, n)
                x = dec(a.get("exit_multiple", 0))
                w = min(12, n)
                tv = tv_params(rows, x, live <= n - w)
            o, cfs, why = outcome2(rows, disc, tv)
            for r, c in zip(rows, cfs):
                ev.see(r["btc"], r["mrev"], r["arev"], r["power"], r["opex"], r["capex"], r["sale"], c)
            ev.see(*(v for v in o.values() if isinstance(v, D)))
            ev.cashflows[(si, strategy)] = cfs
            if why:
                ev.irr_null[(si, strategy)] = why
            x_out = {k: q(o[k], 2) for k in ["revenue_usd", "power_cost_usd", "opex_usd", "capex_usd",
                                             "net_cash_usd", "npv_usd"]}
            x_out["irr"] = q(o["irr"], 6)
            x_out["payback_months"] = o["payback_months"]
            btc = o["btc_mined"]
            x_out["btc_mined"] = q(btc, 8)
            ev.detail[(si, strategy, "npv")] = o["npv_usd"]
            if strategy == "mine":
                pline = PriceLine([(1, rows, tv)], disc)
                ev.detail[(si, "mine", "line")] = pline
                ev.detail[(si, "mine", "breakeven")] = breakeven_price(pline)
                be = limit_root(ev.detail[(si, "mine", "breakeven")])
                x_out["breakeven_btc_price_usd"] = q(be, 2)
                x_out["cost_per_btc_usd"] = None if btc == 0 else q(o["power_cost_usd"] / btc, 2)
                x_out["all_in_cost_per_btc_usd"] = None if btc == 0 else q(
                    (o["power_cost_usd"] + o["opex_usd"] + o["capex_usd"]) / btc, 2)
                x_out["mirr"] = q(mirr(cfs, rate, disc), 6)
                x_out["demand_response_usd"] = q(o["dr"], 2)
                x_out["terminal_value_usd"] = q(tv["tv"], 2)
                x_out["run_share"] = q(o["run_share"], 4)
            else:
                ev.detail[(si, "ai", "breakeven_rate")] = breakeven_rate2(rows, disc, tv)
                x_out["breakeven_rate"] = q(limit_root(ev.detail[(si, "ai", "breakeven_rate")]), 4)
                x_out["go_live"] = net[live]["label"] if live < n else None
                x_out["mirr"] = q(mirr(cfs, rate, disc), 6)
                x_out["start"] = net[s_ai]["label"]
                x_out["fleet_sale_usd"] = q(sum(r["sale"] for r in rows), 2)
                x_out["demand_response_usd"] = q(o["dr"], 2)
                x_out["terminal_value_usd"] = q(tv["tv"], 2)
                x_out["run_share"] = q(o["run_share"], 4)
                kept = None
                if a.get("keep_mining", False):
                    kept = kept_fleet(site, mining_params2(site))[1]
                    ev.detail[(si, "ai", "kept_hashrate_ths")] = kept
                x_out["kept_hashrate_ths"] = q(kept, 4)
                ev.detail[(si, "ai", "rows")] = rows
            out[strategy] = x_out
            lines[strategy] = (rows, tv, cfs, o["npv_usd"])
            npvs[strategy].append(o["npv_usd"])
        if "mine" in lines and "ai" in lines:
            rm, tm, cm, _ = lines["mine"]
            ra, ta, ca, _ = lines["ai"]
            adv = sum((x - y) * d for x, y, d in zip(ca, cm, disc))   # A9
            out["winner"] = "ai" if adv > 0 else "mine" if adv < 0 else "tie"
            out["npv_advantage_usd"] = q(abs(adv), 2)
            line = PriceLine([(1, ra, ta), (-1, rm, tm)], disc)
            ev.detail[(si, "diff", "npv")] = adv
            ev.detail[(si, "diff", "line")] = line
            ev.detail[(si, "diff", "crossover")] = crossover_price(line)
            out["crossover_btc_price_usd"] = q(limit_root(ev.detail[(si, "diff", "crossover")]), 2)
            # "conversion": the same rules on ΔCF_i = CF_ai,i − CF_mine,i (A22)
            dcf = [x - y for x, y in zip(ca, cm)]
            d_irr, d_why = irr_with_reason(dcf)
            ev.cashflows[(si, "conversion")] = dcf
            if d_why:
                ev.irr_null[(si, "conversion")] = d_why
            ev.see(*dcf)
            d_rate = breakeven_rate2(ra, disc, ta, other=cm)
            ev.detail[(si, "conversion", "breakeven_rate")] = d_rate
            out["conversion"] = {"npv_usd": q(adv, 2), "irr": q(d_irr, 6),
                                 "mirr": q(mirr(dcf, rate, disc), 6),
                                 "payback_months": payback(dcf),
                                 "breakeven_rate": q(limit_root(d_rate), 4)}
            best = lines["ai"][3] if adv > 0 else lines["mine"][3]   # A23
            convert = adv > 0
        else:
            only = lines.get("mine") or lines.get("ai")
            best, convert = only[3], "ai" in lines
        npvs["best"].append(best)
        if convert:
            npvs["convert"].append(site["name"])
        sites.append(out)
    ev.summary = {"scenario": s["name"], "months": s["months"],
                  "network": {"hashprice_usd_per_ph_day": q(net[0]["hashprice"], 4),
                              "halvings": halvings},
                  "sites": sites,
                  "format": 2, "start": s["start"], "discount_rate": normalized(rate),
                  "portfolio": {
                      "mine_npv_usd": q(sum(npvs["mine"]), 2) if npvs["mine"] else None,
                      "ai_npv_usd": q(sum(npvs["ai"]), 2) if npvs["ai"] else None,
                      "best_npv_usd": q(sum(npvs["best"]), 2),
                      "convert": npvs["convert"]}}


# ============================================================================
# When to convert (`pivot`, docs/model.md "When to convert"): NPV_ai(s) for
# every start s = 0 … months − 1, everything else as the file gives it (a
# format-1 file with format-1 rules). Only the NPVs are computed; the rows
# of every start share the months computed once (AiMonths, the memo).
# ============================================================================

def pivot(s):
    """The pivot JSON object of scenario s (ScenarioError when no site has
    both strategies; OutOfRange when a printed figure is beyond the decimal
    range)."""
    fmt = s.get("format")
    validate2(s)
    net, _ = project_network(s)
    n = len(net)
    w = min(12, n)
    rate = dec(s.get("discount_rate", D("0.10")))
    disc = discount_factors(rate, n)
    infl = yearly(s.get("inflation_annual", 0), n) if fmt == 2 else None
    sites = []
    for site in s["site"]:
        if "mining" not in site or "ai" not in site:
            continue
        a = site["ai"]
        g = a.get("build_months", 0)
        if fmt == 2:
            esc = yearly(site.get("power_escalator_annual", 0), n)
            blocks = [[(sh, p * esc[i]) for sh, p in blocks_of(site)] for i in range(n)]
            ctx = dict(infl=infl, blocks=blocks, pbar=[sum(sh * p for sh, p in bl) for bl in blocks])
            rows = mine_rows2(site, net, ctx)
            tv = tv_params(rows, dec(site["mining"].get("exit_multiple", 0)), True)
            never = [cf2(r) for r in rows]
            never[-1] += tv["tv"]
            months = AiMonths(site, net, ctx)
            x = dec(a.get("exit_multiple", 0))

            def ai_cfs(start):
                rows = ai_rows2(site, net, ctx, start, months)
                tv = tv_params(rows, x, start + g <= n - w)
                cfs = [cf2(r) for r in rows]
                cfs[-1] += tv["tv"]
                return cfs
        else:
            never = [cf(r) for r in mine_rows(site, net)]
            memo = {}

            def ai_cfs(start):
                return [cf(r) for r in ai_rows(site, net, start, memo)]

        by_start, now, best, best_s = [], None, None, None
        for start in range(n):
            cfs = ai_cfs(start)
            by_start.append(npv_with(cfs, disc))
            if start == 0:
                now = cfs
            if start + g > n - w:
                continue   # live for less than the window: listed, never chosen
            # strictly higher, month by month (A24); earliest on ties
            if best is None or npv_with([p - q_ for p, q_ in zip(cfs, best)], disc) > 0:
                best, best_s = cfs, start
        never_npv = npv_with(never, disc)
        if best is None:
            best_npv = waiting = None
            verdict = "mine"
        else:
            best_npv = by_start[best_s]
            waiting = npv_with([p - q_ for p, q_ in zip(best, now)], disc)
            ahead = npv_with([p - q_ for p, q_ in zip(best, never)], disc)
            verdict = "convert" if ahead > 0 else "mine"
        sites.append({"name": site["name"],
                      "best_start": None if best is None else net[best_s]["label"],
                      "best_npv_usd": q(best_npv, 2), "now_npv_usd": q(by_start[0], 2),
                      "never_npv_usd": q(never_npv, 2), "value_of_waiting_usd": q(waiting, 2),
                      "verdict": verdict, "npv_by_start": [q(v, 2) for v in by_start]})
    if not sites:
        raise ScenarioError("pivot needs a site with both [site.mining] and [site.ai]; "
                            "no site has both")
    out = {"scenario": s["name"], "sites": sites}
    path, big = find_too_large(out, "$")
    if big is not None:
        raise OutOfRange(f"scenario {s['name']!r}: {path} = {big.v:.6e} is beyond the decimal "
                         "range (about ±7.9e28)")
    return out


# ============================================================================
# Uncertainty (`simulate`, docs/model.md "Uncertainty: `simulate`"): many
# paths of the BTC price, the network hashrate and the GPU-hour rate around
# their stated paths, and colocation tenants who may default; per path each
# strategy's NPV and payback exactly as `run` computes them (the format-2
# code above, with the path's network, GPU-rate multipliers and lease end),
# then the statistics of docs/model.md. Readings A28 … in the block above.
# ============================================================================

GENERATOR = "hashpivot-sm64-v1"
MASK64 = (1 << 64) - 1
SM_G = 0x9E3779B97F4A7C15
SM_M1 = 0xBF58476D1CE4E5B9
SM_M2 = 0x94D049BB133111EB
TWO53 = float(2 ** 53)
RISK_OUT = ("price_vol_annual", "hashrate_vol_annual", "price_hashrate_corr",
            "gpu_hour_vol_annual", "lease_default_annual")
STRATEGY_STATS = ("npv_mean_usd", "npv_se_usd", "npv_p5_usd", "npv_p25_usd", "npv_p50_usd",
                  "npv_p75_usd", "npv_p95_usd", "npv_cvar5_usd", "p_npv_positive", "p_payback")


def sm_mix(x):
    """docs/model.md, "The generator": mix(x), wrapping 64-bit arithmetic."""
    z = (x + SM_G) & MASK64
    z = ((z ^ (z >> 30)) * SM_M1) & MASK64
    z = ((z ^ (z >> 27)) * SM_M2) & MASK64
    return z ^ (z >> 31)


def sm_word(seed, k, stream, n):
    """word(seed, k, stream, n) = mix(mix(mix(mix(seed) ^ k) ^ stream) ^ n)."""
    return sm_mix(sm_mix(sm_mix(sm_mix(seed) ^ k) ^ stream) ^ n)


def sm_uniform(w):
    """((w >> 11) + 0.5) / 2^53 in binary64 (the int is exact, the sum
    rounds as binary64 addition does, A31)."""
    return ((w >> 11) + 0.5) / TWO53


def sm_normal(seed, k, stream, i):
    """Box–Muller's first normal of stream `stream` in month i."""
    u1 = sm_uniform(sm_word(seed, k, stream, 2 * i))
    u2 = sm_uniform(sm_word(seed, k, stream, 2 * i + 1))
    return math.sqrt(-2.0 * math.log(u1)) * math.cos(2.0 * math.pi * u2)


def sm_factor(sig, z):
    """exp(σ/√12 · Z − σ²/24) in binary64, taken into a decimal at 15
    significant digits, half-even (format's rounding of the exact binary
    value)."""
    x = math.exp(sig / math.sqrt(12.0) * z - sig * sig / 24.0)
    return D(format(x, ".14e"))


def risk_used(s, paths=None, seed=None):
    """The [risk] inputs as used: decimals for the output, binary64 for the
    draws; --paths/--seed (paths, seed) win over the file."""
    r = s.get("risk", {})
    out = {k: dec(r.get(k, 0)) for k in RISK_OUT}
    out["paths"] = r.get("paths", 10000) if paths is None else paths
    out["seed"] = r.get("seed", 0) if seed is None else seed
    if isinstance(out["paths"], bool) or not isinstance(out["paths"], int) \
            or not 1 <= out["paths"] <= 10_000_000:
        raise ScenarioError(f"paths must be an integer 1 ... 10,000,000, got {out['paths']!r}")
    if isinstance(out["seed"], bool) or not isinstance(out["seed"], int) \
            or not 0 <= out["seed"] <= MASK64:
        raise ScenarioError(f"seed must be an integer 0 ... 2^64 - 1, got {out['seed']!r}")
    sp, sh, rho, sg, q_ = (float(out[k]) for k in RISK_OUT)
    out["f"] = dict(sp=sp, sh=sh, rho=rho, rho_c=math.sqrt(1.0 - rho * rho), sg=sg,
                    pi=1.0 - (1.0 - q_) ** (1.0 / 12.0))
    return out


def path_factors(risk, k, n):
    """S^p_i, S^h_i, S^g_i for i = 0 … n−1 of path k (S_0 = 1; month i ≥ 1
    multiplies by that month's factor, at 60 digits). A σ of 0 gives factors
    of exactly 1 whatever Z is, so its normals are not drawn."""
    f, seed = risk["f"], risk["seed"]
    sp, sh, sg = [D(1)], [D(1)], [D(1)]
    cp = ch = cg = D(1)
    for i in range(1, n):
        z1 = sm_normal(seed, k, 0, i) if (f["sp"] or (f["sh"] and f["rho"])) else 0.0
        if f["sp"]:
            cp *= sm_factor(f["sp"], z1)
        if f["sh"]:
            z2 = sm_normal(seed, k, 1, i)
            ch *= sm_factor(f["sh"], f["rho"] * z1 + f["rho_c"] * z2)
        if f["sg"]:
            cg *= sm_factor(f["sg"], sm_normal(seed, k, 2, i))
        sp.append(cp)
        sh.append(ch)
        sg.append(cg)
    return sp, sh, sg


def lease_end_month(risk, k, j, live, n):
    """The month at whose end the tenant of site j (index in the file)
    defaults on path k: the first live month i (live ≤ i < n) whose
    uniform(word(seed, k, 3 + j, i)) < π; None when none is (A28)."""
    pi = risk["f"]["pi"]
    if pi <= 0:
        return None
    for i in range(max(live, 0), n):
        if sm_uniform(sm_word(risk["seed"], k, 3 + j, i)) < pi:
            return i
    return None


def path_network(net, sp, sh):
    """The network of one path: P_i and H_i times S^p_i and S^h_i (pfac
    follows P_i, so that P_i = price_usd · pfac still holds)."""
    out = []
    for nm, a, b in zip(net, sp, sh):
        m = dict(nm)
        m["price"] = nm["price"] * a
        m["pfac"] = nm["pfac"] * a
        m["hashrate"] = nm["hashrate"] * b
        out.append(m)
    return out


class SimSite:
    """What does not change from path to path for one site."""

    def __init__(self, s, j, site, n, infl):
        self.j, self.site, self.name = j, site, site["name"]
        esc = yearly(site.get("power_escalator_annual", 0), n)
        blocks = [[(sh, p * esc[i]) for sh, p in blocks_of(site)] for i in range(n)]
        self.ctx = dict(infl=infl, blocks=blocks,
                        pbar=[sum(sh * p for sh, p in bl) for bl in blocks])
        self.mp = mining_params2(site) if "mining" in site else None
        self.ai = site.get("ai")
        if self.ai is not None:
            self.s_ai, self.live, _ = ai_timing(
                month_index(s["start"], self.ai.get("start", s["start"])), self.ai, n)
            self.ai_tv_on = self.live <= n - min(12, n)
            self.colocation = self.ai["kind"] == "colocation"


def path_outcomes(site, net_k, sg, lease_end, disc):
    """One path of one site: {strategy: (npv, payback, net cash, cfs)}."""
    out = {}
    base = None
    if site.mp is not None:
        mp = site.mp
        base = [mining_month2(mp, nm, site.ctx["blocks"][i], mp["opex"] * site.ctx["infl"][i], i,
                              False) for i, nm in enumerate(net_k)]
        rows = [dict(r) for r in base]
        rows[0]["capex"] += mp["capex"]
        tv = tv_params(rows, dec(site.site["mining"].get("exit_multiple", 0)), True)
        out["mine"] = path_result(rows, tv, disc)
    if site.ai is not None:
        months = AiMonths(site.site, net_k, site.ctx, gmul=sg, lease_end=lease_end,
                          with_terms=False, full=base)
        rows = ai_rows2(site.site, net_k, site.ctx, site.s_ai, months)
        tv = tv_params(rows, dec(site.ai.get("exit_multiple", 0)), site.ai_tv_on)
        out["ai"] = path_result(rows, tv, disc)
    return out


def path_result(rows, tv, disc):
    cfs = [cf2(r) for r in rows]
    cfs[-1] += tv["tv"]
    return npv_with(cfs, disc), payback(cfs), sum(cfs), cfs


def run_paths(s, risk):
    """Yield (k, [per site {strategy: (npv, payback, net cash, cfs)}]) for
    every path k, in order."""
    validate2(s)
    if s.get("format") != 2:
        raise ScenarioError("simulate needs a format-2 file (format = 2); this one is format "
                            f"{s.get('format')!r}")
    net, _ = project_network(s)
    n = len(net)
    disc = discount_factors(dec(s.get("discount_rate", D("0.10"))), n)
    infl = yearly(s.get("inflation_annual", 0), n)
    sites = [SimSite(s, j, site, n, infl) for j, site in enumerate(s["site"])]
    defaults = risk["f"]["pi"] > 0
    for k in range(risk["paths"]):
        sp, sh, sg = path_factors(risk, k, n)
        net_k = path_network(net, sp, sh)
        res = []
        for site in sites:
            end = None
            if defaults and site.ai is not None and site.colocation:
                end = lease_end_month(risk, k, site.j, site.live, n)
            res.append(path_outcomes(site, net_k, sg if risk["f"]["sg"] else None, end, disc))
        yield k, res, disc


# ---- statistics (docs/model.md, "Statistics"), all in decimals

def nearest_rank(n, pct):
    """max(1, ceil(pct/100 · n)), in integers."""
    return max(1, -(-pct * n // 100))


def stat_mean(xs):
    return sum(xs) / len(xs)


def stat_se(xs):
    """Sample standard deviation ÷ √n (two passes at 60 digits); None for n = 1."""
    n = len(xs)
    if n < 2:
        return None
    m = stat_mean(xs)
    var = sum((x - m) * (x - m) for x in xs) / (n - 1)
    return (var / n).sqrt()


def stat_quantile(sorted_xs, pct):
    return sorted_xs[nearest_rank(len(sorted_xs), pct) - 1]


def stat_cvar5(sorted_xs):
    k = nearest_rank(len(sorted_xs), 5)
    return sum(sorted_xs[:k]) / k


def share(count, n):
    return D(count) / D(n)


def strategy_stats(npvs, paybacks):
    n = len(npvs)
    xs = sorted(npvs)
    return {
        "npv_mean_usd": q(stat_mean(npvs), 2),
        "npv_se_usd": q(stat_se(npvs), 2),
        "npv_p5_usd": q(stat_quantile(xs, 5), 2),
        "npv_p25_usd": q(stat_quantile(xs, 25), 2),
        "npv_p50_usd": q(stat_quantile(xs, 50), 2),
        "npv_p75_usd": q(stat_quantile(xs, 75), 2),
        "npv_p95_usd": q(stat_quantile(xs, 95), 2),
        "npv_cvar5_usd": q(stat_cvar5(xs), 2),
        "p_npv_positive": q(share(sum(1 for x in npvs if x > 0), n), 4),
        "p_payback": q(share(sum(1 for p in paybacks if p is not None), n), 4),
    }


def comparison_stats(adv):
    n = len(adv)
    xs = sorted(adv)
    p = share(sum(1 for x in adv if x > 0), n)
    return {
        "p_ai_beats_mine": q(p, 4),
        "p_ai_beats_mine_se": q((p * (1 - p) / n).sqrt(), 4),
        "advantage_mean_usd": q(stat_mean(adv), 2),
        "advantage_p5_usd": q(stat_quantile(xs, 5), 2),
        "advantage_p50_usd": q(stat_quantile(xs, 50), 2),
        "advantage_p95_usd": q(stat_quantile(xs, 95), 2),
    }


class SimResult:
    """The unrounded per-path figures of a simulation: per site index,
    npv[strategy], payback[strategy], net[strategy] (net cash, the last
    cumulative cash flow) and adv (Σ d_i · ΔCF_i, A32) as lists in path order."""

    def __init__(self, s, risk):
        self.s, self.risk = s, risk
        self.sites = [dict(name=site["name"], npv={}, payback={}, net={}, adv=None)
                      for site in s["site"]]


def simulate_raw(s, paths=None, seed=None, records=None):
    """Run every path; records: an open text file for the per-path CSV."""
    risk = risk_used(s, paths, seed)
    out = SimResult(s, risk)
    writer = None
    if records is not None:
        writer = csv.writer(records, lineterminator="\n")
        writer.writerow(["path", "site", "mine_npv_usd", "ai_npv_usd", "mine_payback_months",
                         "ai_payback_months"])
    for k, res, disc in run_paths(s, risk):
        for j, r in enumerate(res):
            st = out.sites[j]
            for strategy, (npv, pb, net, _) in r.items():
                st["npv"].setdefault(strategy, []).append(npv)
                st["payback"].setdefault(strategy, []).append(pb)
                st["net"].setdefault(strategy, []).append(net)
            if "mine" in r and "ai" in r:
                adv = sum((x - y) * d for x, y, d in zip(r["ai"][3], r["mine"][3], disc))
                if st["adv"] is None:
                    st["adv"] = []
                st["adv"].append(adv)
            if writer:
                def cell(v):
                    return "" if v is None else f"{v:f}" if isinstance(v, D) else str(v)
                writer.writerow([k, st["name"],
                                 cell(r["mine"][0]) if "mine" in r else "",
                                 cell(r["ai"][0]) if "ai" in r else "",
                                 cell(r["mine"][1]) if "mine" in r else "",
                                 cell(r["ai"][1]) if "ai" in r else ""])
    return out


def simulate_json(raw):
    risk = raw.risk
    sites = []
    for st in raw.sites:
        o = {"name": st["name"]}
        for strategy in ("mine", "ai"):
            if strategy in st["npv"]:
                o[strategy] = strategy_stats(st["npv"][strategy], st["payback"][strategy])
        if st["adv"] is not None:
            o.update(comparison_stats(st["adv"]))
        sites.append(o)
    out = {"scenario": raw.s["name"], "paths": risk["paths"], "seed": risk["seed"],
           "generator": GENERATOR, "risk": {k: normalized(risk[k]) for k in RISK_OUT},
           "sites": sites}
    path, big = find_too_large(out, "$")
    if big is not None:
        raise OutOfRange(f"scenario {raw.s['name']!r}: {path} = {big.v:.6e} is beyond the decimal "
                         "range (about ±7.9e28)")
    return out


def simulate(s, paths=None, seed=None, records=None):
    """The simulate JSON object of scenario s (docs/model.md, "Uncertainty")."""
    return simulate_json(simulate_raw(s, paths, seed, records))


# ---- the fan (docs/model.md, "The fan"; reading A35)

FAN_MAX_PATHS = 2000
FAN_PCTS = (5, 25, 50, 75, 95)
FAN_HEADER = ("scenario", "site", "strategy", "month", "fan_paths", "p5_usd", "p25_usd",
              "p50_usd", "p75_usd", "p95_usd", "file")


def cumulative(cfs):
    """C_1 … C_n: the running sums of the monthly cash flows (the last
    including the terminal value, as `run`'s cumulative_cash_usd)."""
    out, c = [], D(0)
    for x in cfs:
        c += x
        out.append(c)
    return out


def fan_bands(curves):
    """curves: one cumulative-cash list per path, all of one length. Per
    month the nearest-rank P5, P25, P50, P75, P95 of that month's values
    (each month ranked on its own), unrounded."""
    out = []
    for i in range(len(curves[0])):
        col = sorted(c[i] for c in curves)
        out.append(tuple(stat_quantile(col, pct) for pct in FAN_PCTS))
    return out


class FanResult:
    """scenario, m (the paths the fan is over), labels (YYYY-MM per month)
    and rows: (site name, strategy, [(p5, p25, p50, p75, p95) per month]),
    unrounded, in file order of sites, mine before ai; curves the
    per-path cumulative cash the bands come from."""

    def __init__(self, scenario, m, labels, rows, curves):
        self.scenario, self.m, self.labels, self.rows = scenario, m, labels, rows
        self.curves = curves   # per site index {strategy: [C_0 … C_{n−1} per path]}


def fan_raw(s, paths=None, seed=None):
    """The fan of scenario s: paths 0 … m − 1, m = min(paths, 2000), each
    computed by run_paths exactly as simulate computes it."""
    risk = risk_used(s, paths, seed)
    m = min(risk["paths"], FAN_MAX_PATHS)
    curves = [{} for _ in s.get("site", [])]
    for _, res, _disc in run_paths(s, dict(risk, paths=m)):   # only the first m paths
        for j, r in enumerate(res):
            for strategy, (_npv, _pb, _net, cfs) in r.items():
                curves[j].setdefault(strategy, []).append(cumulative(cfs))
    net, _ = project_network(s)
    labels = [nm["label"] for nm in net]
    rows = []
    for site, by in zip(s["site"], curves):
        for strategy in ("mine", "ai"):
            if strategy in by:
                rows.append((site["name"], strategy, fan_bands(by[strategy])))
    return FanResult(s["name"], m, labels, rows, curves)


def fan_table(fr, file):
    """The rows `hashpivot simulate FILE --fan --format csv` prints (after
    its header), money rounded to 2 decimals half-even; OutOfRange when a
    printed figure is beyond the decimal range."""
    out = []
    for name, strategy, bands in fr.rows:
        for label, b in zip(fr.labels, bands):
            cells = [q(v, 2) for v in b]
            for pct, c in zip(FAN_PCTS, cells):
                if isinstance(c, TooLarge):
                    raise OutOfRange(f"scenario {fr.scenario!r}: site {name!r} {strategy} {label} "
                                     f"p{pct}_usd = {c.v:.6e} is beyond the decimal range "
                                     "(about ±7.9e28)")
            out.append([fr.scenario, name, strategy, label, str(fr.m)] + [str(c) for c in cells]
                       + [file])
    return out


def fan_csv(fr, file, stream, header=True):
    """Write the fan CSV (quoting as the reference's other CSV: minimal)."""
    rows = fan_table(fr, file)
    w = csv.writer(stream, lineterminator="\n")
    if header:
        w.writerow(FAN_HEADER)
    w.writerows(rows)


# ---------------------------------------------------------------- --set

def apply_set(s, assignment):
    """`--set KEY=VALUE` (README, "What-ifs"): KEY as `site[0].mining.uptime`,
    `site[NAME].x`, `site.0.x` or `site.NAME.x`; VALUE a TOML value, anything
    else a string. Changes the parsed scenario s in place."""
    key, sep, value = assignment.partition("=")
    if not sep or not key:
        raise ScenarioError(f"--set needs KEY=VALUE, got {assignment!r}")
    try:
        v = tomllib.loads(f"v = {value}", parse_float=D)["v"]
    except tomllib.TOMLDecodeError:
        v = value
    tokens = []
    for name, sel in re.findall(r"([^.\[\]]+)(?:\[([^\]]*)\])?", key):
        tokens.append(name)
        if sel:
            tokens.append(sel)
    cur = s
    for i, tok in enumerate(tokens):
        last = i == len(tokens) - 1
        if isinstance(cur, list):
            found = [e for j, e in enumerate(cur)
                     if (tok.isdigit() and j == int(tok)) or (not tok.isdigit() and e.get("name") == tok)]
            if not found:
                raise ScenarioError(f"--set {key}: no element {tok!r}")
            if last:
                raise ScenarioError(f"--set {key}: names a table, not a value")
            cur = found[0]
        elif last:
            cur[tok] = v
        else:
            cur = cur.setdefault(tok, {})


USAGE = """usage: python3 tools/reference.py [run] SCENARIO.toml [--set KEY=VALUE]...
       python3 tools/reference.py pivot SCENARIO.toml [--set KEY=VALUE]...
       python3 tools/reference.py simulate SCENARIO.toml [--paths N] [--seed S]
                                  [--records FILE.csv] [--set KEY=VALUE]...
       python3 tools/reference.py simulate SCENARIO.toml --fan [--format csv]
                                  [--paths N] [--seed S] [--set KEY=VALUE]...
(--format json is accepted and ignored: the output is always JSON, except
with --fan, whose output is always CSV and which accepts --format csv)
simulate (docs/model.md, "Uncertainty: `simulate`"): --paths and --seed win
over [risk]; --records FILE.csv also writes one line per path and site,
`path,site,mine_npv_usd,ai_npv_usd,mine_payback_months,ai_payback_months`,
unrounded (an absent strategy or a null payback is an empty cell).
--fan (docs/model.md, "The fan"): per site, strategy and month the
nearest-rank P5 … P95 of the cumulative cash over paths 0 … min(paths, 2000)
− 1: `scenario,site,strategy,month,fan_paths,p5_usd,p25_usd,p50_usd,p75_usd,
p95_usd,file`."""


def int_arg(text, what):
    if not re.fullmatch(r"\d+", text or ""):
        raise ScenarioError(f"{what} needs a whole number >= 0, got {text!r}")
    return int(text)


def main(argv):
    args = list(argv)
    mode = "run"
    if args and args[0] in ("run", "pivot", "simulate") and len(args) > 1:
        mode = args.pop(0)
    path, sets, opts = None, [], {}
    while args:
        a = args.pop(0)
        if a == "--set" and args:
            sets.append(args.pop(0))
        elif a.startswith("--set="):
            sets.append(a[len("--set="):])
        elif a == "--format" and args and args[0] == "json":
            args.pop(0)
        elif mode == "simulate" and a == "--fan":
            opts["--fan"] = True
        elif mode == "simulate" and a == "--format" and args and args[0] == "csv":
            opts["--format"] = args.pop(0)
        elif mode == "simulate" and a in ("--paths", "--seed", "--records") and args:
            opts[a] = args.pop(0)
        elif mode == "simulate" and a.split("=")[0] in ("--paths", "--seed", "--records") \
                and "=" in a:
            opts[a.split("=")[0]] = a.split("=", 1)[1]
        elif path is None and not a.startswith("--"):
            path = a
        else:
            path = None
            break
    if argv and argv[0] in ("-h", "--help"):
        print(USAGE)
        return 0
    if path is None or ("--format" in opts and "--fan" not in opts) \
            or ("--fan" in opts and "--records" in opts):
        print(USAGE, file=sys.stderr)   # csv is the fan's; the fan has no records
        return 2
    try:
        s = load(path)
        for a in sets:
            apply_set(s, a)
        if mode == "simulate":
            paths = int_arg(opts["--paths"], "--paths") if "--paths" in opts else None
            seed = int_arg(opts["--seed"], "--seed") if "--seed" in opts else None
            if "--fan" in opts:
                fan_csv(fan_raw(s, paths, seed), path, sys.stdout)
                return 0
            if "--records" in opts:
                with open(opts["--records"], "w", newline="") as rec:
                    out = simulate(s, paths, seed, rec)
            else:
                out = simulate(s, paths, seed)
            print(dump(out))
        else:
            print(dump(pivot(s) if mode == "pivot" else summary(s)))
    except ScenarioError as e:
        print(f"reference.py: {path}: {e}", file=sys.stderr)
        return 2
    except OutOfRange as e:
        print(f"reference.py: {path}: {e}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
