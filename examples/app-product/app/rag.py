"""Retrieval for Hana Assist (written for aiprov's example): embed, retrieve, rerank."""
import os

from sentence_transformers import CrossEncoder, SentenceTransformer
from transformers import AutoTokenizer

EMBEDDING_MODEL = os.getenv("EMBEDDING_MODEL", "intfloat/multilingual-e5-large")
RERANK_MODEL = "BAAI/bge-reranker-v2-m3"


class Retriever:
    def __init__(self) -> None:
        self.embedder = SentenceTransformer(EMBEDDING_MODEL)
        self.reranker = CrossEncoder(RERANK_MODEL, revision="953dc6f6f85a1b2dbfca4c34a2796e7dde08d41e")
        # Token counting must match the chat model served by vLLM.
        self.tokenizer = AutoTokenizer.from_pretrained("LGAI-EXAONE/EXAONE-3.5-7.8B-Instruct", trust_remote_code=True)

    def search(self, query: str, documents: list[str], top_k: int = 3) -> list[str]:
        scores = self.reranker.predict([(query, d) for d in documents])
        ranked = sorted(zip(scores, documents), reverse=True)
        return [d for _, d in ranked[:top_k]]
