"""Fixture written for aiprov in the shape of zsxkib/cog-kimi-vl-a3b-thinking kimi_vl/serve/inference.py."""
from transformers import AutoConfig, AutoModelForCausalLM, AutoProcessor


def load_model(model_path: str = "moonshotai/Kimi-VL-A3B-Thinking"):  # ref: 1 = moonshotai/Kimi-VL-A3B-Thinking
    config = AutoConfig.from_pretrained(model_path, trust_remote_code=True)  # ref: 2 = moonshotai/Kimi-VL-A3B-Thinking
    config._attn_implementation = "flash_attention_2"
    config.vision_config._attn_implementation = "flash_attention_2"
    config.text_config._attn_implementation = "flash_attention_2"
    model = AutoModelForCausalLM.from_pretrained(
        model_path,  # ref: 3 = moonshotai/Kimi-VL-A3B-Thinking
        config=config,
        torch_dtype="auto",
        device_map="auto",
        trust_remote_code=True,
    )
    processor = AutoProcessor.from_pretrained(model_path, config=config, trust_remote_code=True)  # ref: 4 = moonshotai/Kimi-VL-A3B-Thinking
    return model, processor
