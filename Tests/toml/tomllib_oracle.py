#!/usr/bin/env python3
"""Random TOML documents and what Python's tomllib (a TOML 1.0 parser) makes of them.

narrate's config parser is compared with this: for every document, both must accept it or
both reject it, and accepted documents must hold the same keys, types and values.

    python3 tomllib_oracle.py SEED COUNT   ->  JSON lines {"text", "ok", "value"}

Values are tagged so that types survive JSON: {"s": str}, {"i": "123"}, {"f": "1.5"},
{"b": true}, {"dt": ...}, {"d": ...}, {"t": ...}, lists, and objects for tables.

Integers beyond 64 bits are left out: tomllib reads them (Python's integers have no limit),
while TOML asks a parser that cannot hold one to reject it, as narrate does.
"""
import datetime
import json
import random
import sys
import tomllib

# Each list: what TOML allows, then (after None) what it does not. A tenth of the picks is wrong.
KEYS = ["a", "b", "id", "x-y", "_z", "1", '"q"', '"a.b"', "'lit'", '""', "a.b", "a . c", "b.c.d", '"é"',
        None, "é", "a..b", "a.", "=", "[x]"]
STRINGS = [
    '"x"', '""', r'"a\tb"', r'"\u00e9"', r'"\U0001F600"', r"'lit\n'", "''", '"""\nline\nnext"""', '"""a \\\n   b"""',
    '""""quoted"""""', "'''\nraw\\ '''", "'''a''''", '"tab\there"', r'"\"\\"',
    None, r'"\q"', r'"\uD800"', '"unclosed', '"""x""""""', '"nul\x00"', '"del\x7f"', '"a"b"', "'''unclosed",
]
NUMBERS = [
    "0", "1", "-1", "+7", "1_000", "-0", "0x1F", "0xdead_beef", "0o17", "0b101", "9223372036854775807", "-9223372036854775808",
    "1.5", "-0.0", "1e10", "1E-2", "6.02e+23", "3.14_15", "inf", "-inf", "+nan", "nan", "0e0", "1e1_0",
    None, "1__0", "_1", "1_", "01", "-0x1", "0x", "1.", ".5", "1.e5", "1e", "infinity", "1.5.2", "0.1_",
    "00.5",
]
OTHERS = [
    "true", "false", "1979-05-27", "1979-05-27T07:32:00Z", "1979-05-27 07:32:00-07:00", "1979-05-27T00:32:00.999", "07:32:00",
    "2000-02-29",
    None, "True", "tru", "07:32", "1979-02-29", "1979-13-01", "1979-05-27T25:00:00", "1979-05-27T07:32:00+24:00", "red", "",
]
BLANKS = ["", " ", "\t", "  # note", " #", None, "\r", "# \x01"]


def pick(rng, choices, wrong=0.1):
    """A valid piece, or with probability `wrong` an invalid one."""
    cut = choices.index(None)
    return rng.choice(choices[cut + 1:] if rng.random() < wrong else choices[:cut])


def value(rng, depth=0):
    roll = rng.random()
    if depth < 3 and roll < 0.12:
        parts = [value(rng, depth + 1) for _ in range(rng.randint(0, 3))]
        sep = pick(rng, [", ", ",", ",\n  ", " , ", ",# c\n", None, ", ,", " "])
        tail = pick(rng, ["", ",", "\n", None, ", ,", "}"])
        return "[" + rng.choice(["", " ", "\n"]) + sep.join(parts) + tail + "]"
    if depth < 3 and roll < 0.22:
        pairs = [f"{pick(rng, KEYS)} = {value(rng, depth + 1)}" for _ in range(rng.randint(0, 3))]
        return "{" + rng.choice(["", " "]) + pick(rng, [", ", ",", None, " ", ",,"]).join(pairs) + pick(rng, ["", " ", None, ",", "\n", "]"]) + "}"
    if roll < 0.5:
        return pick(rng, STRINGS)
    if roll < 0.85:
        return pick(rng, NUMBERS)
    return pick(rng, OTHERS)


def line(rng):
    roll = rng.random()
    if roll < 0.2:
        name = ".".join(pick(rng, KEYS) for _ in range(rng.randint(1, 2)))
        return pick(rng, ["[{}]", "[[{}]]", "[ {} ]", "[[ {} ]]", None, "[{}", "[[{}]", "[{}]]", "[ [{}]]"]).format(name)
    if roll < 0.25:
        return pick(rng, BLANKS)
    return f"{pick(rng, KEYS)}{pick(rng, [' = ', '=', ' =', None, ' ', ' == '])}{value(rng)}{pick(rng, BLANKS)}"


def document(rng):
    return rng.choice(["\n", "\r\n"]).join(line(rng) for _ in range(rng.randint(1, 6))) + rng.choice(["", "\n"])


def tagged(node):
    if isinstance(node, bool):
        return {"b": node}
    if isinstance(node, int):
        return {"i": str(node)}
    if isinstance(node, float):
        return {"f": repr(node)}
    if isinstance(node, str):
        return {"s": node}
    if isinstance(node, datetime.datetime):
        return {"dt": node.isoformat()}
    if isinstance(node, datetime.date):
        return {"d": node.isoformat()}
    if isinstance(node, datetime.time):
        return {"t": node.isoformat()}
    if isinstance(node, list):
        return [tagged(item) for item in node]
    return {"table": {key: tagged(item) for key, item in node.items()}}


def main():
    seed, count = int(sys.argv[1]), int(sys.argv[2])
    rng = random.Random(seed)
    for _ in range(count):
        text = document(rng)
        try:
            result = {"text": text, "ok": True, "value": tagged(tomllib.loads(text))}
        except tomllib.TOMLDecodeError as error:
            result = {"text": text, "ok": False, "error": str(error)}
        print(json.dumps(result))


if __name__ == "__main__":
    main()
