#!/usr/bin/env python3
"""The JSON Schema of scenario files (docs/scenario.schema.json) against the
files the loader's verdict is known for.

- Every shipped scenario (scenarios/*.toml) and every extreme that loads
  (tests/extremes/**/*.toml; those in overflow/ load, then overflow while
  computing) must be valid: the schema must never refuse a file the loader
  accepts.
- Every file of the corpus of refused files (tests/corpus/*.toml, each with
  the loader's exact error in its .stderr) is classified by that error's
  text into a kind. The kinds a schema can express (unknown keys, wrong
  types, out-of-range numbers, missing keys, format-2 keys in a format-1
  file, …) must all be refused by the schema. The kinds it cannot express
  (rules that join keys, exact decimals, TOML syntax) are skipped, and the
  skipped files are listed by name in SKIPPED, so a new corpus file that
  the schema lets through is a failure until someone reads it and lists it.
  A refusal counts only if one of the schema's errors lies on the path to
  the key the loader's message names (at it or at a table holding it).
- The decimal pattern is checked against the literals whose verdict
  crates/core/src/scenario/json_schema.rs's unit test takes from the
  loader's own parse_decimal.

TOML is read with tomllib; dates and times become strings, as an editor
such as Taplo hands them to the schema. Needs the jsonschema package
(PyPI): .ci/run installs it into a virtual environment. Prints the counts;
exits 1 on any failure.

    target/venv/bin/python tools/test_schema.py [SCHEMA]

SCHEMA defaults to docs/scenario.schema.json (another path is for trying
a changed schema before regenerating).
"""

import datetime
import json
import re
import sys
import tomllib
from pathlib import Path

from jsonschema import Draft202012Validator

ROOT = Path(__file__).resolve().parent.parent
SCHEMA = ROOT / "docs" / "scenario.schema.json"

# The kinds of loader errors, tried in order (the first whose pattern
# matches the first line of the .stderr wins): (kind, pattern, expressible).
KINDS = [
    # Not expressible: the schema sees no document, or the rule joins keys,
    # needs exact decimals, or is about computing.
    ("TOML syntax", r"^error: invalid TOML", False),
    ("unique site names", r"is already the name of site", False),
    ("meter load fits the grid", r"≤ grid_mw \(", False),
    ("fleet no larger than the network", r"≤ (bitcoin\.)?network_hashrate_ehs \(", False),
    ("power block shares sum to 1", r"shares sum to", False),
    ("AI start within the horizon", r"needs a month within the horizon", False),
    ("AI start later than start needs [site.mining]", r"later than start needs", False),
    ("decimal precision", r"more than 28 decimal places|more significant digits", False),
    ("non-finite number (JSON has no NaN or infinity)", r"must be a finite number", False),
    ("whole-valued float (JSON counts 24.0 as an integer)", None, False),
    ("overflow while computing", r"arithmetic overflow", False),
    # Expressible: the schema must refuse every one.
    ("format-2 key in a format-1 file", r"needs format = 2", True),
    ("unknown key", r"^error: unknown key", True),
    ("unsupported format", r"^error: format = .* is not supported", True),
    ("missing key", r"^error: missing key", True),
    ("empty file", r"^error: the file is empty", True),
    ("wrong type", r" must be (a number|a whole number|a string|true or false|a table|an array of tables)", True),
    ("not one of the choices", r' must be "', True),
    ("malformed month", r'needs the form "YYYY-MM"', True),
    ("empty name", r"needs a non-empty name", True),
    (
        "out of range",
        r" = \S+ needs (-?\d+ [<≤] )?\w+ [<≤>≥] -?\d+|is beyond the decimal range|is too large",
        True,
    ),
    ("exactly one form", r" has both | needs either ", True),
    ("site without a strategy", r"needs \[site\.mining\], \[site\.ai\] or both", True),
    ("needs [site.mining]", r"needs a \[site\.mining\] table in the same site", True),
]

# The corpus files the schema is not asked to refuse, by name, with their
# kind: review this list when it changes.
SKIPPED = {
    "10-months-float": "whole-valued float (JSON counts 24.0 as an integer)",
    "24-duplicate-site-names": "unique site names",
    "34-fleet-count-float": "whole-valued float (JSON counts 24.0 as an integer)",
    "43-mining-load-exceeds-grid": "meter load fits the grid",
    "44-fleet-load-exceeds-grid": "meter load fits the grid",
    "58-colocation-load-exceeds-grid": "meter load fits the grid",
    "65-gpu-load-exceeds-grid": "meter load fits the grid",
    "73-not-toml": "TOML syntax",
    "75-duplicate-key": "TOML syntax",
    "76-nan": "non-finite number (JSON has no NaN or infinity)",
    "77-inf": "non-finite number (JSON has no NaN or infinity)",
    "79-too-many-decimal-places": "decimal precision",
    "80-too-many-digits": "decimal precision",
    "81-quoted-decimal-too-precise": "decimal precision",
    "83-overflow-although-in-range": "overflow while computing",
    "84-deeply-nested-table": "TOML syntax",
    "85-deeply-nested-array": "TOML syntax",
    "86-unclosed-string": "TOML syntax",
    "87-unclosed-table-header": "TOML syntax",
    "92-fleet-larger-than-the-network": "fleet no larger than the network",
    "93-fleets-together-larger-than-the-network": "fleet no larger than the network",
    "99-blocks-sum-below-1": "power block shares sum to 1",
    "100-blocks-sum-above-1": "power block shares sum to 1",
    "116-ai-start-after-horizon": "AI start within the horizon",
    "117-ai-start-before-start": "AI start within the horizon",
    "119-ai-start-later-without-mining": "AI start later than start needs [site.mining]",
    "129-risk-paths-float": "whole-valued float (JSON counts 24.0 as an integer)",
}

# Quoted decimals and whether parse_decimal reads them as a number (the
# same lists as json_schema.rs's the_decimal_pattern_follows_parse_decimal).
DECIMALS_ACCEPTED = [
    "0", "-0", "+1", "0.1", "1_000", "1__0", "1_", "1.5_", "1e5", "1E-3", "1e_5",
    "1e5_", "1e+_5", "1_e5", "000123", "-2.50",
]
DECIMALS_REFUSED = [
    "", ".5", "1.", "_1", "1._5", "1.e5", "1e", "1e_", "1e+", "1e5e5", "1.2.3", "--1",
    "+-1", "0x10", "abc", " 1", "1 ", "nan", "inf", "-inf", "1,5",
]


def as_json(value):
    """A tomllib value as JSON holds it: dates and times as their text."""
    if isinstance(value, dict):
        return {k: as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, (datetime.date, datetime.time)):
        return value.isoformat()
    return value


def read(path):
    """The document, or None when it is not TOML tomllib reads."""
    try:
        with open(path, "rb") as f:
            return as_json(tomllib.load(f))
    except (tomllib.TOMLDecodeError, RecursionError):
        return None


def first_error(validator, doc):
    errors = sorted(validator.iter_errors(doc), key=lambda e: list(e.absolute_path))
    if not errors:
        return None
    e = errors[0]
    where = "/".join(str(p) for p in e.absolute_path) or "(top)"
    return f"{where}: {e.message}"


def loader_path(message):
    """The key path the loader's message names, as schema path parts
    (`site[0].mining.uptime` is site/0/mining/uptime); [] for none."""
    text = re.sub(r"^error: (missing key |unknown key )?", "", message)
    m = re.match(r"[A-Za-z_]\w*(\[\d+\])?(\.[A-Za-z_]\w*(\[\d+\])?)*", text)
    if not m or text.startswith("the file"):
        return []
    return [p for p in re.split(r"[.\[\]]+", m.group(0)) if p]


def refused_where_the_loader_points(validator, doc, message):
    """Whether one of the schema's errors lies on the path to the key the
    loader names (at it, or at a table holding it): refused for the
    loader's reason, not by chance elsewhere in the file."""
    want = loader_path(message)
    for e in validator.iter_errors(doc):
        got = [str(p) for p in e.absolute_path]
        if got == want[: len(got)]:
            return True
    return False


def whole_valued_float(message):
    m = re.search(r"= (\S+) must be a whole number", message)
    if not m:
        return False
    try:
        return float(m.group(1)).is_integer()
    except ValueError:
        return False


def kind_of(message):
    if whole_valued_float(message):
        return "whole-valued float (JSON counts 24.0 as an integer)", False
    for kind, pattern, expressible in KINDS:
        if pattern and re.search(pattern, message):
            return kind, expressible
    return None, None


def main():
    failures = []
    schema_path = Path(sys.argv[1]) if len(sys.argv) > 1 else SCHEMA
    schema = json.loads(schema_path.read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    validator = Draft202012Validator(schema)

    # Files the loader accepts.
    shipped = sorted((ROOT / "scenarios").glob("*.toml"))
    extremes = []
    for path in sorted((ROOT / "tests" / "extremes").rglob("*.toml")):
        stderr = path.with_suffix(".stderr")
        if stderr.exists() and "arithmetic overflow" not in stderr.read_text(encoding="utf-8"):
            continue  # refused while loading: not one the schema must accept
        extremes.append(path)
    if not shipped or not extremes:
        failures.append("no shipped scenarios or no extremes found")
    for path in shipped + extremes:
        doc = read(path)
        if doc is None:
            failures.append(f"{path.relative_to(ROOT)}: not TOML")
            continue
        error = first_error(validator, doc)
        if error:
            failures.append(f"{path.relative_to(ROOT)} loads, but the schema refuses it: {error}")

    # Files the loader refuses.
    rejected = {}
    skipped = {}
    corpus = sorted((ROOT / "tests" / "corpus").glob("*.toml"))
    if not corpus:
        failures.append("no corpus files found")
    for path in corpus:
        name = path.stem
        message = path.with_suffix(".stderr").read_text(encoding="utf-8").splitlines()[0]
        kind, expressible = kind_of(message)
        if kind is None:
            failures.append(f"corpus {name}: no kind for {message!r}: add one to KINDS")
            continue
        if not expressible:
            skipped.setdefault(kind, []).append(name)
            if SKIPPED.get(name) != kind:
                failures.append(
                    f"corpus {name} ({kind}) is skipped but not listed in SKIPPED with that kind: review it"
                )
            continue
        if name in SKIPPED:
            failures.append(f"corpus {name} is listed in SKIPPED but its kind ({kind}) is expressible")
        doc = read(path)
        if doc is not None and first_error(validator, doc) is None:
            failures.append(f"corpus {name} ({kind}): the schema accepts it; the loader says {message!r}")
            continue
        if doc is not None and not refused_where_the_loader_points(validator, doc, message):
            failures.append(
                f"corpus {name} ({kind}): refused, but not on the path of the key the loader names "
                f"({'/'.join(loader_path(message))}): {first_error(validator, doc)}"
            )
            continue
        rejected.setdefault(kind, []).append(name)
    seen = {n for names in skipped.values() for n in names}
    for name in sorted(set(SKIPPED) - seen):
        failures.append(f"SKIPPED lists {name}, which is not a skipped corpus file")

    # The decimal pattern.
    pattern = schema["properties"]["discount_rate"]["pattern"]
    for text in DECIMALS_ACCEPTED:
        if not re.search(pattern, text):
            failures.append(f"decimal pattern refuses {text!r}, which the loader reads")
    for text in DECIMALS_REFUSED:
        if re.search(pattern, text):
            failures.append(f"decimal pattern accepts {text!r}, which the loader refuses")

    n_rejected = sum(len(v) for v in rejected.values())
    n_skipped = sum(len(v) for v in skipped.values())
    print(f"valid: {len(shipped)} shipped scenarios, {len(extremes)} extremes")
    print(f"corpus: {n_rejected} refused by the schema, {n_skipped} skipped, of {len(corpus)}")
    for kind, names in rejected.items():
        print(f"  refused  {len(names):3}  {kind}")
    for kind, names in skipped.items():
        print(f"  skipped  {len(names):3}  {kind}: {', '.join(names)}")
    if failures:
        for f in failures:
            print(f"FAIL {f}", file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
