"""Fixture written for aiprov in the shape of doxgxxn/exaone45awq samples/model_down.py (CODE-REFERENCES.md)."""
import os

from huggingface_hub import snapshot_download

if not os.environ.get("HF_TOKEN"):
    raise SystemExit("HF_TOKEN is not set")

snapshot_download(
    repo_id="LGAI-EXAONE/EXAONE-4.5-33B-AWQ",  # ref: 1 = LGAI-EXAONE/EXAONE-4.5-33B-AWQ
    revision="main",
    local_dir="/tmp/vllm_backend/samples/model_repository/exaone4_5_awq/1",
    local_dir_use_symlinks=False,
    token=os.environ["HF_TOKEN"],
    allow_patterns=["config.json", "tokenizer*", "chat_template.jinja", "model-*.safetensors", "model.safetensors.index.json", "preprocessor_config.json", "processor_config.json"],
)
# tritonserver --model-repository /tmp/vllm_backend/samples/model_repository
