"""Fixture written for aiprov in the shape of SeungJu-Mun/Ko-Llava main.py (CODE-REFERENCES.md)."""
from src.core.chat_vector import ChatVectorMerger
from src.core.predictor import KoLLaVAPredictor


def merge():
    merger = ChatVectorMerger()  # ref: 1
    merger.run_full_pipeline(alpha=1.0)


def predict():
    predictor = KoLLaVAPredictor()  # ref: 2 = KoLLaVAPredictor()
    predictor.load_model()
    url = "https://cdn-uploads.huggingface.co/production/uploads/example.png"
    return predictor.generate(url, "이 이미지를 설명해 주세요.")


if __name__ == "__main__":
    merge()
    predict()
