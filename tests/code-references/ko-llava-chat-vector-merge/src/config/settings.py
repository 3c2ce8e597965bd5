"""Fixture written for aiprov in the shape of SeungJu-Mun/Ko-Llava src/config/settings.py (CODE-REFERENCES.md)."""
import os
from dataclasses import dataclass

from dotenv import load_dotenv

load_dotenv(override=False)


def _required(name: str) -> str:
    value = os.getenv(name)
    if not value:
        raise RuntimeError(f"Missing required env var: {name}")
    return value


@dataclass(frozen=True)
class EnvConfig:
    CACHE_DIR: str = os.path.expanduser(os.getenv("CACHE_DIR", "~/.cache/hf"))
    OUTPUT_DIR: str = os.getenv("OUTPUT_DIR", "./outputs")
    LLAMA_MODEL_NAME: str = os.environ["LLAMA_MODEL_NAME"]  # ref: 1
    LLAVA_MODEL_NAME: str = os.environ["LLAVA_MODEL_NAME"]  # ref: 2


def load_env() -> EnvConfig:
    return EnvConfig()
