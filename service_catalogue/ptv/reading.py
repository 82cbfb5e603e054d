"""Reading PTV v11 JSON: a single service, a single service channel, a paged list response
(``{pageNumber, pageSize, pageCount, itemList}``) of either, or a JSON array of any of these."""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError

from service_catalogue.ptv.shapes import PtvChannel, PtvService


class PtvFormatError(ValueError):
    """A payload that is not PTV v11 JSON; the message names the file and the problem."""

    def __init__(self, source: str, problem: str) -> None:
        self.source = source
        self.problem = problem
        super().__init__(f"{source}: {problem}")


@dataclass
class PtvBatch:
    services: dict[str, PtvService] = field(default_factory=dict)
    channels: dict[str, PtvChannel] = field(default_factory=dict)

    def add_service(self, service: PtvService) -> None:
        self.services[service.id] = _newer(self.services.get(service.id), service)

    def add_channel(self, channel: PtvChannel) -> None:
        self.channels[channel.id] = _newer(self.channels.get(channel.id), channel)


def _newer(old: Any, new: Any) -> Any:
    # The same record in two files (a page and a single fetch): the later ``modified`` wins (ISO strings
    # sort).
    if old is None or (new.modified or "") >= (old.modified or ""):
        return new
    return old


def _validation_problem(error: ValidationError, where: str) -> str:
    first = error.errors()[0]
    location = ".".join(str(part) for part in (where, *first["loc"]) if part != "")
    more = len(error.errors()) - 1
    return f"{location}: {first['msg']}" + (f" (and {more} more)" if more else "")


def _read_item(batch: PtvBatch, item: Any, source: str, where: str) -> None:
    if isinstance(item, list):
        for index, sub in enumerate(item):
            _read_item(batch, sub, source, f"{where}[{index}]" if where else f"[{index}]")
        return
    if not isinstance(item, dict):
        raise PtvFormatError(
            source, f"{where or 'the top level'}: expected an object, got {type(item).__name__}"
        )
    try:
        if "itemList" in item:
            _read_item(batch, item["itemList"] or [], source, f"{where}.itemList" if where else "itemList")
        elif "serviceChannelType" in item:
            batch.add_channel(PtvChannel.parse_obj(item))
        elif "serviceNames" in item:
            batch.add_service(PtvService.parse_obj(item))
        else:
            raise PtvFormatError(
                source,
                f"{where or 'the top level'}: neither a PTV service (serviceNames), a service channel "
                "(serviceChannelType) nor a page of them (itemList)",
            )
    except ValidationError as error:
        raise PtvFormatError(source, _validation_problem(error, where)) from None


def read_payloads(payloads: Iterable[tuple[str, Any]], batch: PtvBatch | None = None) -> PtvBatch:
    """Decoded JSON values, each with a name for messages (a file name, an upload's name)."""
    batch = batch or PtvBatch()
    for source, payload in payloads:
        _read_item(batch, payload, source, "")
    return batch


def read_files(paths: Iterable[Path]) -> PtvBatch:
    batch = PtvBatch()
    for path in paths:
        try:
            text = Path(path).read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise PtvFormatError(str(path), f"cannot read the file: {error}") from None
        try:
            payload = json.loads(text)
        except json.JSONDecodeError as error:
            raise PtvFormatError(str(path), f"not valid JSON: {error}") from None
        read_payloads([(str(path), payload)], batch)
    return batch
