"""Fixture written for aiprov in the shape of bigdefence/bigvox-hyperclovax speech_encoder.py (CODE-REFERENCES.md)."""
import sys

import torch
import torch.nn as nn
import whisper
from funasr import AutoModel
from safetensors.torch import load_file
from transformers import pipeline

sys.path.insert(0, "/root/SpeechLLMs/omni_speech/model/speech_encoder")
from omni_speech.model.speech_tokenizer.modeling_whisper import WhisperVQConfig, WhisperVQEncoder


class WhisperWrappedEncoder:
    @classmethod
    def load(cls, model_config):
        whisper = pipeline("automatic-speech-recognition", model_config.speech_encoder, torch_dtype=torch.bfloat16, device="cpu", chunk_length_s=30, batch_size=256)  # ref: 1
        return whisper.model.get_encoder()


class WhisperVQWrappedEncoder:
    @classmethod
    def load(cls, model_config):
        # encoder = WhisperForConditionalGeneration.from_pretrained(model_config.speech_encoder)
        config = WhisperVQConfig.from_pretrained(model_config.speech_encoder)  # ref: 3
        encoder = WhisperVQEncoder(config)
        state_dict = load_file(model_config.speech_encoder + "/model.safetensors")  # ref: 4
        encoder.load_state_dict(state_dict, strict=False)
        return encoder
