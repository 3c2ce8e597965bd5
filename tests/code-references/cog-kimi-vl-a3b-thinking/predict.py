"""Fixture written for aiprov in the shape of zsxkib/cog-kimi-vl-a3b-thinking predict.py (CODE-REFERENCES.md)."""
import os
import subprocess
import time

from cog import BasePredictor, Input

MODEL_CACHE = "model_cache"
os.environ["HF_HOME"] = MODEL_CACHE
os.environ["TORCH_HOME"] = MODEL_CACHE
os.environ["HF_DATASETS_CACHE"] = MODEL_CACHE
os.environ["TRANSFORMERS_CACHE"] = MODEL_CACHE
os.environ["HUGGINGFACE_HUB_CACHE"] = MODEL_CACHE

from kimi_vl.serve.inference import load_model  # noqa: E402

BASE_URL = f"https://weights.replicate.delivery/default/kimi-vl-a3b-thinking/{MODEL_CACHE}/"  # ref: 1 = https://weights.replicate.delivery/default/kimi-vl-a3b-thinking/model_cache/


def download_weights(url: str, dest: str) -> None:
    start = time.time()
    print("[!] Initiating download from URL: ", url)
    command = ["pget", "-vf" + ("x" if url.endswith(".tar") else ""), url, dest]
    subprocess.check_call(command, close_fds=False)
    print("[+] Download completed in: ", time.time() - start, "seconds")


class Predictor(BasePredictor):
    def setup(self) -> None:
        os.makedirs(MODEL_CACHE, exist_ok=True)
        model_files = [
            "models--moonshotai--Kimi-VL-A3B-Thinking.tar",  # ref: 2 = moonshotai/Kimi-VL-A3B-Thinking
            "modules.tar",  # ref: 3 = modules.tar
        ]
        for model_file in model_files:
            url = BASE_URL + model_file
            filename = url.split("/")[-1]
            dest_path = os.path.join(MODEL_CACHE, filename)
            if not os.path.exists(dest_path.replace(".tar", "")):
                download_weights(url, dest_path)  # ref: 4 = https://weights.replicate.delivery/default/kimi-vl-a3b-thinking/model_cache/modules.tar
        model_path = "moonshotai/Kimi-VL-A3B-Thinking"  # ref: 5 = moonshotai/Kimi-VL-A3B-Thinking
        self.model, self.processor = load_model(model_path)

    def predict(self, prompt: str = Input(description="Prompt")) -> str:
        return prompt
