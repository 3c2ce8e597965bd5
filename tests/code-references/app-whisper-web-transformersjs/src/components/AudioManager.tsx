// Fixture written for aiprov in the shape of xenova/whisper-web src/components/AudioManager.tsx (CODE-REFERENCES.md).
import { Transcriber } from "../hooks/useTranscriber";

export function SettingsMenu(props: { transcriber: Transcriber }) {
    const models = {
        // Original checkpoints
        "Xenova/whisper-tiny": [41, 152], // ref: 1 = Xenova/whisper-tiny
        "Xenova/whisper-base": [77, 291], // ref: 2 = Xenova/whisper-base
        "Xenova/whisper-small": [249], // ref: 3 = Xenova/whisper-small
        "Xenova/whisper-medium": [776], // ref: 4 = Xenova/whisper-medium
        // Distil Whisper (English-only)
        "distil-whisper/distil-medium.en": [402], // ref: 5 = distil-whisper/distil-medium.en
        "distil-whisper/distil-large-v2": [767], // ref: 6 = distil-whisper/distil-large-v2
    };
    return (
        <select
            value={props.transcriber.model}
            onChange={(e) => {
                props.transcriber.setModel(e.target.value); // ref: 7
            }}
        >
            {Object.keys(models)
                .filter((key) => props.transcriber.quantized || models[key as keyof typeof models].length == 2)
                .filter((key) => !props.transcriber.multilingual || !key.startsWith("distil-whisper/"))
                .map((key) => (
                    <option key={key} value={key}>{`${key}${props.transcriber.multilingual || key.startsWith("distil-whisper/") ? "" : ".en"}`}</option>
                ))}
        </select>
    );
}
