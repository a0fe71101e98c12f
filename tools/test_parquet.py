#!/usr/bin/env python3
"""`--format parquet` read back by a real client, DuckDB, against the CSV of
the same command.

For every case the binary writes the Parquet and the CSV (`-o`); DuckDB
reads the Parquet and:
- its columns are the CSV's header, in order;
- every money and rate column (a `*_usd` key, or one of RATES) is DECIMAL
  (`DESCRIBE SELECT * FROM read_parquet(...)`), and counts are integers;
- its row count is the CSV's;
- each DECIMAL column's SUM equals the CSV column's sum taken with Python's
  `decimal.Decimal` (exact), to the last printed digit: to the cent for
  money;
- and every cell equals the CSV's (as Decimal for numbers, as text for
  text, null for an empty cell).

The exception is `simulate --shard`'s records, whose CSV writes NPVs in
full (up to 28 decimals): their Parquet columns are DECIMAL(38, 20), so a
cell must equal the CSV's rounded half-even to 20 decimals, the column's
SUM the sum of those, and that SUM the CSV's exact sum to the cent.

Cases: `run --monthly` of each shipped scenario (scenarios/*.toml), then of
all of them in one file; a 100 x 100 `sweep` of
benches/lake-mariner-format2.toml (10,000 points); 10,000 paths of
`simulate --shard 1/1` of scenarios/lake-mariner-lease-life.toml.

Needs the duckdb package (PyPI): .ci/run installs it into a virtual
environment. Prints a closing `N passed, N failed` line; exits 1 on any
failure.

    target/venv-duckdb/bin/python tools/test_parquet.py [--bin target/debug/hashpivot]
"""

import argparse
import csv
import decimal
import glob
import os
import subprocess
import sys
import tempfile

import duckdb

# Sums of 10,000 figures of 33 digits: far past the default 28.
decimal.getcontext().prec = 100

# Keys that are rates or factors, not `*_usd`, that must still be DECIMAL.
RATES = {
    "hashprice_usd_per_ph_day",
    "btc_mined",
    "irr",
    "mirr",
    "breakeven_rate",
    "run_share",
    "kept_hashrate_ths",
    "network_hashrate_ehs",
    "power_price_usd_per_mwh",
    "rate",
    "in_service_share",
    "discount_factor",
    "conversion_irr",
    "conversion_mirr",
    "conversion_breakeven_rate",
    "mine_irr",
    "ai_irr",
}
COUNTS = {
    "payback_months",
    "conversion_payback_months",
    "mine_payback_months",
    "ai_payback_months",
    "point",
    "path",
    "paths",
}


def scale_of(kind):
    """The scale of `DECIMAL(38,20)`, None for another type."""
    if not kind.startswith("DECIMAL("):
        return None
    return int(kind[len("DECIMAL(") : -1].split(",")[1])


def as_stored(text, scale):
    """The CSV's digits as the Parquet column holds them: exact when they
    fit its scale, else rounded half-even to it (the records' NPVs)."""
    value = decimal.Decimal(text)
    if -value.as_tuple().exponent > scale:
        value = value.quantize(decimal.Decimal(1).scaleb(-scale), rounding=decimal.ROUND_HALF_EVEN)
    return value


def must_be_decimal(column):
    return column.endswith("_usd") or column in RATES


def write_both(binary, args, folder, name):
    """Runs `hashpivot ARGS --format F -o folder/name.F` for csv and parquet;
    returns the two paths."""
    paths = {}
    for fmt in ("csv", "parquet"):
        path = os.path.join(folder, f"{name}.{fmt}")
        done = subprocess.run(
            [binary, *args, "--format", fmt, "-o", path],
            capture_output=True,
            text=True,
        )
        if done.returncode != 0:
            raise RuntimeError(f"{' '.join(args)} --format {fmt}: exit {done.returncode}: {done.stderr}")
        paths[fmt] = path
    return paths["csv"], paths["parquet"]


def check(name, csv_path, parquet_path):
    """Returns a list of failures (empty when the Parquet matches)."""
    failures = []
    with open(csv_path, newline="", encoding="utf-8") as f:
        rows = list(csv.reader(f))
    header, body = rows[0], rows[1:]
    con = duckdb.connect()
    source = f"read_parquet('{parquet_path}')"
    described = con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()
    columns = [r[0] for r in described]
    types = {r[0]: r[1] for r in described}
    if columns != header:
        return [f"{name}: columns {columns} != CSV header {header}"]
    (count,) = con.execute(f"SELECT count(*) FROM {source}").fetchone()
    sums = []
    if count != len(body):
        failures.append(f"{name}: {count} rows, the CSV has {len(body)}")
    for i, column in enumerate(header):
        kind = types[column]
        if must_be_decimal(column) and not kind.startswith("DECIMAL"):
            failures.append(f"{name}: {column} is {kind}, not DECIMAL")
            continue
        if column in COUNTS and kind not in ("BIGINT", "INTEGER"):
            failures.append(f"{name}: {column} is {kind}, not an integer")
        if not kind.startswith("DECIMAL"):
            continue
        scale = scale_of(kind)
        exact = sum((decimal.Decimal(r[i]) for r in body if r[i] != ""), decimal.Decimal(0))
        stored = sum((as_stored(r[i], scale) for r in body if r[i] != ""), decimal.Decimal(0))
        (got,) = con.execute(f'SELECT SUM("{column}") FROM {source}').fetchone()
        got = decimal.Decimal(0) if got is None else got
        if got != stored:
            failures.append(f"{name}: SUM({column}) = {got}, the CSV's = {stored}")
        cent = decimal.Decimal("0.01")
        if got.quantize(cent) != exact.quantize(cent):
            failures.append(f"{name}: SUM({column}) = {got}, the CSV's exact sum {exact}: not to the cent")
        if column.endswith("_usd"):
            sums.append(f"{column} {got.quantize(cent)}")
    # Every cell, in file order (one row group keeps it; ordered by the
    # row number DuckDB gives each row of the file).
    parquet_rows = con.execute(
        f"SELECT * FROM read_parquet('{parquet_path}', file_row_number = true) ORDER BY file_row_number"
    ).fetchall()
    for n, (expected, got) in enumerate(zip(body, parquet_rows)):
        for column, text, value in zip(header, expected, got):
            if text == "":
                ok = value is None or value == ""
            elif isinstance(value, decimal.Decimal):
                ok = value == as_stored(text, scale_of(types[column]))
            elif isinstance(value, int):
                ok = value == int(text)
            else:
                ok = value == text
            if not ok:
                failures.append(f"{name}: row {n + 1} {column}: Parquet {value!r}, CSV {text!r}")
                break
    if not failures and sums:
        print(f"  {name}: {count} rows; sums equal the CSV's: {', '.join(sums[:3])}")
    return failures


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--bin", default="target/debug/hashpivot")
    args = parser.parse_args()
    scenarios = sorted(glob.glob("scenarios/*.toml"))
    if not scenarios:
        print("error: no scenarios/*.toml", file=sys.stderr)
        return 1
    cases = [(os.path.basename(s)[: -len(".toml")], ["run", "--monthly", s]) for s in scenarios]
    cases.append(("all-monthly", ["run", "--monthly", *scenarios]))
    cases.append(
        (
            "sweep-100x100",
            [
                "sweep",
                "benches/lake-mariner-format2.toml",
                "--vary",
                "bitcoin.hashrate_growth_annual=0..0.8:100",
                "--vary",
                "bitcoin.price_usd=40000..200000:100",
            ],
        )
    )
    cases.append(
        (
            "simulate-10000",
            [
                "simulate",
                "scenarios/lake-mariner-lease-life.toml",
                "--shard",
                "1/1",
                "--paths",
                "10000",
            ],
        )
    )
    passed = failed = 0
    with tempfile.TemporaryDirectory() as folder:
        for name, command in cases:
            try:
                csv_path, parquet_path = write_both(args.bin, command, folder, name)
                failures = check(name, csv_path, parquet_path)
            except Exception as e:  # noqa: BLE001 — a case that cannot run fails
                failures = [f"{name}: {e}"]
            if failures:
                failed += 1
                for f in failures[:20]:
                    print(f"FAIL {f}")
            else:
                passed += 1
                print(f"ok {name}")
    print(f"parquet: {passed} passed, {failed} failed")
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
