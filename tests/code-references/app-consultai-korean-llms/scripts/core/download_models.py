"""Fixture written for aiprov in the shape of nam2350/consultai scripts/core/download_models.py (CODE-REFERENCES.md)."""
import argparse
from dataclasses import dataclass
from pathlib import Path
from typing import Optional

from huggingface_hub import snapshot_download

MODELS_ROOT = Path(__file__).parent.parent / "models"


@dataclass
class ModelSpec:
    key: str
    folder: str
    repo_id: str
    tier: str
    ignore_patterns: Optional[list] = None


REGISTRY = [
    ModelSpec(
        key="qwen3-4b",
        folder="Qwen3-4B",
        repo_id="Qwen/Qwen3-4B-Instruct-2507",  # ref: 1 = Qwen/Qwen3-4B-Instruct-2507
        tier="mlm",
    ),
    ModelSpec(
        key="ax-4b",
        folder="A.X-4.0-Light",
        repo_id="skt/A.X-4.0-Light",  # ref: 2 = skt/A.X-4.0-Light
        tier="mlm",
    ),
    ModelSpec(
        key="midm-2.0-base",
        folder="Midm-2.0-Base",
        repo_id="K-intelligence/Midm-2.0-Base-Instruct",  # ref: 3 = K-intelligence/Midm-2.0-Base-Instruct
        tier="mlm",
    ),
    ModelSpec(
        key="qwen3-1.7b",
        folder="Qwen3-1.7B",
        repo_id="Qwen/Qwen3-1.7B",  # ref: 4 = Qwen/Qwen3-1.7B
        tier="slm",
    ),
    ModelSpec(
        key="midm-2.0-mini",
        folder="Midm-2.0-Mini",
        repo_id="K-intelligence/Midm-2.0-Mini-Instruct",  # ref: 5 = K-intelligence/Midm-2.0-Mini-Instruct
        tier="slm",
    ),
]


def download(spec: ModelSpec) -> None:
    snapshot_download(
        repo_id=spec.repo_id,  # ref: 6 = K-intelligence/Midm-2.0-Mini-Instruct
        local_dir=MODELS_ROOT / spec.folder,
        local_dir_use_symlinks=False,
        resume_download=True,
        cache_dir=MODELS_ROOT / ".cache",
        ignore_patterns=spec.ignore_patterns,
    )


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--models", default="all")
    parser.add_argument("--tier", choices=["slm", "mlm", "core", "all"], default="all")
    args = parser.parse_args()
    for spec in REGISTRY:
        if args.models in ("all", spec.key) and args.tier in ("all", spec.tier):
            download(spec)


if __name__ == "__main__":
    main()
