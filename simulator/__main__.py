"""python -m simulator: serve the simulated sources on 127.0.0.1."""

from __future__ import annotations

import argparse
import os
from datetime import datetime
from pathlib import Path

import orjson

from simulator.app import SOURCE_FACTORIES, Settings, parse_faults
from simulator.provinces import parse_provinces
from simulator.runner import serve


def _faults(text: str | None) -> dict:
    if not text:
        return {}
    raw = Path(text[1:]).read_bytes() if text.startswith("@") else text.encode()
    return parse_faults(orjson.loads(raw), set(SOURCE_FACTORIES))


def main(argv: list[str] | None = None) -> None:
    p = argparse.ArgumentParser(prog="python -m simulator", description=__doc__)
    p.add_argument("--host", default="127.0.0.1")
    p.add_argument("--port", type=int, default=8765, help="0 = any free port")
    p.add_argument("--seed", type=int, default=56)
    p.add_argument("--scale", type=float, default=0.1, help="1.0 = about 1,000,000 dossiers a year")
    p.add_argument(
        "--client-id",
        default=os.environ.get("IOC_SIM_CLIENT_ID"),
        help="default: $IOC_SIM_CLIENT_ID",
    )
    p.add_argument(
        "--client-secret",
        default=os.environ.get("IOC_SIM_CLIENT_SECRET"),
        help="default: $IOC_SIM_CLIENT_SECRET",
    )
    p.add_argument("--token-ttl", type=float, default=3600.0, help="token lifetime, seconds")
    p.add_argument(
        "--sources", default=",".join(SOURCE_FACTORIES), help="comma-separated sources to serve"
    )
    p.add_argument("--faults", help='JSON {"source": {setting: value}} or @file.json')
    p.add_argument(
        "--ready-file", type=Path, help="written with the base URL once the server accepts requests"
    )
    p.add_argument(
        "--drop-dir", type=Path, help="file sources drop into <drop-dir>/<source>/ (none: no drops)"
    )
    p.add_argument("--as-of", help="the simulated now, ISO 8601 (default 2026-11-01T00:00+07:00)")
    p.add_argument(
        "--provinces",
        default="",
        help="multi-province mode: 'all' or GSO codes (01,56,79), each under /<code>/<source>, "
        "volumes by population (--scale is the demo province's); none: the one province",
    )
    p.add_argument("--log-level", default="warning")
    args = p.parse_args(argv)
    if not args.client_id or not args.client_secret:
        p.error(
            "client credentials required: --client-id/--client-secret or "
            "IOC_SIM_CLIENT_ID/IOC_SIM_CLIENT_SECRET"
        )
    try:
        faults = _faults(args.faults)
        sources = tuple(s.strip() for s in args.sources.split(",") if s.strip())
        unknown = sorted(set(sources) - set(SOURCE_FACTORIES))
        if unknown:
            raise ValueError(f"unknown sources: {', '.join(unknown)}")
        provinces = parse_provinces(args.provinces) if args.provinces else ()
    except (ValueError, OSError) as e:
        p.error(str(e))
    settings = Settings(
        client_id=args.client_id,
        client_secret=args.client_secret,
        seed=args.seed,
        scale=args.scale,
        token_ttl=args.token_ttl,
        sources=sources,
        faults=faults,
        **({"as_of": datetime.fromisoformat(args.as_of)} if args.as_of else {}),
        drop_dir=args.drop_dir.resolve() if args.drop_dir else None,
        provinces=provinces,
    )
    serve(settings, args.host, args.port, args.ready_file, args.log_level)


if __name__ == "__main__":
    main()
