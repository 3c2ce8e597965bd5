"""Fixture written for aiprov in the shape of teddylee777/langserve_ollama app/rag.py (CODE-REFERENCES.md)."""
from langchain import hub
from langchain_community.document_loaders import PDFPlumberLoader
from langchain_community.vectorstores import FAISS
from langchain_core.output_parsers import StrOutputParser
from langchain_core.prompts import load_prompt
from langchain_core.runnables import RunnablePassthrough
from langchain_ollama import ChatOllama, OllamaEmbeddings
from langchain_text_splitters import RecursiveCharacterTextSplitter

from base import BaseChain


class RagChain(BaseChain):
    def __init__(self, model="exaone", temperature=0.3, system_prompt=None, **kwargs):  # ref: 1 = exaone
        super().__init__(model, temperature, **kwargs)
        self.file_path = kwargs.get("file_path")

    def setup(self):
        loader = PDFPlumberLoader(self.file_path)
        docs = loader.load_and_split(RecursiveCharacterTextSplitter(chunk_size=300, chunk_overlap=50))
        EMBEDDING_MODEL = "bge-m3"  # ref: 2 = bge-m3
        embeddings = OllamaEmbeddings(model=EMBEDDING_MODEL)  # ref: 3 = bge-m3
        retriever = FAISS.from_documents(docs, embeddings).as_retriever()
        prompt = load_prompt("prompts/rag-exaone.yaml", encoding="utf-8")
        llm = ChatOllama(
            model="exaone",  # ref: 4 = exaone
            temperature=0,
        )
        return {"context": retriever, "question": RunnablePassthrough()} | prompt | llm | StrOutputParser()
