// Fixture written for aiprov in the shape of xenova/whisper-web src/utils/Constants.ts (CODE-REFERENCES.md).
function isMobileOrTablet() {
    return /Android|iPhone|iPad/i.test(navigator.userAgent);
}

export default {
    SAMPLING_RATE: 16000,
    DEFAULT_AUDIO_URL: `https://huggingface.co/datasets/Xenova/transformers.js-docs/resolve/main/${isMobileOrTablet() ? "jfk" : "ted_60_16k"}.wav`,
    DEFAULT_MODEL: "Xenova/whisper-tiny", // ref: 1 = Xenova/whisper-tiny
    DEFAULT_SUBTASK: "transcribe",
    DEFAULT_LANGUAGE: "english",
    DEFAULT_QUANTIZED: isMobileOrTablet(),
    DEFAULT_MULTILINGUAL: false,
};
