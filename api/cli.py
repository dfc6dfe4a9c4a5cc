"""``edunet api``: bearer tokens for the HTTP API, and serving it.

A new token is printed once, on standard output only, and never logged: the tokens
file keeps its salted hash, not the token.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated

import typer
import yaml

from edunet.access import Reach
from edunet.cli.changes import begin
from edunet.cli.common import DEFAULT_INVENTORY, FormatOption, InventoryOption
from edunet.cli.output import Format, emit, err_console

app = typer.Typer(help="The HTTP API: tokens and serving.", no_args_is_help=True)
token_app = typer.Typer(help="Bearer tokens with scopes, stored hashed.", no_args_is_help=True)
app.add_typer(token_app, name="token")

DEFAULT_TOKENS_FILE = Path("api-tokens.yaml")
SCOPES = ("inventory:read", "topology:read", "procurement:read", "admin")

TokensFileOption = Annotated[
    Path,
    typer.Option(
        "--tokens-file",
        envvar="EDUNET_API_TOKENS_FILE",
        help="The hashed tokens file (created chmod 600; its folder must exist).",
    ),
]


DistrictReach = typer.Option(
    "--district",
    help="Limit the token to a district (code, number, slug or name); repeatable.",
    show_default=False,
)
SiteReach = typer.Option(
    "--site", help="Limit the token to a site (code or name); repeatable.", show_default=False
)


def _reach(inventory: Path, districts: list[str], sites: list[str]) -> Reach:
    """The reach named on the command line, resolved against the inventory (codes kept)."""
    from edunet.access import CITY
    from edunet.cli.common import load_or_exit
    from edunet.select import NotFound

    if not districts and not sites:
        return CITY
    try:
        return Reach.resolve(load_or_exit(inventory), districts, sites)
    except NotFound as e:
        err_console.print(f"error: {e}", markup=False, highlight=False)
        raise typer.Exit(2) from None


@token_app.command("create")
def create(
    scope: Annotated[
        list[str],
        typer.Option(
            "--scope", "-s", help=f"A scope, repeatable: {', '.join(SCOPES)}.", show_default=False
        ),
    ],
    name: Annotated[str, typer.Option("--name", "-n", help="Who or what the token is for.")],
    tokens_file: TokensFileOption = DEFAULT_TOKENS_FILE,
    district: Annotated[list[str] | None, DistrictReach] = None,
    site: Annotated[list[str] | None, SiteReach] = None,
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
) -> None:
    """Add a token and print it once; only its salted hash is stored. With ``--district``
    or ``--site`` it sees only that part of the city (default: the whole city)."""
    from api.auth import create_token

    unknown = sorted(set(scope) - set(SCOPES))
    if unknown:
        err_console.print(
            f"[red]error[/]: unknown scope {unknown[0]!r}; one of {', '.join(SCOPES)}"
        )
        raise typer.Exit(2)
    # the API reads the tokens from this very path: a mistyped folder is refused, not made
    if not tokens_file.parent.is_dir():
        err_console.print(
            f"error: no folder {tokens_file.parent} for the tokens file {tokens_file}; "
            "create it first, or give another --tokens-file",
            markup=False,
            highlight=False,
        )
        raise typer.Exit(2)
    reach = _reach(inventory, district or [], site or [])
    change = begin(None, "api token create", limit=str(tokens_file))
    try:
        token = create_token(tokens_file, scope, name=name, reach=reach)
    except (OSError, ValueError, yaml.YAMLError) as e:
        change.end("failed", type(e).__name__)
        err_console.print(f"error: {tokens_file}: {e}", markup=False, highlight=False)
        raise typer.Exit(2) from None
    # its id, never the token: that is printed once, below, and kept nowhere
    change.end(
        "ok",
        extra={
            "token": token.split("_")[1],
            "name": name,
            "scopes": " ".join(scope),
            "reach": reach.describe(),
        },
    )
    # the token alone on stdout, so `$(edunet api token create …)` captures it
    typer.echo(token)
    err_console.print(
        f"added token {token.split('_')[1]} ({name}; {', '.join(sorted(set(scope)))}; "
        f"{reach.describe()}) to "
        f"{tokens_file}; it is shown this once",
        markup=False,
        highlight=False,
    )


@token_app.command("list")
def list_tokens(
    tokens_file: TokensFileOption = DEFAULT_TOKENS_FILE, fmt: FormatOption = Format.table
) -> None:
    """The tokens' ids, names, scopes and reach; never their hashes."""
    from api.auth import TokenStore, entries
    from edunet.access import Reach

    if not tokens_file.exists():
        err_console.print(f"[red]error[/]: {tokens_file} does not exist", markup=True)
        raise typer.Exit(1)
    try:
        TokenStore.load(tokens_file)  # refuses a malformed file
    except (ValueError, KeyError) as e:
        err_console.print(f"[red]error[/]: {tokens_file}: {e}")
        raise typer.Exit(1) from None
    rows = [
        {
            "id": str(t["id"]),
            "name": str(t.get("name", "")),
            "scopes": ", ".join(t["scopes"]),
            "reach": Reach.from_data(t.get("reach")).describe(),
        }
        for t in entries(tokens_file)
    ]
    emit(rows, fmt, f"{len(rows)} token(s) in {tokens_file}", ("id", "name", "scopes", "reach"))


@token_app.command("revoke")
def revoke(
    token_id: Annotated[str, typer.Argument(help="The token's id, as `token list` shows it.")],
    tokens_file: TokensFileOption = DEFAULT_TOKENS_FILE,
) -> None:
    """Remove a token; a running API stops accepting it within its reload interval."""
    from api.auth import revoke_token

    with begin(None, "api token revoke", limit=str(tokens_file), extra={"token": token_id}):
        if not revoke_token(tokens_file, token_id):
            err_console.print(f"[red]error[/]: no token {token_id!r} in {tokens_file}")
            raise typer.Exit(1)
    err_console.print(f"revoked token {token_id} in {tokens_file}", markup=False)


@app.command()
def serve(
    inventory: InventoryOption = Path(DEFAULT_INVENTORY),
    tokens_file: TokensFileOption = DEFAULT_TOKENS_FILE,
    host: Annotated[str, typer.Option(help="Address to listen on.")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    prometheus_url: Annotated[
        str | None,
        typer.Option(envvar="EDUNET_API_PROMETHEUS_URL", help="Prometheus for live status."),
    ] = None,
) -> None:
    """Serve the API with uvicorn (reloads the inventory on SIGHUP or a change)."""
    import uvicorn
    from uvicorn.config import LOGGING_CONFIG

    from api.http_limits import uvicorn_limits
    from api.observe import logging_config

    # the app factory reads its settings from the environment, as in production
    os.environ["EDUNET_API_INVENTORY"] = str(inventory)
    os.environ["EDUNET_API_TOKENS_FILE"] = str(tokens_file)
    if prometheus_url:
        os.environ["EDUNET_API_PROMETHEUS_URL"] = prometheus_url
    # uvicorn's own access log is off: edunet's names the route template and the token id
    uvicorn.run(
        "api.main:app_from_env",
        factory=True,
        host=host,
        port=port,
        access_log=False,
        log_config=logging_config(LOGGING_CONFIG),
        **uvicorn_limits(),  # header time and size, keep-alive (docs/api.md, "Limits")
    )
