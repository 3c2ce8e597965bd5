"""Fixture written for aiprov in the shape of nam2350/consultai src/core/config.py (CODE-REFERENCES.md)."""
from typing import Optional

from pydantic_settings import BaseSettings


class Settings(BaseSettings):
    MODEL_PATH: str = r"models\Qwen3-4B"  # ref: 1 = models/Qwen3-4B
    SLM_MODEL_TYPE: str = "qwen3"  # ref: 2 = qwen3
    SLM_FALLBACK_MODEL: str = "midm"  # ref: 3 = midm
    SLM_MODEL_PATH_QWEN3: str = r"models\Qwen3-1.7B"  # ref: 4 = models/Qwen3-1.7B
    SLM_MODEL_PATH_MIDM: str = r"models\Midm-2.0-Mini"  # ref: 5 = models/Midm-2.0-Mini
    BATCH_PRIMARY_MODEL: str = "qwen3_4b"  # ref: 6 = qwen3_4b
    BATCH_FALLBACK_MODEL: str = "midm_base"  # ref: 7 = midm_base
    MLM_MODEL_PATH_QWEN3_4B: str = r"models\Qwen3-4B"  # ref: 8 = models/Qwen3-4B
    MLM_MODEL_PATH_AX_4B: str = r"models\A.X-4.0-Light"  # ref: 9 = models/A.X-4.0-Light
    MLM_MODEL_PATH_MIDM_BASE: str = r"models\Midm-2.0-Base"  # ref: 10 = models/Midm-2.0-Base
    HF_TOKEN: Optional[str] = None

    class Config:
        env_file = ".env"
        case_sensitive = True
        extra = "ignore"


settings = Settings()
