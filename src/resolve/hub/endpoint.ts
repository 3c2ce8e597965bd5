/** The public Hugging Face Hub endpoint, used when neither `--hub-url`, `HF_ENDPOINT` nor the config names another. */
export const DEFAULT_HUB_URL = "https://huggingface.co";
