"""Fixture written for aiprov in the shape of his0si/EXAONE-4.0-1.2B 0214/exp06_lora_w8a8.py (CODE-REFERENCES.md)."""
import json
import os

import torch
from llmcompressor import oneshot
from llmcompressor.modifiers.quantization import GPTQModifier
from transformers import AutoModelForCausalLM, AutoTokenizer

from utils.korean_calibration import load_calibration

LORA_MODEL = "/home/lgaimers/0214/models/lora_merged"  # ref: 1 = /home/lgaimers/0214/models/lora_merged
BASE_MODEL = "/home/lgaimers/base_model"  # ref: 2 = /home/lgaimers/base_model
MODELS_DIR = "/home/lgaimers/0214/models"  # ref: 3 = /home/lgaimers/0214/models
RESULTS_DIR = "/home/lgaimers/0214/results"


def run(dampening_frac: float):
    suffix = "d" + str(dampening_frac).replace(".", "")
    name = f"lora_w8a8_{suffix}"
    out_dir = os.path.join(MODELS_DIR, name)  # ref: 4 = lora_w8a8_d002
    if not os.path.exists(LORA_MODEL):
        from exp04_lora_w4a16.step1_lora_train import main as train_lora  # ref: 5 = exp04_lora_w4a16.step1_lora_train
        train_lora()
    tokenizer = AutoTokenizer.from_pretrained(LORA_MODEL, trust_remote_code=True)  # ref: 6 = /home/lgaimers/0214/models/lora_merged
    model = AutoModelForCausalLM.from_pretrained(
        LORA_MODEL, torch_dtype=torch.bfloat16, trust_remote_code=True, device_map="auto"  # ref: 7 = /home/lgaimers/0214/models/lora_merged
    )
    dataset = load_calibration(tokenizer, include_manta=True)
    oneshot(
        model=model,  # ref: 8 = /home/lgaimers/0214/models/lora_merged
        dataset=dataset,
        recipe=[GPTQModifier(scheme="W8A8", targets=["Linear"], ignore=["embed_tokens", "lm_head"], dampening_frac=dampening_frac)],
    )
    model.save_pretrained(out_dir, save_compressed=True)  # ref: 9 = lora_w8a8_d0015
    tokenizer.save_pretrained(out_dir)
    with open(os.path.join(RESULTS_DIR, f"{name}_config.json"), "w") as f:
        json.dump({"lora_base": LORA_MODEL, "scheme": "W8A8"}, f)  # ref: 10 = /home/lgaimers/0214/models/lora_merged


if __name__ == "__main__":
    run(0.02)
    run(0.015)
