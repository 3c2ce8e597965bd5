"""Fixture written for aiprov in the shape of inferless/InternVL2-Llama3-76B-AWQ app.py (CODE-REFERENCES.md)."""
from lmdeploy import pipeline, TurbomindEngineConfig
from lmdeploy.vl import load_image


class InferlessPythonModel:
    def initialize(self):
        model = 'OpenGVLab/InternVL2-Llama3-76B-AWQ'  # ref: 1 = OpenGVLab/InternVL2-Llama3-76B-AWQ
        backend_config = TurbomindEngineConfig(model_format='awq')  # ref: 2 = awq
        self.pipe = pipeline(model, backend_config=backend_config, log_level='INFO')  # ref: 3 = OpenGVLab/InternVL2-Llama3-76B-AWQ

    def infer(self, inputs):
        image = load_image(inputs["image_url"])
        return {"generated_text": self.pipe((inputs["prompt"], image)).text}
