"""Fixture written for aiprov in the shape of esthyj/varco-vision-2.0-1.7b-test odometer_server.py (CODE-REFERENCES.md)."""
from contextlib import asynccontextmanager

import torch
from fastapi import FastAPI
from transformers import AutoProcessor, LlavaOnevisionForConditionalGeneration

SNAPSHOT_PATH = "/root/.cache/huggingface/hub/models--NCSOFT--VARCO-VISION-2.0-1.7B/snapshots/ed09f37445518b1564d1ef3c6e26fbd7c1b2c818"  # ref: 1 = NCSOFT/VARCO-VISION-2.0-1.7B
state = {}


def load_model():
    model = LlavaOnevisionForConditionalGeneration.from_pretrained(
        SNAPSHOT_PATH,  # ref: 2 = NCSOFT/VARCO-VISION-2.0-1.7B
        local_files_only=True,
        device_map="auto",
        torch_dtype="auto",
    )
    processor = AutoProcessor.from_pretrained(SNAPSHOT_PATH, local_files_only=True)  # ref: 3 = NCSOFT/VARCO-VISION-2.0-1.7B
    state["model"], state["processor"] = model, processor


@asynccontextmanager
async def lifespan(app: FastAPI):
    load_model()
    yield


app = FastAPI(lifespan=lifespan)
