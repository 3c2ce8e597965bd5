"""Fixture written for aiprov in the shape of ictnlp/LLaMA-Omni omni_speech/model/speech_encoder/speech_encoder.py."""
import torch.nn as nn


class WhisperWrappedEncoder:

    @classmethod
    def load(cls, model_config):

        def replace_layer_norm(module):
            for name, child in module.named_children():
                replace_layer_norm(child)

        import whisper
        encoder = whisper.load_model(name=model_config.speech_encoder, device='cpu').encoder  # ref: 1
        replace_layer_norm(encoder)
        return encoder


def build_speech_encoder(config):
    return WhisperWrappedEncoder.load(config)
