#!/usr/bin/env bash
# Regenerate every results file in results/ and the docs built from them:
# the floors (majority, random) and the shipped model on the fixed validation part of each
# training set, per task and language; then docs/results.md, docs/validation.md and the
# README summary. A task whose model is not available keeps only its floor rows.
# Usage: bash scripts/evaluate_all.sh [DATA_DIR]   (default: ../shared/data)
#        PREDICTORS="majority random" bash scripts/evaluate_all.sh   (floors only)
# Set NARRASCOPE_EMBEDDING_CACHE to an embeddings cache file to reuse embeddings across runs.
set -uo pipefail
cd "$(dirname "$0")/.."
data="${1:-../shared/data}"
narrascope=".venv/bin/narrascope"

dataset_of() {
  case "$1" in
    genre|frames|techniques|spans) echo semeval2023-task3 ;;
    narratives|roles|explanations) echo semeval2025-task10 ;;
    claims) echo checkthat2024-task1-en ;;
  esac
}

mkdir -p results
for task in genre frames techniques spans narratives roles explanations claims; do
  for predictor in ${PREDICTORS:-majority random model}; do
    out="results/${task}-${predictor}-validation.json"
    echo "== ${task} / ${predictor}"
    if ! nice "$narrascope" evaluate --task "$task" --data "$data/$(dataset_of "$task")" \
        --split validation --predictor "$predictor" --results-out "$out"; then
      echo "   (no ${predictor} results for ${task}; an older ${out} is removed)"
      rm -f "$out"
    fi
  done
done
"$narrascope" report-results results -o docs/results.md --validation-data "$data"
