#!/usr/bin/env bash
# Regenerate every results file in results/ and the docs built from them: the floors (majority,
# random) and the model, per task and language, on the fixed validation part of each training set
# (the shipped recipe refitted on the fit part), on the shift-aware cross-language folds (and, for
# SemEval-2025 narratives and roles, cross-source folds: each file-name prefix held out), and, for
# claims, on CheckThat's dev and later dev-test files and its cross-debate folds; an earlier
# recipe where a trainer keeps one (PREVIOUS_<TASK>=name, e.g. PREVIOUS_GENRE=1.3); then
# docs/results.md, docs/validation.md, the README summary and the shipped cards' shift-aware
# sections. A task whose model is not available keeps only its floor rows.
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

splits_of() {
  case "$1" in
    claims) echo "validation dev dev-test cross-debate" ;;
    explanations) echo "validation" ;;
    narratives|roles) echo "validation cross-language cross-source" ;;
    *) echo "validation cross-language" ;;
  esac
}

run() {  # task split predictor [recipe]
  local name="$3${4:+-$4}" recipe=()
  [ -n "${4:-}" ] && recipe=(--recipe "$4")
  local out="results/$1-${name}-$2.json"
  echo "== $1 / $2 / $3 ${4:-}"
  if ! nice "$narrascope" evaluate --task "$1" --data "$data/$(dataset_of "$1")" --split "$2" \
      --predictor "$3" "${recipe[@]}" --results-out "$out"; then
    echo "   (no results; an older ${out} is removed)"
    rm -f "$out"
  fi
}

mkdir -p results
for task in genre frames techniques spans narratives roles explanations claims; do
  previous_var="PREVIOUS_${task^^}"
  for split in $(splits_of "$task"); do
    for predictor in ${PREDICTORS:-majority random model}; do
      run "$task" "$split" "$predictor"
    done
    if [ -n "${!previous_var:-}" ]; then
      run "$task" "$split" model "${!previous_var}"
    fi
  done
done
"$narrascope" report-results results -o docs/results.md --validation-data "$data" --update-cards
