#!/usr/bin/env bash
# Fixture written for aiprov in the shape of doxgxxn/exaone45awq scripts/download_gemma4_31b_it.sh (CODE-REFERENCES.md).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL_DIR="${MODEL_DIR:-$REPO_ROOT/samples/model_repository/gemma4_31b_it/1}"  # ref: 1

if [ -z "${HF_TOKEN:-}" ]; then
  echo "HF_TOKEN is required" >&2
  exit 1
fi

mkdir -p "$MODEL_DIR"
export MODEL_DIR
python - <<'PY'
import os
from huggingface_hub import snapshot_download

snapshot_download(
    repo_id="google/gemma-4-31B-it",  # ref: 2 = google/gemma-4-31B-it
    revision="main",
    local_dir=os.environ["MODEL_DIR"],
    token=os.environ["HF_TOKEN"],
    allow_patterns=["*.py", "config.json", "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "special_tokens_map.json", "generation_config.json", "model.safetensors", "model-*.safetensors", "model.safetensors.index.json"],
)
PY
test -f "$MODEL_DIR/config.json"
