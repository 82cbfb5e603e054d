"""The PTV-owned part of an entry as flat field paths, and back.

``name.fi``, ``summary.sv``, ``area``, ``channels.<PTV channel id>.phone``, ``channels.<id>.hours.en`` ...:
the import compares and applies field by field, so a translator's Swedish edit and a PTV change of the
Finnish text, or an edited phone channel and a new web channel, do not touch each other. A channel is keyed
by its PTV id, so channels an editor added by hand (without ``ptv_id``) are never compared or changed.
"""

from __future__ import annotations

import copy
from typing import Any

from service_catalogue.models import LANGUAGES

LOCALIZED = ("name", "summary")
ORDER = ("ptv_id", "provider", "name", "summary", "area", "target_groups", "channels")
CHANNEL_LOCALIZED = ("name", "hours", "charge")
CHANNEL_ORDER = ("type", "name", "url", "phone", "email", "hours", "charge", "address", "ptv_id")


def _languages(value: Any) -> dict[str, Any]:
    if isinstance(value, str):
        return {"fi": value, "sv": None, "en": None}  # a plain string is Finnish (the schema's rule)
    value = value if isinstance(value, dict) else {}
    return {lang: value.get(lang) for lang in LANGUAGES}


def flatten(content: dict[str, Any], owned: dict[str, Any] | None = None) -> dict[str, Any]:
    """Leaf paths of the PTV-owned fields. ``owned``: which top-level fields to take (default: those in
    ``content``); live entries are flattened with the imported entry's fields, so a field PTV does not send
    is not compared at all."""
    keys = owned if owned is not None else content
    leaves: dict[str, Any] = {}
    for key in ORDER:
        if key not in keys:
            continue
        if key in LOCALIZED:
            for lang, text in _languages(content.get(key)).items():
                leaves[f"{key}.{lang}"] = text
        elif key == "channels":
            for channel in content.get("channels") or []:
                if isinstance(channel, dict) and channel.get("ptv_id"):
                    leaves.update(channel_leaves(channel))
        else:
            leaves[key] = copy.deepcopy(content.get(key))
    return leaves


def channel_leaves(channel: dict[str, Any]) -> dict[str, Any]:
    prefix = f"channels.{channel['ptv_id']}"
    leaves: dict[str, Any] = {}
    for key in CHANNEL_ORDER:
        if key in CHANNEL_LOCALIZED:
            for lang, text in _languages(channel.get(key)).items():
                leaves[f"{prefix}.{key}.{lang}"] = text
        elif key != "ptv_id":
            leaves[f"{prefix}.{key}"] = channel.get(key)
    return leaves


def empty_channel_leaves(ptv_id: str) -> dict[str, Any]:
    return {path: None for path in channel_leaves({"ptv_id": ptv_id})}


def apply_leaves(entry: dict[str, Any], leaves: dict[str, Any]) -> dict[str, Any]:
    """A copy of ``entry`` with ``leaves`` set (``None`` removes). Channels are found by ``ptv_id``; a new one
    is appended; one left with no content is removed."""
    result = copy.deepcopy(entry)
    touched: set[str] = set()
    for path, value in leaves.items():
        parts = path.split(".")
        if parts[0] == "channels":
            touched.add(parts[1])
            channel = _channel(result, parts[1])
            _set(channel, parts[2:], value)
        else:
            _set(result, parts, value)
    channels = []
    for channel in result.get("channels") or []:
        if isinstance(channel, dict) and channel.get("ptv_id") in touched:
            channel = {k: channel[k] for k in (*CHANNEL_ORDER, *channel) if k in channel}  # the usual order
            if not any(v is not None for k, v in channel.items() if k != "ptv_id"):
                continue  # removed in PTV
        channels.append(channel)
    if "channels" in result:
        result["channels"] = channels
    return result


def _channel(entry: dict[str, Any], ptv_id: str) -> dict[str, Any]:
    for channel in entry.setdefault("channels", []):
        if isinstance(channel, dict) and channel.get("ptv_id") == ptv_id:
            return channel
    channel = {"ptv_id": ptv_id}
    entry["channels"].append(channel)
    return channel


def _set(node: dict[str, Any], parts: list[str], value: Any) -> None:
    key = parts[0]
    if len(parts) == 1:
        if value is None:
            node.pop(key, None)
        else:
            node[key] = copy.deepcopy(value)
        return
    child = node.get(key)
    if isinstance(child, str):
        child = {"fi": child}
    if not isinstance(child, dict):
        child = {}
    _set(child, parts[1:], value)
    if child:
        node[key] = {lang: child[lang] for lang in (*LANGUAGES, *child) if lang in child}
    else:
        node.pop(key, None)
