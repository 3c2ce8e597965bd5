/**
 * Helm chart templates (`<chart>/templates/*.yaml`) are Go templates (https://helm.sh/docs/chart_template_guide/),
 * not YAML, until Helm renders them. aiprov never renders them (that would run the chart's template code); it turns
 * each action into something YAML can hold, keeping every line where it was:
 * - a value read `{{ .Values.a.b }}` (with pipes such as `| quote`) becomes `${HELM_VALUES__a__b}`, and
 *   `{{ .Values.a.b | default "x" }}` becomes `${HELM_VALUES__a__b:-x}`: the linking pass fills them from the chart's
 *   `values.yaml` (see {@link helmValueVariables}) as it fills `${VAR}` from an `.env`;
 * - a line holding only control actions (`{{- if ... }}`, `{{- end }}`, `{{- toYaml ... | nindent 8 }}`, comments)
 *   becomes empty;
 * - any other action (`{{ .Release.Name }}`, `{{ include "x" . }}`) becomes the placeholder `helm-expression`.
 */
import type { SourceLocation } from "../model/types.js";
import type { VariableDefinition } from "./types.js";

/** Prefix of the variable names that stand for chart values. */
export const HELM_VALUES_PREFIX = "HELM_VALUES__";

/**
 * Replaces each template action `{{ body }}` (`{{-`/`-}}` trim markers dropped, body trimmed) of one line with
 * `fn(body, at)`. Scanned with indexOf, not a regular expression: a line of many `{{` without `}}` stays linear.
 */
function replaceActions(line: string, fn: (body: string, at: number) => string): string {
  let out = "";
  let pos = 0;
  for (;;) {
    const open = line.indexOf("{{", pos);
    const close = open < 0 ? -1 : line.indexOf("}}", open + 2);
    if (close < 0) return out + line.slice(pos);
    let body = line.slice(open + 2, close);
    if (body.startsWith("-")) body = body.slice(1);
    body = body.trim();
    if (body.endsWith("-")) body = body.slice(0, -1).trim();
    out += line.slice(pos, open) + fn(body, open);
    pos = close + 2;
  }
}

/** True for a file that is a Helm template: under a `templates/` folder and holding `{{`. */
export function isHelmTemplate(path: string, text: string): boolean {
  return /(?:^|\/)templates\//.test(path) && text.includes("{{");
}

/** The variable name that stands for `.Values.<path>` (`path` as dotted keys). */
export function helmVariableName(path: string): string {
  return HELM_VALUES_PREFIX + path.split(".").join("__");
}

/** The template as YAML text with the same lines (see the module comment). Never throws. */
export function helmToYaml(text: string): string {
  return text
    .split("\n")
    .map((line) => {
      if (!line.includes("{{")) return line;
      if (replaceActions(line, () => "").trim() === "") return "";
      return replaceActions(line, (body, at) => {
        // Outside a quoted YAML string the replacement is quoted itself: `${...}` holds `{` and `}`, which a flow
        // list (`args: ["--model", {{ .Values.m | quote }}]`) would read as a mapping.
        const quoted =
          (line.slice(0, at).match(/"/g)?.length ?? 0) % 2 === 1 ||
          (line.slice(0, at).match(/'/g)?.length ?? 0) % 2 === 1;
        const q = (v: string): string => (quoted ? v : `"${v}"`);
        const b = body.trim();
        // `.Values.a.b | default "x" | quote`, and the prefix form `default "x" .Values.a.b`.
        const m = /^\.Values\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*((?:\|[^|]*)*)$/.exec(b);
        const pre =
          /^default\s+(?:"([^"]*)"|'([^']*)')\s+\.Values\.([A-Za-z_]\w*(?:\.[A-Za-z_]\w*)*)\s*((?:\|[^|]*)*)$/.exec(b);
        if (!m && !pre) return q("helm-expression");
        const path = m ? m[1]! : pre![3]!;
        const def = m
          ? (/\|\s*default\s+"([^"]*)"/.exec(m[2] ?? "")?.[1] ?? /\|\s*default\s+'([^']*)'/.exec(m[2] ?? "")?.[1])
          : (pre![1] ?? pre![2]);
        return q(`\${${helmVariableName(path)}${def !== undefined ? `:-${def}` : ""}}`);
      });
    })
    .join("\n");
}

/** Most values a chart's values file gives the linking pass (a huge values file is cut here, not read whole). */
const MAX_VALUES = 5000;

/**
 * The scalar values of a chart's values file as variables for `.Values.a.b`, scoped to the chart folder (the values
 * file's folder, whose `templates/` read them). `locate` gives each value's line.
 */
export function helmValueVariables(
  data: unknown,
  file: string,
  scope: string,
  locate: (pointer: string) => SourceLocation | undefined,
): VariableDefinition[] {
  const out: VariableDefinition[] = [];
  const walk = (v: unknown, path: string[]): void => {
    if (out.length >= MAX_VALUES) return;
    if (v !== null && typeof v === "object" && !Array.isArray(v)) {
      for (const [k, x] of Object.entries(v as Record<string, unknown>))
        if (/^[A-Za-z_]\w*$/.test(k)) walk(x, [...path, k]);
      return;
    }
    if (path.length === 0 || !(typeof v === "string" || typeof v === "number" || typeof v === "boolean")) return;
    const pointer = `/${path.join("/")}`;
    out.push({
      name: helmVariableName(path.join(".")),
      value: String(v),
      location: locate(pointer) ?? { file, pointer },
      scope,
    });
  };
  walk(data, []);
  return out;
}
