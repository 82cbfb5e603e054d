"""Validates the Kubernetes manifests offline against the Kubernetes API's JSON schemas.

    .venv-fuzz/bin/python scripts/validate_manifests.py [DIR ...]   (make validate-deploy; make test)

DIR defaults to deploy/kubernetes. Every *.yaml document there but kustomization.yaml is checked with
kubernetes-validate (its wheel carries the schemas, so nothing is downloaded) in strict mode, which also
rejects unknown fields (a misspelt ``readinesProbe`` would otherwise be silently ignored by the cluster),
against the oldest and the newest Kubernetes version named below. kustomization.yaml must list every other
file except secret.example.yaml (an example, never applied) and nothing that is missing.

kubernetes-validate needs jsonschema >= 4.18 and Rasa 3.6 pins an older one, so it lives in the tools
virtualenv .venv-fuzz (requirements-fuzz.lock); run by another interpreter, this script re-runs itself
there. Without .venv-fuzz: a failure, or (outside CI only) a printed skip with FUZZ_SKIP_OFFLINE=1.
Exit status: 0 all valid, 1 a manifest is invalid, 2 the validator is not available.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
DEFAULT_DIR = ROOT / "deploy" / "kubernetes"
TOOLS_PYTHON = ROOT / ".venv-fuzz" / "bin" / "python"
KUBERNETES_VERSIONS = ("1.30.0", "1.37.0")
NOT_APPLIED = {"secret.example.yaml"}


def _validator():  # type: ignore[no-untyped-def]
    try:
        import kubernetes_validate
    except ImportError:
        return None
    return kubernetes_validate


def _reexec_in_tools_venv() -> int:
    # By prefix: both virtualenvs' python are links to the same base interpreter.
    tools_venv = TOOLS_PYTHON.parent.parent
    if TOOLS_PYTHON.exists() and Path(sys.prefix).resolve() != tools_venv.resolve():
        os.execv(str(TOOLS_PYTHON), [str(TOOLS_PYTHON), __file__, *sys.argv[1:]])
    message = f"[validate-deploy] kubernetes-validate is not installed ({TOOLS_PYTHON}: run make setup-fuzz)"
    if os.environ.get("FUZZ_SKIP_OFFLINE") == "1" and os.environ.get("CI") != "true":
        print(f"{message}\n[validate-deploy] SKIPPED: FUZZ_SKIP_OFFLINE=1 (never honoured in CI)", flush=True)
        return 0
    print(message, file=sys.stderr)
    return 2


def check_kustomization(directory: Path, problems: list[str]) -> None:
    import yaml

    path = directory / "kustomization.yaml"
    if not path.exists():
        return
    listed = set((yaml.safe_load(path.read_text(encoding="utf-8")) or {}).get("resources") or [])
    files = {p.name for p in directory.glob("*.yaml")} - {"kustomization.yaml"} - NOT_APPLIED
    for name in sorted(files - listed):
        problems.append(f"{path}: does not list {name}")
    for name in sorted(listed - files):
        problems.append(f"{path}: lists {name}, which does not exist")
    for name in sorted(listed & NOT_APPLIED):
        problems.append(f"{path}: lists {name}, an example that must never be applied")


def validate_directory(directory: Path, kv, versions: tuple[str, ...]) -> tuple[int, list[str]]:  # type: ignore[no-untyped-def]
    import yaml

    problems: list[str] = []
    checked = 0
    files = sorted(p for p in directory.glob("*.yaml") if p.name != "kustomization.yaml")
    if not files:
        problems.append(f"{directory}: no manifests (*.yaml)")
    for path in files:
        try:
            documents = [d for d in yaml.safe_load_all(path.read_text(encoding="utf-8")) if d is not None]
        except yaml.YAMLError as error:
            problems.append(f"{path}: not YAML: {error}")
            continue
        for document in documents:
            kind = document.get("kind", "?") if isinstance(document, dict) else "?"
            name = (document.get("metadata") or {}).get("name", "?") if isinstance(document, dict) else "?"
            for version in versions:
                try:
                    kv.validate(document, version, strict=True)
                except kv.ValidationError as error:
                    where = ".".join(str(p) for p in error.path) or "(document)"
                    problems.append(
                        f"{path.name}: {kind}/{name} (Kubernetes {version}) at {where}: {error.message}"
                    )
                except (kv.SchemaNotFoundError, kv.InvalidSchemaError) as error:
                    problems.append(f"{path.name}: {kind}/{name} (Kubernetes {version}): {error}")
                except Exception as error:  # a document that is not a resource at all (a list, no apiVersion)
                    problems.append(f"{path.name}: {kind}/{name} (Kubernetes {version}): {error!r}")
            checked += 1
    check_kustomization(directory, problems)
    return checked, problems


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("directories", nargs="*", type=Path, default=[DEFAULT_DIR])
    parser.add_argument("--kubernetes-version", action="append", dest="versions",
                        help=f"repeatable; default {' and '.join(KUBERNETES_VERSIONS)}")
    args = parser.parse_args(argv)
    kv = _validator()
    if kv is None:
        return _reexec_in_tools_venv()
    versions = tuple(args.versions or KUBERNETES_VERSIONS)
    failed = False
    for directory in args.directories:
        checked, problems = validate_directory(directory, kv, versions)
        for problem in problems:
            print(f"[validate-deploy] INVALID {problem}", file=sys.stderr)
        failed = failed or bool(problems)
        status = "FAILED" if problems else "ok"
        print(f"[validate-deploy] {directory}: {checked} resources, Kubernetes {', '.join(versions)}, "
              f"strict: {status}", flush=True)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
