#!/bin/bash
# Fixture written for aiprov in the shape of LLaVA-VL/LLaVA-NeXT scripts/train/dpo_ov7b.sh (CODE-REFERENCES.md).
export OMP_NUM_THREADS=8

VISION_MODEL_VERSION="google/siglip-so400m-patch14-384" # ref: 1 = google/siglip-so400m-patch14-384
VISION_MODEL_VERSION_CLEAN="${VISION_MODEL_VERSION//\//_}"

SFT_MODEL="lmms-lab/llava-onevision-qwen2-7b-ov" # ref: 2 = lmms-lab/llava-onevision-qwen2-7b-ov
EPOCH=1
beta=0.1
DPO_RUN_NAME="llava-onevision-qwen2-7b-ov_dpo-beta${beta}-epoch${EPOCH}" # ref: 3 = llava-onevision-qwen2-7b-ov_dpo-beta0.1-epoch1
OUTPUT_DIR="<your-output-folder>/${DPO_RUN_NAME}"

torchrun --nproc_per_node="${NUM_GPUS}" \
    llava/train/train_dpo.py \
    --deepspeed scripts/zero3.json \
    --model_name_or_path=${SFT_MODEL} \
    --version qwen_1_5 \
    --unfreeze_mm_vision_tower True \
    --vision_tower ${VISION_MODEL_VERSION} \
    --output_dir $OUTPUT_DIR
# ref-above: 4 = lmms-lab/llava-onevision-qwen2-7b-ov
# ref-above: 5 = google/siglip-so400m-patch14-384
