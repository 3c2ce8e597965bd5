#!/usr/bin/env bash
# Fixture written for aiprov in the shape of qhdxwyx/TinyLlava-Gemma3-SigLIP2-1.4B scripts/train/gemma3/common.sh.
PROJECT_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/../../.." && pwd)"
FACTORY_ROOT="${FACTORY_ROOT:-/root/autodl-tmp/TinyLLaVA_Factory}"

if [ -z "${THIRD_PARTY_ROOT:-}" ]; then
  if [ -d /root/autodl-tmp/TinyLLaVA_Factory/third_party ]; then
    THIRD_PARTY_ROOT=/root/autodl-tmp/TinyLLaVA_Factory/third_party  # ref: 1 = /root/autodl-tmp/TinyLLaVA_Factory/third_party
  else
    THIRD_PARTY_ROOT="${PROJECT_ROOT}/third_party"
  fi
fi
export THIRD_PARTY_ROOT

LLM_VERSION="${LLM_VERSION:-${THIRD_PARTY_ROOT}/LLM-Research/gemma-3-1b-pt}"  # ref: 2 = LLM-Research/gemma-3-1b-pt
VT_VERSION="${VT_VERSION:-${THIRD_PARTY_ROOT}/google/siglip2-so400m-patch14-384}"  # ref: 3 = google/siglip2-so400m-patch14-384
VT_VERSION2="${VT_VERSION2:-}"  # ref: 4
CN_VERSION="${CN_VERSION:-mlp2x_gelu}"
CONV_VERSION="${CONV_VERSION:-gemma3}"

VERSION="${VERSION:-gemma3-1b-pt_base}"
CHECKPOINT_ROOT="${CHECKPOINT_ROOT:-${FACTORY_ROOT}/checkpoints/llava_factory}"
RUN_PREFIX="${RUN_PREFIX:-tiny-llava-$(basename "${LLM_VERSION}")-$(basename "${VT_VERSION}")-${VERSION}}"  # ref: 5 = tiny-llava-gemma-3-1b-pt-siglip2-so400m-patch14-384-gemma3-1b-pt_base
PRETRAIN_OUTPUT_DIR="${CHECKPOINT_ROOT}/${RUN_PREFIX}-pretrain"  # ref: 6 = tiny-llava-gemma-3-1b-pt-siglip2-so400m-patch14-384-gemma3-1b-pt_base-pretrain
FINETUNE_OUTPUT_DIR="${CHECKPOINT_ROOT}/${RUN_PREFIX}-finetune"
PRETRAINED_MODEL_PATH="${PRETRAINED_MODEL_PATH:-${PRETRAIN_OUTPUT_DIR}}"
