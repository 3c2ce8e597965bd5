"""Call transcription for Hana Assist (written for aiprov's example)."""
from transformers import pipeline

asr = pipeline("automatic-speech-recognition", model="openai/whisper-large-v3-turbo")


def transcribe(path: str) -> str:
    return asr(path)["text"]
