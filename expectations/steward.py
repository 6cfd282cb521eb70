"""The data stewards' command: read the quality of the published data, re-check one load.

    python -m expectations.steward status              # from the serving database, read-only
    python -m expectations.steward revalidate <load_id>

``status`` prints, per source dataset, the worst outcome in each dimension (đúng, đủ, sạch,
sống) with counts, the newest load of each dataset (of each province's, in a many-province
lake) and its age, the checks that did not pass, and the quarantine; then, from the lake's
ledgers (the one province's and every province's; not yet published: a blocked run does not
refresh the serving copy), the loads that were kept out of the live lake, and why.
``revalidate`` runs the load's Great Expectations suite again on its lake folder, records
the results (``lake/_meta/dq_results``; served after the next refresh), rebuilds the Data
Docs and exits 1 when a blocking check fails. A load with no rows has nothing to check: it
says so and keeps the load's recorded results. A load the ledger has no success entry for
(its window unknown) is not checked: it is named, exit 2; so is a load whose success entry
lacks the window its suite checks against. In a many-province lake a load is
``<source>/<dataset>/province=<code>/load_id=<id>``, checked with its province's suite
against its province's ledger, its results under ``lake/province=<code>/_meta``; a load id
more than one province has is named ``province=<code>/<id>`` (as dq.dq_check_result
names it), and the one province's load beside provinces' loads of its id (a lake being
converted) by its folder below the lake, ``<source>/<dataset>/load_id=<id>`` (any load may be
named so); an id that names more than one load is refused (exit 2) with each load's name.
Paths from ``IOC_WAREHOUSE``.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path, PurePosixPath
from typing import TextIO

import duckdb

from ingest.common.lake import PROVINCE_PARTITION
from ingest.common.parse import now_local
from ingest.common.settings import WarehousePaths, get_variable

DIMENSIONS = {"dung": "Đúng", "du": "Đủ", "sach": "Sạch", "song": "Sống"}
STATUS = {"pass": "Đạt", "warn": "Cảnh báo", "fail": "Lỗi", None: "Chưa kiểm tra"}
WORST = {"fail": 3, "warn": 2, "pass": 1}
LOAD_STATUS = {
    "landed": "Chờ kiểm tra",
    "success": "Thành công",
    "rejected": "Bị loại",
    "failed": "Lỗi",
}


def table(headers: Sequence[str], rows: Sequence[Sequence[object]]) -> str:
    """A plain-text table (NFC Vietnamese: one character, one column)."""
    cells = [[("" if v is None else str(v)) for v in row] for row in rows]
    widths = [max([len(h), *(len(r[i]) for r in cells)]) for i, h in enumerate(headers)]
    line = "  ".join("-" * w for w in widths)
    out = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)), line]
    out += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)) for r in cells]
    return "\n".join(o.rstrip() for o in out)


def _age(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return ""
    hours = (now - moment).total_seconds() / 3600
    return f"{hours:.0f} giờ" if abs(hours) < 48 else f"{hours / 24:.0f} ngày"


def status(paths: WarehousePaths, out: TextIO | None = None) -> int:
    out = out or sys.stdout  # looked up per call: a caller may have replaced it
    if not paths.serving_db.exists():
        print(f"Chưa có cơ sở dữ liệu phục vụ: {paths.serving_db}", file=out)
        blocked(paths, out)
        return 2
    served(paths, out)
    blocked(paths, out)
    return 0


def _ledger_files(paths: WarehousePaths) -> list[str]:
    """Every ledger file of the lake: the one province's (``lake/_meta``) and, in a
    many-province lake, each province's (``lake/province=<code>/_meta``)."""
    lake = WarehousePaths(paths.root).lake
    files = [*lake.glob("_meta/load_ledger/*.parquet")]
    files += lake.glob(f"{PROVINCE_PARTITION}*/_meta/load_ledger/*.parquet")
    return [str(f) for f in sorted(files)]


# A load as dq.dq_check_result names it: <id>, or in a province's ledger province=<code>/<id>.
_LOAD_NAME = (
    "coalesce('province=' || nullif(regexp_extract(filename, "
    "'/province=([^/]+)/_meta/load_ledger/', 1), '') || '/', '') || load_id"
)


def blocked(paths: WarehousePaths, out: TextIO | None = None) -> None:
    """The loads whose latest attempt did not go live (rejected or failed, nothing newer
    succeeded), from the lake's ledgers (the one province's and every province's), with the
    reason (the share and top reasons)."""
    out = out or sys.stdout
    files = _ledger_files(paths)
    print("\nLần nạp bị chặn, không đưa vào hồ dữ liệu (sổ nạp trong hồ)\n", file=out)
    if not files:
        print("Chưa có lần nạp nào.", file=out)
        return
    with duckdb.connect() as con:
        rows = con.execute(
            f"SELECT source || '.' || dataset, {_LOAD_NAME} AS load, status, finished_at, "
            "message FROM read_parquet(?, union_by_name = true, filename = true) "
            "QUALIFY row_number() OVER (PARTITION BY source, dataset, load "
            "ORDER BY started_at DESC) = 1 AND status IN ('failed', 'rejected') "
            "ORDER BY finished_at DESC LIMIT 20",
            [files],
        ).fetchall()
    if not rows:
        print("Không có lần nạp nào bị chặn.", file=out)
        return
    headers = ["Tập dữ liệu", "Mã lần nạp", "Trạng thái", "Kết thúc lúc"]
    for dataset, load_id, state, end, message in rows:
        cells = [dataset, load_id, LOAD_STATUS.get(state, state), f"{end:%Y-%m-%d %H:%M}"]
        print(table(headers, [cells]), file=out)
        for line in (message or "").splitlines()[:6]:
            print(f"    {line[:160]}", file=out)
        print(file=out)


def served(paths: WarehousePaths, out: TextIO | None = None) -> None:
    out = out or sys.stdout
    with duckdb.connect(str(paths.serving_db), read_only=True) as con:
        sql = con.execute
        checks = sql(
            "SELECT dataset, dimension, status, count(*) FROM dq.dq_check_result GROUP BY ALL"
        ).fetchall()
        sources = {
            r[0]
            for r in sql(
                "SELECT DISTINCT source || '.' || dataset FROM dq.load_ledger UNION "
                "SELECT DISTINCT dataset FROM dq.dq_check_result WHERE check_kind != 'dbt' "
                "UNION SELECT DISTINCT dataset FROM dq.dq_quarantine"
            ).fetchall()
        }
        # per province (null: the one province's) and dataset: one province's old load is
        # not hidden by another's newer one; its load named province=<code>/<id>
        loads = sql(
            "SELECT source || '.' || dataset, coalesce('province=' || province || '/', '') "
            "|| arg_max(load_id, started_at), arg_max(status, started_at), max(finished_at), "
            "max(data_until) FILTER (WHERE status = 'success'), count(*) "
            "FROM dq.load_ledger GROUP BY province, source, dataset "
            "ORDER BY 1, province NULLS FIRST"
        ).fetchall()
        failing = sql(
            "SELECT dataset, dimension, status, check_name, load_id, rows_failed, details "
            "FROM dq.dq_check_result WHERE status != 'pass' "
            "ORDER BY status = 'warn', dataset, check_name LIMIT 20"
        ).fetchall()
        quarantined = sql(
            "SELECT dataset, count(*), count(DISTINCT load_id) FROM dq.dq_quarantine "
            "GROUP BY 1 ORDER BY 1"
        ).fetchall()
        reasons = sql(
            "SELECT dataset, reason, count(*) AS n FROM dq.dq_quarantine "
            "GROUP BY dataset, reason "
            "QUALIFY row_number() OVER (PARTITION BY dataset ORDER BY n DESC) <= 5 "
            "ORDER BY dataset, n DESC"
        ).fetchall()
        (checked_at,) = sql("SELECT max(checked_at) FROM dq.dq_check_result").fetchone()
    now = now_local()

    counts: dict[tuple[str, str], dict[str, int]] = {}
    for dataset, dimension, state, n in checks:
        counts.setdefault((dataset, dimension), {})[state] = n
    rows = []
    for dataset in sorted(sources):
        for dim, label in DIMENSIONS.items():
            c = counts.get((dataset, dim), {})
            worst = max(c, key=WORST.__getitem__) if c else None
            rows.append(
                [
                    dataset,
                    label,
                    STATUS[worst],
                    c.get("pass", 0),
                    c.get("warn", 0),
                    c.get("fail", 0),
                ]
            )
    print(f"Chất lượng dữ liệu (kiểm tra gần nhất lúc {checked_at:%Y-%m-%d %H:%M})\n", file=out)
    headers = ["Tập dữ liệu", "Tiêu chí", "Kết quả xấu nhất", "Đạt", "Cảnh báo", "Lỗi"]
    print(table(headers, rows), file=out)

    layers: dict[tuple[str, str], dict[str, int]] = {}
    for (dataset, dim), c in counts.items():
        if dataset not in sources:
            layer = layers.setdefault((dataset.split(".")[0], dim), {})
            for state, n in c.items():
                layer[state] = layer.get(state, 0) + n
    if layers:
        print("\nKiểm thử dbt trên kho (theo lớp)\n", file=out)
        rows = [
            [layer, DIMENSIONS[dim], STATUS[max(c, key=WORST.__getitem__)], *_split(c)]
            for (layer, dim), c in sorted(layers.items(), key=_layer_order)
        ]
        print(
            table(["Lớp", "Tiêu chí", "Kết quả xấu nhất", "Đạt", "Cảnh báo", "Lỗi"], rows), file=out
        )

    print("\nLần nạp mới nhất\n", file=out)
    rows = [
        [
            d,
            load_id,
            LOAD_STATUS.get(state, state),
            f"{end:%Y-%m-%d %H:%M}" if end else "",
            _age(end, now),
            f"{data_end:%Y-%m-%d}" if data_end else "",
            n,
        ]
        for d, load_id, state, end, data_end, n in loads
    ]
    headers = [
        "Tập dữ liệu",
        "Mã lần nạp",
        "Trạng thái",
        "Kết thúc lúc",
        "Cách đây",
        "Dữ liệu đến",
        "Số lần nạp",
    ]
    print(table(headers, rows) if rows else "Chưa có lần nạp nào.", file=out)

    if failing:
        print("\nCác kiểm tra chưa đạt (tối đa 20)\n", file=out)
        rows = [
            [d, DIMENSIONS.get(dim, dim), STATUS.get(s, s), name[:60], load, n, (det or "")[:80]]
            for d, dim, s, name, load, n, det in failing
        ]
        headers = ["Tập dữ liệu", "Tiêu chí", "Kết quả", "Kiểm tra", "Lần nạp", "Số dòng lỗi"]
        print(table([*headers, "Chi tiết"], rows), file=out)

    print("\nDữ liệu bị cách ly\n", file=out)
    if not quarantined:
        print("Không có bản ghi nào bị cách ly.", file=out)
    else:
        print(table(["Tập dữ liệu", "Số bản ghi", "Số lần nạp"], quarantined), file=out)
        print("\nLý do thường gặp nhất\n", file=out)
        print(
            table(["Tập dữ liệu", "Lý do", "Số bản ghi"], [[d, r[:100], n] for d, r, n in reasons]),
            file=out,
        )


def _layer_order(item: tuple[tuple[str, str], dict[str, int]]) -> tuple[str, int]:
    (layer, dim), _ = item
    return layer, list(DIMENSIONS).index(dim) if dim in DIMENSIONS else len(DIMENSIONS)


def _split(c: dict[str, int]) -> list[int]:
    return [c.get("pass", 0), c.get("warn", 0), c.get("fail", 0)]


@dataclass(frozen=True)
class Load:
    """A load folder in the live lake: ``<source>/<dataset>/load_id=<id>``, or in a
    many-province lake ``<source>/<dataset>/province=<code>/load_id=<id>``."""

    province: str | None
    source: str
    dataset: str
    folder: Path

    @property
    def load_id(self) -> str:
        return self.folder.name.removeprefix("load_id=")

    @property
    def name(self) -> str:
        """As dq.dq_check_result names it: ``<id>``, or ``province=<code>/<id>``."""
        if self.province:
            return f"{PROVINCE_PARTITION}{self.province}/{self.load_id}"
        return self.load_id

    def path(self, lake: Path) -> str:
        """Its folder below the lake, which names it alone: ``<source>/<dataset>/load_id=<id>``
        (the one province's, beside provinces' loads of the same id in a mixed lake)."""
        return self.folder.relative_to(lake).as_posix()


def _load_at(lake: Path, relative: str) -> list[Load]:
    """The load at ``<source>/<dataset>[/province=<code>]/load_id=<id>`` below the lake."""
    parts = PurePosixPath(relative.strip("/")).parts
    province = parts[2].removeprefix(PROVINCE_PARTITION) if len(parts) == 4 else None
    if (
        len(parts) not in (3, 4)
        or (len(parts) == 4 and not parts[2].startswith(PROVINCE_PARTITION))
        or not parts[-1].startswith("load_id=")
        or parts[0].startswith(("_", ".", PROVINCE_PARTITION))
        or any(p in ("..", ".") for p in parts)
        or not lake.joinpath(*parts).is_dir()
    ):
        return []
    return [Load(province, parts[0], parts[1], lake.joinpath(*parts))]


def _find_loads(paths: WarehousePaths, load_id: str) -> list[Load]:
    """The live load folders of ``load_id`` in either layout; ``province=<code>/<id>`` picks
    that province's, a folder below the lake (``<source>/<dataset>/load_id=<id>``) that one."""
    if "load_id=" in load_id:
        return _load_at(paths.lake, load_id)
    wanted, _, bare = load_id.rpartition("/")
    found = [
        Load(None, f.parents[1].name, f.parent.name, f)
        for f in sorted(paths.lake.glob(f"*/*/load_id={bare}"))
        if not f.parents[1].name.startswith(("_", ".", PROVINCE_PARTITION))
    ] + [
        Load(
            f.parent.name.removeprefix(PROVINCE_PARTITION), f.parents[2].name, f.parents[1].name, f
        )
        for f in sorted(paths.lake.glob(f"*/*/{PROVINCE_PARTITION}*/load_id={bare}"))
        if not f.parents[2].name.startswith(("_", "."))
    ]
    if wanted:
        return [load for load in found if load.province == wanted.removeprefix(PROVINCE_PARTITION)]
    return found


def _ledger_entry(meta: Path, load: Load) -> tuple[datetime | None, ...] | None:
    """The window (start, end) the load's ledger (its province's) records for its success,
    None if none."""
    folder = meta / "load_ledger"
    if not any(folder.glob("*.parquet")):
        return None
    with duckdb.connect() as con:
        return con.execute(
            "SELECT window_start, window_end FROM read_parquet(?, union_by_name = true) "
            "WHERE load_id = ? AND source = ? AND dataset = ? AND status = 'success' "
            "ORDER BY started_at DESC LIMIT 1",
            [str(folder / "*.parquet"), load.load_id, load.source, load.dataset],
        ).fetchone()


def revalidate(paths: WarehousePaths, load_id: str, out: TextIO | None = None) -> int:
    out = out or sys.stdout
    found = _find_loads(paths, load_id)
    if not found:
        print(f"Không tìm thấy lần nạp {load_id} trong hồ dữ liệu {paths.lake}.", file=out)
        return 2
    if len(found) > 1:
        print(
            f"Có {len(found)} lần nạp mang mã {load_id} trong hồ dữ liệu {paths.lake}; "
            "hãy chỉ rõ một lần nạp, bằng một trong các tên sau:",
            file=out,
        )
        names = [load.name for load in found]
        for load in found:  # the bare id names them all: the one province's by its folder
            alone = load.province and names.count(load.name) == 1
            spelling = load.name if alone else load.path(paths.lake)
            print(f"    {spelling}  ({load.source}.{load.dataset}: {load.folder})", file=out)
        return 2
    (load,) = found
    source, name, folder = load.source, load.dataset, load.folder
    meta = paths.for_province(load.province).meta if load.province else paths.meta
    from expectations import suites
    from expectations.validate import ValidationFailed, Validator, gate

    province = load.province or get_variable("ioc_province", "56")
    suite = suites.suite_for(source, name, province)
    if suite is None:
        print(f"Tập dữ liệu {source}.{name} chưa có bộ kiểm tra (suite).", file=out)
        return 2
    dataset = f"{source}.{name}"
    entry = _ledger_entry(meta, load)
    if entry is None:
        print(
            f"Lần nạp {load.name} của {dataset} ({folder}) không có trong sổ nạp "
            f"({meta / 'load_ledger'}) với trạng thái thành công: không biết kỳ dữ liệu "
            "của nó nên không kiểm tra lại. Hãy nạp lại kỳ này hoặc chuyển thư mục ra khỏi hồ.",
            file=out,
        )
        return 2
    window = None if None in entry else [entry[0].isoformat(), entry[1].isoformat()]
    missing = suites.parameter_names(suite) - suites.parameters(window).keys()
    if missing:
        print(
            f"Lần nạp {load.name} của {dataset} ({folder}): sổ nạp ({meta / 'load_ledger'}) "
            f"không ghi kỳ dữ liệu (thiếu {', '.join(sorted(missing))}) mà bộ kiểm tra cần, "
            "nên không kiểm tra lại. Hãy nạp lại kỳ này để sổ nạp ghi đủ kỳ dữ liệu.",
            file=out,
        )
        return 2
    validator = Validator(paths.data_docs, f"steward__{now_local():%Y%m%dT%H%M%S}")
    results = validator.validate(dataset, load.load_id, folder, suite, suites.parameters(window))
    if not results:
        validator.build_docs()
        print(
            f"Lần nạp {load.name} của {dataset} không có dòng nào ({folder}): "
            "không có kiểm tra nào được chạy, kết quả đã ghi trước đây được giữ nguyên.",
            file=out,
        )
        return 0
    written = validator.write(results, dataset, load.load_id, meta)
    docs = validator.build_docs()
    rows = [
        [
            DIMENSIONS.get(r.dimension, r.dimension),
            STATUS[r.status],
            r.check_name[:90],
            r.rows_checked,
            r.rows_failed,
            "; ".join(r.details)[:80],
        ]
        for r in sorted(results, key=lambda r: (-WORST[r.status], r.dimension, r.check_name))
    ]
    print(f"Kiểm tra lại {dataset}, lần nạp {load.name}\n", file=out)
    print(
        table(["Tiêu chí", "Kết quả", "Kiểm tra", "Số dòng", "Số dòng lỗi", "Chi tiết"], rows),
        file=out,
    )
    print(f"\nĐã ghi kết quả vào {written} (lên bảng dq sau lần làm mới tới).", file=out)
    print(f"Data Docs đã dựng lại: {docs}", file=out)
    try:
        gate(results, dataset, load.load_id)
    except ValidationFailed:
        blocking = sum(r.status == "fail" for r in results)
        print(f"KHÔNG ĐẠT: {blocking} kiểm tra bắt buộc bị lỗi.", file=out)
        return 1
    print("ĐẠT: không có kiểm tra bắt buộc nào bị lỗi.", file=out)
    return 0


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m expectations.steward",
        description="Chất lượng dữ liệu cho cán bộ quản lý dữ liệu: đúng, đủ, sạch, sống.",
    )
    commands = parser.add_subparsers(dest="command", required=True)
    commands.add_parser("status", help="tình trạng chất lượng từ CSDL phục vụ (chỉ đọc)")
    again = commands.add_parser("revalidate", help="chạy lại bộ kiểm tra GE cho một lần nạp")
    again.add_argument(
        "load_id",
        help="mã lần nạp, ví dụ ho_so_20261001T0000_20261101T0000; hồ nhiều tỉnh: "
        "province=<mã tỉnh>/<mã lần nạp> khi nhiều tỉnh có cùng mã; hoặc thư mục của lần nạp "
        "trong hồ, <nguồn>/<tập dữ liệu>/load_id=<mã lần nạp> (lần nạp của hồ một tỉnh)",
    )
    args = parser.parse_args(argv)
    paths = WarehousePaths.from_env()
    if args.command == "status":
        return status(paths)
    return revalidate(paths, args.load_id)


if __name__ == "__main__":
    sys.exit(main())
