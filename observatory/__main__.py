"""Command line: ``python -m observatory build [--force]`` and ``python -m observatory serve``."""

from __future__ import annotations

import argparse
import os
import sys


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="observatory", description=__doc__)
    sub = parser.add_subparsers(dest="command", required=True)
    build_cmd = sub.add_parser("build", help="build processed data under geodata/ (no-op when unchanged)")
    build_cmd.add_argument("--force", action="store_true", help="rebuild even if inputs are unchanged")
    build_cmd.add_argument("--data-dir", help="directory of upstream files (default: see README)")
    build_cmd.add_argument("--quiet", action="store_true", help="no progress bar")
    build_cmd.add_argument("--allow-shrink", action="store_true",
                           help="accept a build whose tables lost most of their rows")
    serve_cmd = sub.add_parser("serve", help="run the development server")
    serve_cmd.add_argument("--port", type=int, default=int(os.environ.get("PORT", "8050")))
    serve_cmd.add_argument("--host", default=os.environ.get("HOST", "127.0.0.1"))
    args = parser.parse_args(argv)

    if args.command == "build":
        from pathlib import Path

        from observatory.build import build, summary
        from observatory.ingest.errors import InputError
        from observatory.sources.fetch import SourceUnavailable

        try:
            result = build(
                data_dir=Path(args.data_dir) if args.data_dir else None,
                force=args.force,
                progress=not args.quiet,
                allow_shrink=args.allow_shrink,
            )
        except (InputError, SourceUnavailable) as exc:
            print(f"Build failed, previous data kept: {exc}", file=sys.stderr)
            return 2
        print(summary(result))
        return 0

    from observatory.web.server import create_app

    create_app().run(host=args.host, port=args.port, debug=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
