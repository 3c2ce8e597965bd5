#!/usr/bin/env bash
# Validates aiprov's SARIF with Microsoft's SARIF Multitool (`validate` verb: the SARIF schema plus its SARIF and
# GitHub-ingestion rules) and fails on any warning or error it reports, not only on its exit code; notes are listed.
# The Multitool is a ~100 MB self-contained .NET binary shipped inside its npm package, so it is installed into a
# temporary folder here and never into the project's dependencies. Used by .ci/run; run it by hand with
# `npm run validate:sarif` (after `npm run build`). Extra arguments are SARIF files to check as well.
set -euo pipefail
cd "$(dirname "$0")/.."
MULTITOOL_VERSION=5.7.0
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

files=("tests/golden/omni.sarif" "$@")
set +e
SOURCE_DATE_EPOCH=1764374400 HF_HUB_OFFLINE=1 node bin/aiprov.js scan examples/omni-submission --policy kr-sovereign-from-scratch --offline --sarif-output "$work/omni-scan.sarif" >/dev/null
rc=$?
set -e
if [ "$rc" -ne 1 ]; then echo "sarif check: expected the omni scan to exit 1 (findings), got $rc" >&2; exit 1; fi
files+=("$work/omni-scan.sarif")

# A product that loads models by Hub id (examples/app-product), with every bundled pack: offline, and with a Hub that
# cannot be reached (a closed port on the loopback). Both must give results that all have a location.
packs=()
for p in rules/*.yaml; do case "$p" in *.tests.yaml) ;; *) packs+=(--policy "$(basename "$p" .yaml)") ;; esac; done
SOURCE_DATE_EPOCH=1764374400 HF_HUB_OFFLINE=1 node bin/aiprov.js scan examples/app-product "${packs[@]}" --offline --fail-on never --sarif-output "$work/app-offline.sarif" >/dev/null
SOURCE_DATE_EPOCH=1764374400 HF_HUB_OFFLINE=0 AIPROV_CACHE_DIR="$work/cache" node bin/aiprov.js scan examples/app-product "${packs[@]}" --hub-url http://127.0.0.1:9 --timeout 3 --fail-on never --sarif-output "$work/app-unreachable.sarif" >/dev/null
for f in "$work/app-offline.sarif" "$work/app-unreachable.sarif"; do
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const results = log.runs.flatMap((r) => r.results ?? []);
    const bad = results.filter((r) => !(r.locations ?? []).some((l) => l.physicalLocation?.artifactLocation?.uri));
    if (results.length === 0 || bad.length > 0) { console.error(`sarif check: ${process.argv[1]}: ${bad.length} of ${results.length} results without a location`); process.exit(1); }
  ' "$f"
  files+=("$f")
done

npm install --prefix "$work/mt" --no-save --no-audit --no-fund --loglevel=error "@microsoft/sarif-multitool@${MULTITOOL_VERSION}" >/dev/null
# The package's main export is the path of the platform binary; run it directly (its bin wrapper goes through a shell).
bin="$(cd "$work/mt" && node -p "require('@microsoft/sarif-multitool')")"
chmod u+x "$bin"

status=0
for f in "${files[@]}"; do
  out="$work/validation-$(basename "$f").sarif"
  "$bin" validate "$f" --output "$out" --log ForceOverwrite --level "Error;Warning;Note" --rule-kind "Sarif;Gh" --quiet || true
  if [ ! -s "$out" ]; then echo "sarif check: the Multitool wrote no validation log for $f" >&2; status=1; continue; fi
  node -e '
    const log = JSON.parse(require("fs").readFileSync(process.argv[1], "utf8"));
    const results = log.runs.flatMap((r) => r.results ?? []);
    const notes = log.runs.flatMap((r) => (r.invocations ?? []).flatMap((i) => [...(i.toolExecutionNotifications ?? []), ...(i.toolConfigurationNotifications ?? [])]));
    const line = (r) => `${r.level ?? "warning"} ${r.ruleId}: ${(r.message?.arguments ?? []).join(" | ")}`;
    const bad = results.filter((r) => (r.level ?? "warning") !== "note" && r.level !== "none");
    const failedNotes = notes.filter((n) => n.level === "error");
    console.log(`${process.argv[2]}: ${results.length - bad.length} note(s), ${bad.length} warning(s) or error(s)`);
    for (const r of results) console.log(`  ${line(r)}`);
    for (const n of failedNotes) console.log(`  tool error: ${n.message?.text}`);
    process.exit(bad.length + failedNotes.length > 0 ? 1 : 0);
  ' "$out" "$f" || status=1
done
exit "$status"
