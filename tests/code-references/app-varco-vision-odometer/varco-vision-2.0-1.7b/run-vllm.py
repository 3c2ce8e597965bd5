"""Fixture written for aiprov in the shape of esthyj/varco-vision-2.0-1.7b-test run-vllm.py (CODE-REFERENCES.md)."""
import os

os.environ["CURL_CA_BUNDLE"] = ""
from vllm import LLM, SamplingParams

llm = LLM(
    model="NCSOFT/VARCO-VISION-2.0-1.7B",  # ref: 1 = NCSOFT/VARCO-VISION-2.0-1.7B
    trust_remote_code=True,
    gpu_memory_utilization=0.8,
    max_model_len=4096,
)
params = SamplingParams(temperature=0.0, max_tokens=256)
