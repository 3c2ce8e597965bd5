// Benchmark: the python-code extractor on one large generated module (3,000 functions that reuse the same local names,
// each guarded by `os.path.exists`, looping over a list, comparing a config key and loading a model; 3,000 calls with
// distinct literals). Per-file names used to make resolution quadratic in the number of same-named assignments; the
// flow analysis now resolves a name's assignments once and looks names up per function. Prints wall time, bytes per
// second, references and peak RSS. Needs `npm run build` (npm run bench does it). Goal: linear in the file's size.
import { extractPythonSource } from "../dist/extract/extractors/python-code/index.js";

const rss = () => (process.resourceUsage().maxRSS / 1024).toFixed(0);
for (const n of [300, 3000]) {
  let text = "import os\nfrom transformers import AutoModel\n\n";
  for (let i = 0; i < n; i++) {
    text += `def load_${i}(path, cfg=None):\n    for k in ["a", "b"]:\n        if not os.path.exists(path):\n            x = path + "/weights"\n        if cfg.model_type == "llama":\n            pass\n    return AutoModel.from_pretrained(x)\n\n`;
  }
  for (let i = 0; i < n; i++) text += `load_${i}("org/model-${i}")\n`;
  await extractPythonSource("x = 1\n", { file: "warm.py" });
  const t0 = performance.now();
  const refs = await extractPythonSource(text, { file: "big.py" });
  const ms = performance.now() - t0;
  console.log(
    `python-code, ${n} functions (${(text.length / 1e3).toFixed(0)} kB): ${ms.toFixed(0)} ms, ${(text.length / 1e6 / (ms / 1e3)).toFixed(2)} MB/s, ${refs.length} references, peak RSS ${rss()} MB`,
  );
}
