"""Rendered packs of every example deal, shared by the renderer tests (rendering is the slow part)."""

from __future__ import annotations

from dataclasses import dataclass
from functools import cache

import dealbook
import pytest
from dealbook.deal.evaluation import Evaluation
from dealbook.renderers import render_pack
from dealbook.renderers.pack import PackOptions
from dealbook.renderers.view import PackView, build_view

from ..conftest import REPO

DEALS = sorted((REPO / "examples" / "deals").glob("*.yaml"))
DEAL_IDS = [deal.stem for deal in DEALS]


@dataclass(frozen=True)
class RenderedPack:
    name: str
    evaluation: Evaluation
    view: PackView
    files: dict[str, bytes]  #: internal pack, every format
    vendor: dict[str, bytes]  #: the vendor proposal, every format

    def text(self, name: str) -> str:
        return (self.files | self.vendor)[name].decode("utf-8")


@cache
def rendered_pack(stem: str) -> RenderedPack:
    playbook = dealbook.load_playbook("itam")
    evaluation = dealbook.evaluate(playbook, dealbook.load_answers(REPO / "examples" / "deals" / f"{stem}.yaml", playbook))
    return RenderedPack(stem, evaluation, build_view(evaluation), render_pack(evaluation),
                        render_pack(evaluation, options=PackOptions(audience="vendor")))


@pytest.fixture(params=DEAL_IDS, ids=DEAL_IDS)
def pack(request) -> RenderedPack:
    """The rendered pack (internal and vendor, md, docx and html) of each example deal."""
    return rendered_pack(request.param)
