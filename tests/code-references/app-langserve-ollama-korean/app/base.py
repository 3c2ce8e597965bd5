"""Fixture written for aiprov in the shape of teddylee777/langserve_ollama app/base.py (CODE-REFERENCES.md)."""
from abc import ABC, abstractmethod


class BaseChain(ABC):
    """Base class of the chains served by LangServe."""

    def __init__(self, model="exaone", temperature=0, system_prompt=None, **kwargs):  # ref: 1 = exaone
        self.model = model
        self.temperature = temperature
        self.system_prompt = system_prompt
        self.kwargs = kwargs

    @abstractmethod
    def setup(self):
        raise NotImplementedError

    def create(self):
        return self.setup()
