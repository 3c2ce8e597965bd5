#!/bin/bash
# Fixture written for aiprov in the shape of LLaVA-VL/LLaVA-NeXT scripts/train/pretrain_clip.sh (CODE-REFERENCES.md).
export OMP_NUM_THREADS=8

LLM_VERSION="Qwen/Qwen2-7B-Instruct" # ref: 1 = Qwen/Qwen2-7B-Instruct
LLM_VERSION_CLEAN="${LLM_VERSION//\//_}"
VISION_MODEL_VERSION="openai/clip-vit-large-patch14-336" # ref: 2 = openai/clip-vit-large-patch14-336
VISION_MODEL_VERSION_CLEAN="${VISION_MODEL_VERSION//\//_}"

BASE_RUN_NAME="llavanext-${VISION_MODEL_VERSION_CLEAN}-${LLM_VERSION_CLEAN}-mlp2x_gelu-pretrain_blip558k_plain" # ref: 3 = llavanext-openai_clip-vit-large-patch14-336-Qwen_Qwen2-7B-Instruct-mlp2x_gelu-pretrain_blip558k_plain
echo "BASE_RUN_NAME: ${BASE_RUN_NAME}"

torchrun --nproc_per_node="${NUM_GPUS}" \
    llava/train/train_mem.py \
    --deepspeed scripts/zero3.json \
    --model_name_or_path ${LLM_VERSION} \
    --version plain \
    --vision_tower ${VISION_MODEL_VERSION} \
    --mm_tunable_parts="mm_mlp_adapter" \
    --output_dir /checkpoints/projectors/${BASE_RUN_NAME}
# ref-above: 4 = Qwen/Qwen2-7B-Instruct
# ref-above: 5 = openai/clip-vit-large-patch14-336
