"""Fixture written for aiprov in the shape of D3voz/joy-caption-alpha-two-gui-mod app.py (CODE-REFERENCES.md)."""
import argparse
import os
from pathlib import Path

import torch
from torch import nn
from transformers import AutoModel, AutoModelForCausalLM, AutoProcessor, AutoTokenizer

CLIP_PATH = "google/siglip-so400m-patch14-384"  # ref: 1 = google/siglip-so400m-patch14-384
HF_TOKEN = os.environ.get("HF_TOKEN", None)


class ImageAdapter(nn.Module):
    def __init__(self, input_features: int, output_features: int, num_image_tokens: int = 38):
        super().__init__()
        self.linear1 = nn.Linear(input_features, output_features)


def load_models(checkpoint_path: Path):
    clip_processor = AutoProcessor.from_pretrained(CLIP_PATH)  # ref: 2 = google/siglip-so400m-patch14-384
    clip_model = AutoModel.from_pretrained(CLIP_PATH)  # ref: 3 = google/siglip-so400m-patch14-384
    clip_model = clip_model.vision_model
    checkpoint = torch.load(checkpoint_path / "clip_model.pt", map_location="cpu")  # ref: 4
    checkpoint = {k.replace("_orig_mod.module.", ""): v for k, v in checkpoint.items()}
    clip_model.load_state_dict(checkpoint)
    tokenizer = AutoTokenizer.from_pretrained(checkpoint_path / "text_model", use_fast=True)  # ref: 5
    text_model = AutoModelForCausalLM.from_pretrained(checkpoint_path / "text_model", torch_dtype=torch.bfloat16)  # ref: 6
    image_adapter = ImageAdapter(clip_model.config.hidden_size, text_model.config.hidden_size)
    image_adapter.load_state_dict(torch.load(checkpoint_path / "image_adapter.pt", map_location="cpu"))  # ref: 7
    return clip_processor, clip_model, tokenizer, text_model, image_adapter


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--checkpoint_path", type=str, default="cgrkzexw-599808")  # ref: 8 = cgrkzexw-599808
    args = parser.parse_args()
    load_models(Path(args.checkpoint_path))


if __name__ == "__main__":
    main()
