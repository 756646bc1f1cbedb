"""``dealbook serve``: the web workspace (needs the ``web`` extra: ``pip install 'dealbook[web]'``)."""

from __future__ import annotations

from pathlib import Path

import click

from .options import playbook_option

# Library imports sit inside the command (PLC0415): Flask loads only to serve.


@click.command()
@click.option("--deals", "folder", type=click.Path(file_okay=False, path_type=Path), default=Path("deals"), show_default=True,
              help="The workspace: a folder of answers files (created when missing).")
@playbook_option
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on; any other than loopback needs --token.")
@click.option("--port", type=click.IntRange(0, 65535), default=8765, show_default=True, help="Port to listen on (0: any free port).")
@click.option("--token", envvar="DEALBOOK_TOKEN", help="Access token the browser must give (or DEALBOOK_TOKEN).")
@click.option("--workers", type=click.IntRange(1, 64), default=None,
              help="Processes answering requests (default on Linux: two per core, at most four; elsewhere one).")
@click.option("--debug", is_flag=True, help="Flask's development server with its debugger: on your own machine only.")
def serve(folder: Path, playbook: str | None, host: str, port: int, token: str | None, workers: int | None, debug: bool) -> None:
    """Serve the deals in a folder to a browser: questionnaire, pack and vendor-paper review."""
    try:
        from ..web import serve as serve_workspace
        from ..web.serve import default_workers
    except ImportError as error:
        raise click.ClickException(f"the web workspace needs its extra: pip install 'dealbook[web]' ({error.msg})") from None
    from ..playbook.load import load_playbook

    serve_workspace(folder, load_playbook(playbook), host=host, port=port, token=token, debug=debug,
                    workers=workers or default_workers(), say=lambda line: click.echo(line, err=False))


COMMANDS = (serve,)
