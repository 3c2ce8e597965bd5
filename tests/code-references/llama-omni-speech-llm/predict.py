"""Fixture written for aiprov in the shape of ictnlp/LLaMA-Omni predict.py (CODE-REFERENCES.md)."""
import json
import os
import subprocess

from cog import BasePredictor
from fairseq.models.text_to_speech.vocoder import CodeHiFiGANVocoder

from omni_speech.model.builder import load_pretrained_model

MODEL_CACHE = "models"  # ref: 1 = models
MODEL_URL = f"https://weights.replicate.delivery/default/ictnlp/LLaMA-Omni/{MODEL_CACHE}.tar"
os.environ["HF_DATASETS_OFFLINE"] = "1"
os.environ["TRANSFORMERS_OFFLINE"] = "1"
os.environ["HF_HOME"] = MODEL_CACHE
os.environ["TORCH_HOME"] = MODEL_CACHE


def download_weights(url, dest):
    subprocess.check_call(["pget", "-x", url, dest], close_fds=False)


class Predictor(BasePredictor):
    def setup(self) -> None:
        if not os.path.exists(MODEL_CACHE):
            download_weights(MODEL_URL, MODEL_CACHE)  # ref: 2 = https://weights.replicate.delivery/default/ictnlp/LLaMA-Omni/models.tar
        self.tokenizer, self.model, _ = load_pretrained_model(
            f"{MODEL_CACHE}/Llama-3.1-8B-Omni", model_base=None, s2s=True  # ref: 3 = models/Llama-3.1-8B-Omni
        )
        with open(f"{MODEL_CACHE}/vocoder/config.json") as f:  # ref: 4 = models/vocoder/config.json
            vocoder_cfg = json.load(f)
        self.vocoder = CodeHiFiGANVocoder(
            f"{MODEL_CACHE}/vocoder/g_00500000", vocoder_cfg  # ref: 5 = models/vocoder/g_00500000
        ).cuda()
