"""The fast JSON renderer and the Python API agree on every field of every record."""

from __future__ import annotations

import numpy as np
import orjson

from simulator.dichvucong import instant, records
from simulator.dichvucong.jsonpage import fragments, page_bytes, records_json
from simulator.dichvucong.serialize import columns, rows_of


def test_fast_json_equals_the_python_values(world) -> None:
    w = world.window(instant("2024-07-01"), instant("2024-08-01"))
    assert w.n > 1000
    rows = np.arange(w.n)
    frag = fragments(world)
    fast = orjson.loads(page_bytes(records_json(world, frag, w, rows), 1, w.n, w.n, 1))
    slow = rows_of(columns(world, w, rows))
    assert fast["data"] == slow
    assert fast["total"] == w.n


def test_python_values_match_the_arrow_table(world) -> None:
    table = records("2024-07-01", "2024-07-08", world=world)
    w = world.window(instant("2024-07-01"), instant("2024-07-08"))
    py = rows_of(columns(world, w, np.arange(w.n)))
    assert table.num_rows == len(py)
    for got, want in zip(table.to_pylist(), py, strict=True):
        for key, value in want.items():
            if key.startswith("Ngay") and value is not None:
                assert f"{got[key].isoformat()}+07:00" == value
            else:
                assert got[key] == value, key


def test_overridden_values_replace_only_their_fields(world) -> None:
    w = world.window(instant("2024-07-01"), instant("2024-07-08"))
    rows = np.arange(10)
    frag = fragments(world)
    clean = [orjson.loads(r) for r in records_json(world, frag, w, rows)]
    spoiled = [
        orjson.loads(r) for r in records_json(world, frag, w, rows, {3: {"PhiLePhi": "1.234"}})
    ]
    assert spoiled[3]["PhiLePhi"] == "1.234"
    spoiled[3]["PhiLePhi"] = clean[3]["PhiLePhi"]
    assert spoiled == clean
