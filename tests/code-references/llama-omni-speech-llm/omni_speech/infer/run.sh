#!/bin/bash
# Fixture written for aiprov in the shape of ictnlp/LLaMA-Omni omni_speech/infer/run.sh (CODE-REFERENCES.md).
ROOT=$1

VOCODER_CKPT=vocoder/g_00500000  # ref: 1 = vocoder/g_00500000
VOCODER_CFG=vocoder/config.json  # ref: 2 = vocoder/config.json

python omni_speech/infer/infer.py \
    --model-path Llama-3.1-8B-Omni \
    --question-file $ROOT/question.json \
    --answer-file $ROOT/answer.json \
    --num-chunks 1 \
    --chunk-idx 0 \
    --temperature 0 \
    --conv-mode llama_3 \
    --input_type mel \
    --mel_size 128 \
    --s2s
# ref-above: 3 = Llama-3.1-8B-Omni
python fairseq/examples/speech_to_speech/generate_waveform_from_code.py \
    --in-code-file $ROOT/answer.unit \
    --vocoder $VOCODER_CKPT --vocoder-cfg $VOCODER_CFG \
    --results-path $ROOT/answer_wav/ --dur-prediction
# ref-above: 4 = vocoder/g_00500000
