"""Fixture written for aiprov in the shape of teddylee777/langserve_ollama app/chains.py (CODE-REFERENCES.md)."""
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import ChatPromptTemplate
from langchain_ollama import ChatOllama

from base import BaseChain


class TopicChain(BaseChain):
    def __init__(self, model="exaone", temperature=0, system_prompt=None, **kwargs):  # ref: 1 = exaone
        super().__init__(model, temperature, **kwargs)
        self.system_prompt = system_prompt or "You are a helpful assistant."

    def setup(self):
        prompt = ChatPromptTemplate.from_messages([("system", self.system_prompt), ("user", "{topic}")])
        llm = ChatOllama(model=self.model, temperature=self.temperature)  # ref: 2 = exaone
        return prompt | llm | StrOutputParser()


class ChatChain(BaseChain):
    def __init__(self, model="exaone", temperature=0.3, system_prompt=None, **kwargs):  # ref: 3 = exaone
        super().__init__(model, temperature, **kwargs)
        self.system_prompt = system_prompt or "You are a helpful AI Assistant."

    def setup(self):
        prompt = ChatPromptTemplate.from_messages([("system", self.system_prompt), ("placeholder", "{messages}")])
        llm = ChatOllama(model=self.model, temperature=self.temperature)  # ref: 4 = exaone
        return prompt | llm | StrOutputParser()


class LLM(BaseChain):
    def setup(self):
        llm = ChatOllama(model=self.model, temperature=self.temperature)  # ref: 5 = exaone
        return llm


class Translator(BaseChain):
    def __init__(self, model="exaone", temperature=0, system_prompt=None, **kwargs):  # ref: 6 = exaone
        super().__init__(model, temperature, **kwargs)
        self.system_prompt = system_prompt or "Translate the sentence into Korean."

    def setup(self):
        prompt = ChatPromptTemplate.from_messages([("system", self.system_prompt), ("user", "{input}")])
        llm = ChatOllama(model=self.model, temperature=self.temperature)  # ref: 7 = exaone
        return prompt | llm | StrOutputParser()
