"""Fixture written for aiprov in the shape of SeungJu-Mun/Ko-Llava src/core/chat_vector.py (CODE-REFERENCES.md)."""
import torch
from transformers import AutoModelForCausalLM, LlavaForConditionalGeneration

from src.config.settings import load_env

env = load_env()


class ChatVectorMerger:
    def __init__(
        self,
        base_model_name: str = env.LLAMA_MODEL_NAME,  # ref: 1
        ko_model_name: str = env.LLAVA_MODEL_NAME,  # ref: 2
        skip_layers=("embed_tokens", "lm_head", "vision_tower.vision_model.embeddings", "pre_layrnorm"),
    ):
        self.base_model_name = base_model_name
        self.ko_model_name = ko_model_name
        self.skip_layers = skip_layers

    def load(self):
        self.base_model = LlavaForConditionalGeneration.from_pretrained(
            self.base_model_name,  # ref: 3
            torch_dtype=torch.bfloat16,
            device_map="auto",
            cache_dir=env.CACHE_DIR,
        )
        self.ko_model = AutoModelForCausalLM.from_pretrained(
            self.ko_model_name,  # ref: 4
            torch_dtype=torch.bfloat16,
            device_map="auto",
            cache_dir=env.CACHE_DIR,
        )

    def merge(self, alpha: float = 1.0):
        new_state_dict = self.base_model.state_dict()
        for k, v in self.ko_model.state_dict().items():  # ref: 5
            if any(s in k for s in self.skip_layers) or "layernorm" in k:
                continue
            if k in new_state_dict:
                new_state_dict[k] = v + alpha * (new_state_dict[k] - v)
        self.base_model.load_state_dict(new_state_dict, strict=False)

    def save(self):
        self.base_model.save_pretrained(env.OUTPUT_DIR)  # ref: 6 = OUTPUT_DIR

    def run_full_pipeline(self, alpha: float = 1.0):
        self.load()
        self.merge(alpha)
        self.save()
