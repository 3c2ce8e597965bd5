/**
 * Chat templates kept beside a model: `chat_template.jinja` (transformers >= 4.50 writes the template as its own file)
 * and `chat_template.json` (`{"chat_template": "..."}`, processors of vision-language models). The template is
 * data, never rendered. Its role markers are a family hint (ChatML `<|im_start|>`, Llama 3 `<|start_header_id|>`,
 * Qwen2-VL `<|vision_start|>`): yielded as facts of the folder's model.
 */
import { dirOf, parseErrorDiagnostic } from "../../helpers.js";
import { parseJsonDocument } from "../../document.js";
import { tokenFamilies } from "../../token-hints.js";
import type { Extractor, ExtractOutput } from "../../types.js";

const ID = "chat-template";

export const chatTemplateExtractor: Extractor = {
  id: ID,
  description: "chat_template.jinja / chat_template.json: chat-template markers as tokenizer-family hints",
  matches(_path, base) {
    return base === "chat_template.jinja" || base === "chat_template.json";
  },
  async extract(file, ctx): Promise<ExtractOutput> {
    const text = await file.text(ctx.maxTextBytes);
    let template = text;
    if (file.path.endsWith(".json")) {
      try {
        const data = parseJsonDocument(text).data as { chat_template?: unknown };
        template =
          typeof data?.chat_template === "string" ? data.chat_template : JSON.stringify(data?.chat_template ?? "");
      } catch (err) {
        return { diagnostics: [parseErrorDiagnostic(file.path, err)] };
      }
    }
    const families = tokenFamilies(template);
    return {
      folders: [
        {
          dir: dirOf(file.path),
          location: { file: file.path, line: 1 },
          attachOnly: true,
          facts: { chatTemplateFile: file.path, ...(families.length ? { chatTemplateFamilies: families } : {}) },
        },
      ],
    };
  },
};
