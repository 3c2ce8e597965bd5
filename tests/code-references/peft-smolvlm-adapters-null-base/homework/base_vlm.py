"""Fixture written for aiprov in the shape of ChisomOkwor/homework4-vlm homework/base_vlm.py (CODE-REFERENCES.md)."""
import torch
from transformers import AutoModelForVision2Seq, AutoProcessor


class BaseVLM:
    def __init__(self, checkpoint="HuggingFaceTB/SmolVLM-256M-Instruct"):  # ref: 1 = HuggingFaceTB/SmolVLM-256M-Instruct
        self.processor = AutoProcessor.from_pretrained(checkpoint)  # ref: 2 = HuggingFaceTB/SmolVLM-256M-Instruct
        self.processor.image_processor.do_image_splitting = False
        self.model = AutoModelForVision2Seq.from_pretrained(
            checkpoint,  # ref: 3 = HuggingFaceTB/SmolVLM-256M-Instruct
            torch_dtype=torch.bfloat16,
            _attn_implementation="eager",
        )


def test_model():
    return BaseVLM()
