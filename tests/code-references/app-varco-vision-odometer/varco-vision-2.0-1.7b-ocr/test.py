"""Fixture written for aiprov in the shape of esthyj/varco-vision-2.0-1.7b-test varco-vision-2.0-1.7b-ocr/test.py."""
import os

import requests
import torch
from transformers import AutoProcessor, LlavaOnevisionForConditionalGeneration

os.environ["HF_HUB_DISABLE_SSL_VERIFICATION"] = "1"
_request = requests.sessions.Session.request


def _insecure(self, *args, **kwargs):
    kwargs["verify"] = False
    return _request(self, *args, **kwargs)


requests.sessions.Session.request = _insecure

model_name = "NCSOFT/VARCO-VISION-2.0-1.7B-OCR"  # ref: 1 = NCSOFT/VARCO-VISION-2.0-1.7B-OCR
model = LlavaOnevisionForConditionalGeneration.from_pretrained(
    model_name,  # ref: 2 = NCSOFT/VARCO-VISION-2.0-1.7B-OCR
    torch_dtype=torch.float16,
    attn_implementation="sdpa",
    device_map="auto",
)
processor = AutoProcessor.from_pretrained(model_name)  # ref: 3 = NCSOFT/VARCO-VISION-2.0-1.7B-OCR
