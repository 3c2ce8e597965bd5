#!/usr/bin/env bash
# Fixture written for aiprov in the shape of doxgxxn/exaone45awq scripts/download_model.sh (CODE-REFERENCES.md).
set -euo pipefail
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
MODEL_DIR="${MODEL_DIR:-$REPO_ROOT/samples/model_repository/exaone4_5_awq/1}"  # ref: 1

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
    repo_id="LGAI-EXAONE/EXAONE-4.5-33B-AWQ",  # ref: 2 = LGAI-EXAONE/EXAONE-4.5-33B-AWQ
    revision="main",
    local_dir=os.environ["MODEL_DIR"],
    token=os.environ["HF_TOKEN"],
    allow_patterns=["config.json", "tokenizer.json", "tokenizer_config.json", "tokenizer.model", "special_tokens_map.json", "generation_config.json", "model.safetensors", "model-*.safetensors", "model.safetensors.index.json"],
)
PY
test -f "$MODEL_DIR/config.json"
