// Fixture written for aiprov in the shape of xenova/whisper-web src/worker.js (CODE-REFERENCES.md).
import { pipeline, env } from "@xenova/transformers";

env.allowLocalModels = false;

class PipelineFactory {
    static task = null;
    static model = null;
    static quantized = null;
    static instance = null;

    static async getInstance(progress_callback = null) {
        if (this.instance === null) {
            this.instance = pipeline(this.task, this.model, { // ref: 1
                quantized: this.quantized,
                progress_callback,
                revision: this.model.includes("/whisper-medium") ? "no_attentions" : "main", // ref: 2 = no_attentions
            });
        }
        return this.instance;
    }
}

self.addEventListener("message", async (event) => {
    const message = event.data;
    let transcript = await transcribe(message.audio, message.model, message.multilingual, message.quantized, message.subtask, message.language);
    self.postMessage({ status: "complete", data: transcript });
});

class AutomaticSpeechRecognitionPipelineFactory extends PipelineFactory {
    static task = "automatic-speech-recognition";
    static model = null;
    static quantized = null;
}

const transcribe = async (audio, model, multilingual, quantized, subtask, language) => {
    const isDistilWhisper = model.startsWith("distil-whisper/"); // ref: 3 = distil-whisper/
    let modelName = model; // ref: 4
    if (!isDistilWhisper && !multilingual) {
        modelName += ".en";
    }
    const p = AutomaticSpeechRecognitionPipelineFactory;
    if (p.model !== modelName || p.quantized !== quantized) {
        p.model = modelName;
        p.quantized = quantized;
    }
    const transcriber = await p.getInstance();
    return transcriber(audio, { chunk_length_s: isDistilWhisper ? 20 : 30, stride_length_s: isDistilWhisper ? 3 : 5 });
};
