// Fixture written for aiprov in the shape of xenova/whisper-web src/hooks/useTranscriber.ts (CODE-REFERENCES.md).
import { useCallback, useMemo, useState } from "react";
import Constants from "../utils/Constants";

export function useTranscriber(webWorker: Worker) {
    const [model, setModel] = useState<string>(Constants.DEFAULT_MODEL); // ref: 1 = Xenova/whisper-tiny
    const [multilingual, setMultilingual] = useState<boolean>(Constants.DEFAULT_MULTILINGUAL);
    const [quantized, setQuantized] = useState<boolean>(Constants.DEFAULT_QUANTIZED);
    const [subtask, setSubtask] = useState<string>(Constants.DEFAULT_SUBTASK);
    const [language, setLanguage] = useState<string>(Constants.DEFAULT_LANGUAGE);

    const postRequest = useCallback(
        async (audio: Float32Array) => {
            webWorker.postMessage({
                audio,
                model, // ref: 2
                multilingual,
                quantized,
                subtask: multilingual ? subtask : null,
                language: multilingual && language !== "auto" ? language : null,
            });
        },
        [webWorker, model, multilingual, quantized, subtask, language],
    );

    return useMemo(() => ({ postRequest, model, setModel, multilingual, setMultilingual, quantized, setQuantized, setSubtask, setLanguage }), [postRequest, model, multilingual, quantized]);
}
