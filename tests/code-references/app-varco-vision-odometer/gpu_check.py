"""Fixture written for aiprov in the shape of esthyj/varco-vision-2.0-1.7b-test gpu_check.py (CODE-REFERENCES.md)."""
import torch
from transformers import AutoConfig

print(torch.cuda.is_available())
cfg = AutoConfig.from_pretrained("NCSOFT/VARCO-VISION-2.0-1.7B-OCR")  # ref: 1 = NCSOFT/VARCO-VISION-2.0-1.7B-OCR
print(cfg.text_config.max_position_embeddings)
