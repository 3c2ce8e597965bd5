#!/usr/bin/env python3
"""Fixture written for aiprov in the shape of Tencent/EVIE-Preview-4.5B infer.py (CODE-REFERENCES.md)."""
import argparse

import torch
from colpali_engine.models import ColQwen3_5, ColQwen3_5Processor

from bidirectional import enable_bidirectional_attention


def load(model_id: str, device: str):
    model = ColQwen3_5.from_pretrained(
        model_id,  # ref: 1
        torch_dtype=torch.bfloat16,
        device_map=device,
        attn_implementation="flash_attention_2",
    )
    enable_bidirectional_attention(model)
    processor = ColQwen3_5Processor.from_pretrained(model_id)  # ref: 2
    return model, processor


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--model", default="EVIE-Preview-4.5B")  # ref: 3 = EVIE-Preview-4.5B
    parser.add_argument("--device", default="cuda")
    args = parser.parse_args()
    load(args.model, args.device)


if __name__ == "__main__":
    main()
