"""Fixture written for aiprov in the shape of bigdefence/bigvox-hyperclovax omni_speech/infer/bigvox.py."""
import torch
import whisper

from omni_speech.model.builder import load_pretrained_model

BIGVOX_MODEL = "./checkpoints"  # ref: 1 = checkpoints


class BigVox:
    def __init__(self, model_name_or_path):
        self.model_name_or_path = model_name_or_path
        self.tokenizer, self.model, _ = load_pretrained_model(self.model_name_or_path, s2s=False)  # ref: 2 = checkpoints
        self.encoder_type = getattr(self.model.config, "speech_encoder_type", None)
        if self.encoder_type == "glm4voice":  # ref: 3 = glm4voice
            self.n_mels = 128

    def features(self, path):
        audio = whisper.load_audio(path)
        return whisper.log_mel_spectrogram(whisper.pad_or_trim(audio), n_mels=128)


bigvox = BigVox(BIGVOX_MODEL)
