#!/usr/bin/env python3
"""An independent second implementation of the model, for cross-checking.

Written straight from the project's contract, docs/model.md (scenario
format 1: sections "Time grid", "Scenario file (TOML)", "Bitcoin network",
"Strategy `mine`", "Strategy `ai`", "Finance", "Precision and output" and
"Summary JSON"), not from the Rust code, with Python's decimal module at 60
significant digits. It prints the Summary JSON of one scenario;
`tools/crosscheck.py` compares it with `hashpivot run --format json`.
It does not validate input: feed it scenarios hashpivot accepts.
Standard library only (Python 3.11+).

Usage: python3 tools/reference.py SCENARIO.toml
"""
import calendar
import json
import sys
import tomllib
from decimal import ROUND_HALF_EVEN, Decimal as D, getcontext, localcontext

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


def ai_rows(site, net):
    """docs/model.md, "Strategy `ai`"."""
    a = site["ai"]
    n = len(net)
    g = a.get("build_months", 0)
    conv = dec(a.get("conversion_capex_usd", 0))
    ramp = a.get("ramp_months", 0)
    pue = dec(a.get("pue", 1))
    opex = dec(a.get("opex_usd_per_month", 0))
    pp = dec(site["power_price_usd_per_mwh"])
    mdb = a.get("mine_during_build", False)
    mp = mining_params(site) if mdb else None
    decline = None
    if a["kind"] != "colocation":
        decline = month_powers(1 - dec(a.get("gpu_hour_decline_annual", 0)), n)
    rows = []
    for i in range(n):
        nm = net[i]
        if i < g:
            row = mining_month(site, mp, nm) if mdb else empty_row()
            row["capex"] = conv / g
        else:
            row = empty_row()
            k = i - g
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
                if i == g:
                    row["capex"] += cnt * dec(a.get("gpu_capex_usd", 0))
        if i == 0 and g == 0:
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
    c = [D(0)]
    for x in cfs:
        c.append(c[-1] + x)
    if c[-1] < 0:
        return None
    n = len(cfs)
    while n > 0 and c[n - 1] >= 0:
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


if __name__ == "__main__":
    if len(sys.argv) != 2:
        print(__doc__.strip().splitlines()[-1], file=sys.stderr)
        sys.exit(2)
    try:
        print(dump(summary(load(sys.argv[1]))))
    except OutOfRange as e:
        print(f"reference.py: {sys.argv[1]}: {e}", file=sys.stderr)
        sys.exit(1)
