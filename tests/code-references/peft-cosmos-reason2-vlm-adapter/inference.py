"""Fixture written for aiprov in the shape of DreamVu/Cosmos-Reason2-2B-Retail-Grocery-EgoExo inference.py."""
import argparse

import torch
from peft import PeftModel
from transformers import AutoModelForVision2Seq, AutoProcessor

from patch_qwen3vl import patch_qwen3vl_rope


def load_model(adapter_path=".", base_model="nvidia/Cosmos-Reason2-2B", device="cuda"):  # ref: 1 = nvidia/Cosmos-Reason2-2B
    model = AutoModelForVision2Seq.from_pretrained(
        base_model,  # ref: 2 = nvidia/Cosmos-Reason2-2B
        torch_dtype=torch.bfloat16,
        device_map=device,
    )
    processor = AutoProcessor.from_pretrained(base_model)  # ref: 3 = nvidia/Cosmos-Reason2-2B
    # Apply Qwen3-VL video patch
    patch_qwen3vl_rope(model)  # ref: 4 = qwen3vl
    model = PeftModel.from_pretrained(model, adapter_path)  # ref: 5 = .
    return model, processor


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--adapter", default=".")  # ref: 6 = .
    parser.add_argument(
        "--base-model", default="nvidia/Cosmos-Reason2-2B"  # ref: 7 = nvidia/Cosmos-Reason2-2B
    )
    args = parser.parse_args()
    load_model(args.adapter, args.base_model)
