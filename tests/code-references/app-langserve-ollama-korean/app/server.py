"""Fixture written for aiprov in the shape of teddylee777/langserve_ollama app/server.py (CODE-REFERENCES.md)."""
from fastapi import FastAPI
from langserve import add_routes

from chains import ChatChain, LLM, TopicChain, Translator
from rag import RagChain

app = FastAPI()

add_routes(app, Translator().create(), path="/translate")  # ref: 1
add_routes(app, LLM().create(), path="/llm")  # ref: 2
add_routes(app, TopicChain().create(), path="/topic")  # ref: 3
add_routes(
    app,
    RagChain(file_path="data/SPRI_AI_Brief_2023년12월호_F.pdf").create(),  # ref: 4
    path="/rag",
)
add_routes(app, ChatChain().create(), path="/chat")  # ref: 5
