"""Loud failure: a load whose connector quarantined too much of it never goes live.

The share is the part of the records a connector received that it could not read:
``quarantined / (loaded + quarantined)``. Above its dataset's limit the load has *failed*:
it is not promoted, the ingestion run fails, and the ledger says ``failed`` with the share
and the top reasons (which ``dq.dq_check_result`` shows as a failed critical ``sạch`` check,
and ``expectations.steward status`` as soon as the run ends).

The limits, in percent of a load's records, are one Airflow Variable,
``ioc_max_quarantined_pct`` (outside Airflow: ``AIRFLOW_VAR_IOC_MAX_QUARANTINED_PCT``), a JSON
object with a ``default`` and any dataset by ``source.dataset``::

    {"default": 1, "ngansach.thu_ngan_sach": 5}

Unset, every dataset allows 1 %. A steward who accepts more from a source for a while sets
its entry (Admin → Variables) and re-runs the period: the failed load is pulled again, and
goes live if its share is now within the limit; 100 turns the check off for the dataset.
"""

from __future__ import annotations

import json
import re
from collections import Counter
from dataclasses import dataclass, field
from pathlib import Path

import pyarrow.parquet as pq

from ingest.common.ledger import Quarantine

VARIABLE = "ioc_max_quarantined_pct"
DEFAULT_PCT = 1.0
TOP = 3  # reasons shown


@dataclass(frozen=True)
class Limits:
    default: float = DEFAULT_PCT
    datasets: dict[str, float] = field(default_factory=dict)

    @classmethod
    def parse(cls, raw: str | None) -> Limits:
        """Read the Variable's JSON; a value that is not a percentage is an error."""
        if not raw or not raw.strip():
            return cls()
        values = json.loads(raw)
        if not isinstance(values, dict):
            raise ValueError(f"{VARIABLE} must be a JSON object, got {raw!r}")
        for key, pct in values.items():
            if isinstance(pct, bool) or not isinstance(pct, int | float) or not 0 <= pct <= 100:
                raise ValueError(f"{VARIABLE}[{key!r}] must be a percentage 0-100, got {pct!r}")
        default = float(values.pop("default", DEFAULT_PCT))
        return cls(default, {k: float(v) for k, v in values.items()})

    def of(self, source: str, dataset: str) -> float:
        return self.datasets.get(f"{source}.{dataset}", self.default)


@dataclass(frozen=True)
class Share:
    quarantined: int
    records: int
    limit_pct: float

    @property
    def pct(self) -> float:
        return 100 * self.quarantined / self.records if self.records else 0.0

    @property
    def too_high(self) -> bool:
        return self.pct > self.limit_pct


def share(load: dict, limits: Limits) -> Share:
    """The share of a load as its connector reported it (``LoadResult.to_dict``)."""
    quarantined = int(load["quarantined"])
    return Share(
        quarantined, int(load["rows"]) + quarantined, limits.of(load["source"], load["dataset"])
    )


def reason(load: dict, found: Share, meta: Path) -> str:
    """Why the load failed, with the reasons most of its quarantined rows were refused."""
    lines = [
        f"{load['source']}.{load['dataset']} load {load['load_id']}: {found.quarantined} of "
        f"{found.records} records quarantined ({found.pct:.1f} %), over the limit of "
        f"{found.limit_pct:g} % ({VARIABLE}); top reasons:"
    ]
    for pattern, (n, example) in top_reasons(meta, load).items():
        lines.append(f"  - {n} × {pattern} (e.g. {example[:200]})")
    return "\n".join(lines)


def top_reasons(meta: Path, load: dict, top: int = TOP) -> dict[str, tuple[int, str]]:
    """The most common reasons of the load's quarantine, with their counts and an example.
    Reasons name their record (key, line, cell, value): those parts are masked to count."""
    path = Quarantine(meta).path(load["source"], load["dataset"], load["load_id"])
    if not path.exists():
        return {}
    reasons = pq.read_table(path, columns=["reason"])["reason"].to_pylist()
    examples: dict[str, str] = {}
    counts: Counter[str] = Counter()
    for text in reasons:
        pattern = _mask(text or "")
        counts[pattern] += 1
        examples.setdefault(pattern, text or "")
    return {p: (n, examples[p]) for p, n in counts.most_common(top)}


def _mask(text: str) -> str:
    text = re.sub(r"'[^']*'|\"[^\"]*\"", "…", text)
    return re.sub(r"\d+", "#", text)
