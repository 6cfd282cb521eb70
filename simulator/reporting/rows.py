"""What the API holds at a moment: one row per (ma_bao_cao, phien_ban) in its latest state,
and those rows as the JSON the API sends."""

from __future__ import annotations

import random
from dataclasses import dataclass, replace

from simulator.clock import from_local_seconds
from simulator.reporting.lifecycle import Step, state_at
from simulator.reporting.values import Figure
from simulator.reporting.world import Report, ReportingWorld

VN_TEXT_SHARE = 0.08  # figures whose thuc_hien comes as Vietnamese-format text (normal)


@dataclass(frozen=True)
class Row:
    report: Report
    version: int  # phien_ban
    step: Step  # latest state at the clock
    # a copy or a version the revision faults add (simulator/reporting/versions.py): the
    # phien_ban and ngay_cap_nhat it is sent with, and the change of its one changed figure
    sent_version: int | None = None
    sent_at: int | None = None
    bump: int = 0

    @property
    def key(self) -> int:
        """A stable key per report version (fault decisions hang on it)."""
        return self.report.key * 4 + self.version

    @property
    def phien_ban(self) -> int:
        return self.sent_version or self.version

    @property
    def updated(self) -> int:
        return self.step.at if self.sent_at is None else self.sent_at

    @property
    def figures(self) -> tuple[Figure, ...]:
        figures = self.report.figures[self.version - 1]
        if not self.bump:
            return figures
        i = changed_figure(figures)
        return (
            *figures[:i],
            replace(figures[i], value=round(figures[i].value + self.bump, 6)),
            *figures[i + 1 :],
        )


def changed_figure(figures: tuple[Figure, ...]) -> int:
    """The figure a revision fault changes: the first plain one (no numerator: a rate stays
    consistent with its parts) with a value above zero; 0 if none."""
    return next((i for i, f in enumerate(figures) if f.numerator is None and (f.value or 0) > 0), 0)


@dataclass(frozen=True)
class Query:
    nam: int | None = None
    ky_bao_cao: str | None = None
    so_ky: int | None = None
    cap_nhat_tu: int | None = None  # local seconds: ngay_cap_nhat >= this


def rows_at(world: ReportingWorld, as_of: int, q: Query = Query()) -> list[Row]:
    """Every version sent by ``as_of`` matching ``q``, ordered by (ngay_cap_nhat,
    ma_bao_cao, phien_ban): a fixed order, so page n is always the same rows."""
    out = []
    for r in world.api_reports:
        p = r.period
        if (q.nam is not None and p.year != q.nam) or (
            q.ky_bao_cao is not None and p.kind != q.ky_bao_cao
        ):
            continue
        if q.so_ky is not None and p.number != q.so_ky:
            continue
        for v in range(1, r.versions + 1):
            step = state_at(r.life.steps, v, as_of)
            if step is None or (q.cap_nhat_tu is not None and step.at < q.cap_nhat_tu):
                continue
            out.append(Row(r, v, step))
    out.sort(key=lambda row: (row.step.at, row.report.code, row.version))
    return out


def iso(sec: int) -> str:
    return from_local_seconds(sec).isoformat()


def vn_number(value: float) -> str:
    """1234.5 → "1.234,5" (thousands with dots, decimal comma)."""
    whole, _, frac = f"{value:,.10f}".rstrip("0").rstrip(".").partition(".")
    text = whole.replace(",", ".")
    return f"{text},{frac}" if frac else text


def number(value: float | None) -> int | float | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def figure_json(f: Figure, as_text: bool) -> dict:
    return {
        "ma_chi_tieu": f.code,
        "ma_dvhc": f.area,
        "thuc_hien": vn_number(f.value) if as_text else number(f.value),
        "ke_hoach": number(f.plan),
        "tu_so": number(f.numerator),
        "mau_so": number(f.denominator),
        "ghi_chu": f.note,
    }


def row_json(row: Row, seed: int) -> dict:
    r = row.report
    rng = random.Random(f"{seed}|vn-text|{row.key}")
    return {
        "ma_bao_cao": r.code,
        "ma_bo_chi_tieu": r.indicator_set.code,
        "ma_don_vi": r.unit,
        "ky": {"loai": r.period.kind, "nam": r.period.year, "so_ky": r.period.number},
        "phien_ban": row.phien_ban,
        "trang_thai": row.step.state,
        "han_gui": r.period.due.isoformat(),
        "ngay_gui": iso(row.updated if row.sent_version else r.sent_at(row.version)),
        "ngay_cap_nhat": iso(row.updated),
        "so_lieu": [figure_json(f, rng.random() < VN_TEXT_SHARE) for f in row.figures],
    }
