"""Fixture written for aiprov in the shape of inferless/Llama-3.2-11B-Vision-Instruct app.py (CODE-REFERENCES.md)."""
import os
os.environ["HF_HUB_ENABLE_HF_TRANSFER"] = "1"
import torch
from huggingface_hub import snapshot_download
from transformers import AutoProcessor, MllamaForConditionalGeneration


class InferlessPythonModel:
    def initialize(self):
        model_id = "meta-llama/Llama-3.2-11B-Vision-Instruct"  # ref: 1 = meta-llama/Llama-3.2-11B-Vision-Instruct
        snapshot_download(repo_id=model_id, allow_patterns=["*.safetensors"])  # ref: 2 = meta-llama/Llama-3.2-11B-Vision-Instruct
        self.model = MllamaForConditionalGeneration.from_pretrained(
            model_id,  # ref: 3 = meta-llama/Llama-3.2-11B-Vision-Instruct
            torch_dtype=torch.bfloat16,
            device_map="cuda",
        )
        self.processor = AutoProcessor.from_pretrained(model_id)  # ref: 4 = meta-llama/Llama-3.2-11B-Vision-Instruct

    def infer(self, inputs):
        return {"generated_text": ""}
