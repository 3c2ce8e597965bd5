"""Fixture written for aiprov in the shape of teddylee777/langserve_ollama example/main.py (CODE-REFERENCES.md)."""
import streamlit as st
from langchain.embeddings import CacheBackedEmbeddings
from langchain.storage import LocalFileStore
from langchain_core.prompts import load_prompt
from langchain_ollama import ChatOllama, OllamaEmbeddings

store = LocalFileStore(".cache/embeddings")
EMBEDDING_MODEL = "bge-m3"  # ref: 1 = bge-m3
embeddings = OllamaEmbeddings(model=EMBEDDING_MODEL)  # ref: 2 = bge-m3
cached = CacheBackedEmbeddings.from_bytes_store(embeddings, store, namespace=EMBEDDING_MODEL)
prompt = load_prompt("prompts/rag-exaone.yaml", encoding="utf-8")
llm = ChatOllama(
    model="exaone",  # ref: 3 = exaone
    temperature=0,
)
st.title("RAG")
