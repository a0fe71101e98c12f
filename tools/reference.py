#!/usr/bin/env python3
"""An independent second implementation of MODEL.md, for cross-checking.

Written straight from ../shared/MODEL.md, not from the Rust code, with
Python's decimal module at 60 significant digits. It prints the Summary JSON
of one scenario; `tools/crosscheck.sh` compares it with `hashpivot run`.
It does not validate input: feed it scenarios hashpivot accepts.

Usage: python3 tools/reference.py SCENARIO.toml
"""
import calendar
import json
import sys
import tomllib
from decimal import ROUND_HALF_EVEN, Decimal as D, getcontext

getcontext().prec = 60


def dec(v):
    return D(str(v)) if not isinstance(v, D) else v


def load(path):
    with open(path, "rb") as f:
        return tomllib.load(f, parse_float=D)


def power(base, exp):
    base, exp = dec(base), dec(exp)
    if exp == 0:
        return D(1)
    return base ** exp


def subsidy_sats(epoch):
    return 0 if epoch >= 64 else 5_000_000_000 >> epoch


def project_network(s):
    b = s["bitcoin"]
    year, month = map(int, s["start"].split("-"))
    n = s["months"]
    price0 = dec(b["price_usd"])
    pg = dec(b.get("price_growth_annual", 0))
    h0 = dec(b["network_hashrate_ehs"])
    hg = dec(b.get("hashrate_growth_annual", 0))
    fees = dec(b.get("fees_btc_per_block", 0))
    height = D(b["block_height"])
    bt = dec(b.get("block_time_s", 600))
    months = []
    secs = 0
    starts = []
    for i in range(n + 1):
        y = year + (month - 1 + i) // 12
        m = (month - 1 + i) % 12 + 1
        days = calendar.monthrange(y, m)[1]
        starts.append((y, m, days, secs))
        secs += days * 86400
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
        p = price0 * power(1 + pg, D(i) / 12)
        h = h0 * power(1 + hg, D(i) / 12)
        hp = (reward / days) * p / (h * 1000)
        for k in range(1, 34):
            if hi0 <= k * 210000 < hi1:
                halvings.append({"height": k * 210000, "month": f"{y:04d}-{m:02d}"})
        months.append(dict(label=f"{y:04d}-{m:02d}", days=days, hours=24 * days,
                           price=p, pfac=power(1 + pg, D(i) / 12), hashrate=h,
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


def mining_month(site, mp, nm):
    btc = mp["T"] * mp["uptime"] / (nm["hashrate"] * D(10) ** 6) * nm["reward"] * (1 - mp["fee"])
    it = mp["T"] * mp["E"] / D(10) ** 6
    energy = it * mp["pue"] * nm["hours"] * mp["uptime"]
    return dict(btc=btc, mrev=btc * nm["price"], pcoef=btc * nm["pfac"], arev=D(0), rcoef=D(0),
                power=energy * dec(site["power_price_usd_per_mwh"]), opex=mp["opex"], capex=D(0))


def mine_rows(site, net):
    mp = mining_params(site)
    rows = [mining_month(site, mp, nm) for nm in net]
    rows[0]["capex"] = mp["capex"]
    return rows


def ai_rows(site, net):
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
    rows = []
    for i in range(n):
        nm = net[i]
        empty = dict(btc=D(0), mrev=D(0), pcoef=D(0), arev=D(0), rcoef=D(0), power=D(0), opex=D(0), capex=D(0))
        if i < g:
            row = mining_month(site, mp, nm) if mdb else empty
            row["capex"] = conv / g
        else:
            row = empty
            k = i - g
            f = D(1) if ramp == 0 else min(D(1), D(k + 1) / D(ramp))
            row["opex"] = opex
            if a["kind"] == "colocation":
                it = dec(a["it_mw"])
                esc = dec(a.get("lease_escalator_annual", 0))
                row["rcoef"] = it * 1000 * f * power(1 + esc, k // 12)
                row["arev"] = dec(a["lease_usd_per_kw_month"]) * row["rcoef"]
                if not a.get("power_pass_through", True):
                    row["power"] = it * f * pue * nm["hours"] * pp
            else:
                cnt = D(a["gpu_count"])
                it = cnt * dec(a["gpu_kw"]) / 1000
                dcl = dec(a.get("gpu_hour_decline_annual", 0))
                row["rcoef"] = cnt * f * nm["hours"] * dec(a.get("utilization", 1)) * power(1 - dcl, D(i) / 12)
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


def npv_at(values, rate):
    return sum(v / power(1 + rate, D(i + 1) / 12) for i, v in enumerate(values))


def scaled_sign(cfs, r):
    base = 1 + r
    n = len(cfs)
    if base >= 1:
        s = sum(c * power(base, D(-i) / 12) for i, c in enumerate(cfs))
    else:
        s = sum(c * power(base, D(n - 1 - i) / 12) for i, c in enumerate(cfs))
    return (s > 0) - (s < 0)


def irr(cfs):
    if not (any(c > 0 for c in cfs) and any(c < 0 for c in cfs)):
        return None
    lo, hi = D("-0.99"), D(100)
    slo, shi = scaled_sign(cfs, lo), scaled_sign(cfs, hi)
    if slo == 0:
        return lo
    if shi == 0:
        return hi
    if slo == shi:
        return None
    while hi - lo > D("1e-11"):
        mid = (lo + hi) / 2
        s = scaled_sign(cfs, mid)
        if s == 0:
            return mid
        if s == slo:
            lo = mid
        else:
            hi = mid
    return (lo + hi) / 2


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


def outcome(rows, rate):
    cfs = [cf(r) for r in rows]
    o = dict(
        revenue_usd=sum(r["mrev"] + r["arev"] for r in rows),
        power_cost_usd=sum(r["power"] for r in rows),
        opex_usd=sum(r["opex"] for r in rows),
        capex_usd=sum(r["capex"] for r in rows),
        net_cash_usd=sum(cfs),
        npv_usd=npv_at(cfs, rate),
        irr=irr(cfs),
        payback_months=payback(cfs),
        btc_mined=sum(r["btc"] for r in rows),
    )
    slope_p = npv_at([r["pcoef"] for r in rows], rate)
    int_p = npv_at([c - r["mrev"] for c, r in zip(cfs, rows)], rate)
    slope_r = npv_at([r["rcoef"] for r in rows], rate)
    int_r = npv_at([c - r["arev"] for c, r in zip(cfs, rows)], rate)
    return o, (slope_p, int_p), (slope_r, int_r)


def q(v, places):
    if v is None:
        return None
    r = v.quantize(D(1).scaleb(-places), rounding=ROUND_HALF_EVEN)
    if r == 0:
        r = abs(r)
    return RawNum(f"{r:.{places}f}")


class RawNum(str):
    pass


def summary(s):
    net, halvings = project_network(s)
    rate = dec(s.get("discount_rate", D("0.10")))
    sites = []
    for site in s["site"]:
        out = {"name": site["name"]}
        lines = {}
        if "mining" in site:
            o, pl, _ = outcome(mine_rows(site, net), rate)
            btc = o["btc_mined"]
            be = None if btc == 0 or pl[0] == 0 else -pl[1] / pl[0]
            m = {k: q(o[k], 2) for k in ["revenue_usd", "power_cost_usd", "opex_usd", "capex_usd", "net_cash_usd", "npv_usd"]}
            m["irr"] = q(o["irr"], 6)
            m["payback_months"] = o["payback_months"]
            m["btc_mined"] = q(btc, 8)
            m["breakeven_btc_price_usd"] = q(be, 2)
            m["cost_per_btc_usd"] = None if btc == 0 else q(o["power_cost_usd"] / btc, 2)
            m["all_in_cost_per_btc_usd"] = None if btc == 0 else q((o["power_cost_usd"] + o["opex_usd"] + o["capex_usd"]) / btc, 2)
            out["mine"] = m
            lines["mine"] = (o["npv_usd"], pl)
        if "ai" in site:
            o, pl, rl = outcome(ai_rows(site, net), rate)
            a = {k: q(o[k], 2) for k in ["revenue_usd", "power_cost_usd", "opex_usd", "capex_usd", "net_cash_usd", "npv_usd"]}
            a["irr"] = q(o["irr"], 6)
            a["payback_months"] = o["payback_months"]
            a["btc_mined"] = q(o["btc_mined"], 8)
            a["breakeven_rate"] = None if rl[0] == 0 else q(-rl[1] / rl[0], 4)
            g = site["ai"].get("build_months", 0)
            a["go_live"] = net[g]["label"] if g < len(net) else None
            out["ai"] = a
            lines["ai"] = (o["npv_usd"], pl)
        if "mine" in lines and "ai" in lines:
            nm, (sm, im) = lines["mine"]
            na, (sa, ia) = lines["ai"]
            out["winner"] = "mine" if nm > na else "ai" if na > nm else "tie"
            out["npv_advantage_usd"] = q(abs(nm - na), 2)
            x = None if sm == sa else (ia - im) / (sm - sa)
            out["crossover_btc_price_usd"] = q(x, 2) if x is not None and x > 0 else None
        sites.append(out)
    return {"scenario": s["name"], "months": s["months"],
            "network": {"hashprice_usd_per_ph_day": q(net[0]["hashprice"], 4), "halvings": halvings},
            "sites": sites}


def dump(v):
    if isinstance(v, RawNum):
        return str(v)
    if isinstance(v, dict):
        return "{" + ", ".join(json.dumps(k) + ": " + dump(x) for k, x in v.items()) + "}"
    if isinstance(v, list):
        return "[" + ", ".join(dump(x) for x in v) + "]"
    return json.dumps(v)


if __name__ == "__main__":
    print(dump(summary(load(sys.argv[1]))))
