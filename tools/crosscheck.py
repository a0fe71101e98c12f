#!/usr/bin/env python3
"""Compare `hashpivot run --format json` with tools/reference.py.

Usage:
  python3 tools/crosscheck.py FILE.toml...        check these scenarios
  python3 tools/crosscheck.py --random N [--seed S] [--keep DIR] [--months 240,600]
                                                  N generated scenarios

A figure passes when it differs by at most one unit in its last printed
decimal (IRR: 1e-6, as any root within 1e-9 of the true rate is correct and
then rounded). Uses target/release/hashpivot (build it first). Exit 1 on
any difference.
"""
import json
import os
import random
import subprocess
import sys
import tempfile
from decimal import Decimal as D

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "hashpivot")
REF = os.path.join(ROOT, "tools", "reference.py")


def places(text):
    return len(text.split(".")[1]) if "." in text else 0


def compare(a, b, path, out):
    if isinstance(a, dict) and isinstance(b, dict):
        if list(a) != list(b):
            out.append(f"{path}: keys {list(a)} != {list(b)}")
        for k in a:
            if k in b:
                compare(a[k], b[k], f"{path}.{k}", out)
    elif isinstance(a, list) and isinstance(b, list):
        if len(a) != len(b):
            out.append(f"{path}: length {len(a)} != {len(b)}")
        for i, (x, y) in enumerate(zip(a, b)):
            compare(x, y, f"{path}[{i}]", out)
    elif isinstance(a, D) and isinstance(b, D):
        tol = D(1).scaleb(-places(str(a)))
        if path.endswith(".irr"):
            tol = max(tol, D("0.000001"))
        if abs(a - b) > tol:
            out.append(f"{path}: hashpivot {a} reference {b}")
    elif a != b:
        out.append(f"{path}: hashpivot {a!r} reference {b!r}")


def check(path):
    run = subprocess.run([BIN, "run", path, "--format", "json"], capture_output=True, text=True)
    if run.returncode != 0:
        return [f"hashpivot failed: {run.stderr.strip()}"]
    ref = subprocess.run([sys.executable, REF, path], capture_output=True, text=True)
    if ref.returncode != 0:
        return [f"reference failed: {ref.stderr.strip()[-500:]}"]
    mine = json.loads(run.stdout, parse_float=D, parse_int=D)
    theirs = json.loads(ref.stdout, parse_float=D, parse_int=D)
    out = []
    compare(mine, theirs, "$", out)
    return out


def pick(rng, *choices):
    return rng.choice(choices)


MONTHS = (1, 2, 12, 13, 36, 60, 120)


def generate(rng, n):
    months = rng.choice(MONTHS)
    lines = [
        "format = 1",
        f'name = "random {n}"',
        f'start = "{rng.randint(2024, 2030)}-{rng.randint(1, 12):02d}"',
        f"months = {months}",
        f"discount_rate = {pick(rng, 0, '0.08', '0.1', '0.15', '0.35', '9.99')}",
        "[bitcoin]",
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
        loads = []
        body = []
        if has_mining:
            pue = pick(rng, 1, "1.05", "1.1")
            body.append("[site.mining]")
            if rng.random() < 0.5:
                ths = rng.randint(100000, 5000000)
                eff = pick(rng, "17.5", "21.5", "13.5", 30)
                body += [f"hashrate_ths = {ths}", f"efficiency_j_per_th = {eff}"]
                loads.append(D(ths) * D(eff) / D(10**6) * D(pue))
            else:
                total = D(0)
                for model, th, j in [("S19 XP", 140, "21.5"), ("S21", 200, "17.5"), ("S21 XP", 270, "13.5")]:
                    if rng.random() < 0.7:
                        c = rng.randint(1, 20000)
                        total += D(c) * D(th) * D(j)
                        body += ["[[site.mining.fleet]]", f'model = "{model}"', f"count = {c}",
                                 f"ths = {th}", f"j_per_th = {j}"]
                if total == 0:
                    body += ["[[site.mining.fleet]]", 'model = "S21"', "count = 1000", "ths = 200", "j_per_th = 17.5"]
                    total = D(1000 * 200) * D("17.5")
                loads.append(total / D(10**6) * D(pue))
            # keys after a [[fleet]] row would belong to it: use a dotted table
            body.insert(0, "")
            mining_keys = [f"pue = {pue}", f"uptime = {pick(rng, 1, '0.95')}",
                           f"pool_fee = {pick(rng, 0, '0.02')}",
                           f"opex_usd_per_month = {pick(rng, 0, 250000)}",
                           f"capex_usd = {pick(rng, 0, 30000000)}"]
            idx = body.index("[site.mining]") + 1
            body[idx:idx] = mining_keys
        if has_ai:
            build = pick(rng, 0, 1, 6, 12, months, months + 3)
            ramp = pick(rng, 0, 1, 4)
            pue = pick(rng, 1, "1.2", "1.3")
            ai = ["[site.ai]", f"pue = {pue}", f"build_months = {build}", f"ramp_months = {ramp}",
                  f"conversion_capex_usd = {pick(rng, 0, 90000000, 450000000)}",
                  f"opex_usd_per_month = {pick(rng, 0, 100000)}"]
            if has_mining and rng.random() < 0.5:
                ai.append("mine_during_build = true")
            if rng.random() < 0.5:
                it = rng.randint(5, 100)
                ai += ['kind = "colocation"', f"it_mw = {it}", f"lease_usd_per_kw_month = {pick(rng, 0, 120, 154, '180.5')}",
                       f"lease_escalator_annual = {pick(rng, 0, '0.03', '-0.05')}",
                       f"power_pass_through = {pick(rng, 'true', 'false')}"]
                loads.append(D(it) * D(pue))
            else:
                cnt = rng.randint(1, 40000)
                kw = pick(rng, "1.275", "1.79", "1.3")
                ai += ['kind = "gpu_cloud"', f"gpu_count = {cnt}", f"gpu_kw = {kw}",
                       f"gpu_hour_usd = {pick(rng, 0, '1.69', '2.35', 8)}",
                       f"utilization = {pick(rng, 0, '0.7', 1)}",
                       f"gpu_hour_decline_annual = {pick(rng, 0, '0.19', '0.5')}",
                       f"gpu_capex_usd = {pick(rng, 0, 25000)}"]
                loads.append(D(cnt) * D(kw) / 1000 * D(pue))
            body += [""] + ai
        grid = max(loads) * D(pick(rng, 1, "1.5"))
        lines += ["", "[[site]]", f'name = "site {s}"', f"grid_mw = {grid}",
                  f"power_price_usd_per_mwh = {pick(rng, 0, 25, 40, '55.5')}"] + body
    return "\n".join(lines) + "\n"


def main(argv):
    failures = 0
    if argv[:1] == ["--random"]:
        n = int(argv[1])
        seed = int(argv[argv.index("--seed") + 1]) if "--seed" in argv else 1
        keep = argv[argv.index("--keep") + 1] if "--keep" in argv else None
        if "--months" in argv:
            global MONTHS
            MONTHS = tuple(int(m) for m in argv[argv.index("--months") + 1].split(","))
        rng = random.Random(seed)
        folder = keep or tempfile.mkdtemp()
        os.makedirs(folder, exist_ok=True)
        paths = []
        for i in range(n):
            p = os.path.join(folder, f"random-{i}.toml")
            with open(p, "w") as f:
                f.write(generate(rng, i))
            paths.append(p)
    else:
        paths = argv
    for p in paths:
        diffs = check(p)
        if diffs:
            failures += 1
            print(f"DIFF {p}")
            for d in diffs[:20]:
                print(f"  {d}")
        else:
            print(f"ok   {p}")
    print(f"{len(paths) - failures} passed, {failures} failed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
