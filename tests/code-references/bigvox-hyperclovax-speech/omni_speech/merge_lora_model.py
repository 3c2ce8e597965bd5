"""Fixture written for aiprov in the shape of bigdefence/bigvox-hyperclovax omni_speech/merge_lora_model.py."""
import argparse
import os
import sys

sys.path.append("/root/SpeechLLMs/")
from omni_speech.model.builder import load_pretrained_model


def merge_lora(args):
    tokenizer, model, _ = load_pretrained_model(args.model_path, args.model_base, is_lora=True, s2s=args.s2s)  # ref: 1 = /root/speechllm_checkpoints/test2/lora_checkpoints
    model.save_pretrained(args.save_model_path)
    tokenizer.save_pretrained(args.save_model_path)


if __name__ == "__main__":
    parser = argparse.ArgumentParser()
    parser.add_argument("--model-path", type=str, default="/root/speechllm_checkpoints/test2/lora_checkpoints")  # ref: 2 = /root/speechllm_checkpoints/test2/lora_checkpoints
    parser.add_argument("--model-base", type=str, default="/remote-home/yushengliao/yhwang/HuggingFace-Download-Accelerator/hf_hub/Llama-3.2-1B-Instruct")  # ref: 3 = Llama-3.2-1B-Instruct
    parser.add_argument("--save-model-path", type=str, default="/root/speechllm_checkpoints/test2/tmp")  # ref: 4 = /root/speechllm_checkpoints/test2/tmp
    parser.add_argument("--s2s", action="store_true", default=False)
    merge_lora(parser.parse_args())
