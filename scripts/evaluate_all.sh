#!/usr/bin/env bash
# Regenerate every results file in results/ and the docs built from them: the floors (majority,
# random) and the model, per task and language, on the fixed validation part of each training set
# (the shipped recipe refitted on the fit part), on the shift-aware cross-language folds (and, for
# SemEval-2025 narratives and roles, cross-source folds: each file-name prefix held out), and, for
# claims, on CheckThat's dev and later dev-test files and its cross-debate folds; the earlier
# recipes the trainers keep for before/after rows (`earlier_recipes`; PREVIOUS_<TASK>="a b"
# overrides, PREVIOUS_<TASK>= skips them) and genre decided at each language's estimated mix
# (--label-shift) and at its true mix (--label-shift known); then docs/results.md,
# docs/validation.md, the README summary and the shipped cards' shift-aware sections. A task whose
# model is not available keeps only its floor rows.
# Usage: bash scripts/evaluate_all.sh [DATA_DIR]   (default: ../shared/data)
#        PREDICTORS="majority random" bash scripts/evaluate_all.sh   (floors only)
# Set NARRASCOPE_EMBEDDING_CACHE to an embeddings cache file and NARRASCOPE_TOKEN_STATES_CACHE to a
# folder to reuse embeddings and token states (the span head's) across runs.
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
    explanations) echo "validation cross-language cross-source" ;;
    narratives|roles) echo "validation cross-language cross-source" ;;
    *) echo "validation cross-language" ;;
  esac
}

earlier_recipes() {  # task: the earlier recipes its before/after rows score
  local override="PREVIOUS_${1^^}"
  if [ -n "${!override+set}" ]; then echo "${!override}"; return; fi
  case "$1" in
    genre) echo "holdout" ;;
    frames|techniques) echo "holdout cross-fitted" ;;
    claims) echo "1.0" ;;
    roles) echo "1.4 1.2" ;;  # 1.2: the recipe of the head shipped when issue 19 was filed
    narratives) echo "1.5" ;;  # not earlier: the recipe that may replace the shipped 1.4
  esac
}

run() {  # task split predictor [variant: an earlier recipe, or label-shift]
  local variant="${4:-}" extra=()
  case "$variant" in
    "") ;;
    label-shift) extra=(--label-shift) ;;
    known-mix) extra=(--label-shift known) ;;
    *) extra=(--recipe "$variant") ;;
  esac
  local out="results/$1-$3${variant:+-$variant}-$2.json"
  echo "== $1 / $2 / $3 $variant"
  if ! nice "$narrascope" evaluate --task "$1" --data "$data/$(dataset_of "$1")" --split "$2" \
      --predictor "$3" "${extra[@]}" --results-out "$out"; then
    echo "   (no results; an older ${out} is removed)"
    rm -f "$out"
  fi
}

mkdir -p results
predictors="${PREDICTORS:-majority random model}"
for task in genre frames techniques spans narratives roles explanations claims; do
  for split in $(splits_of "$task"); do
    for predictor in $predictors; do
      run "$task" "$split" "$predictor"
    done
    [[ " $predictors " == *" model "* ]] || continue
    for recipe in $(earlier_recipes "$task"); do
      run "$task" "$split" model "$recipe"
    done
    if [ "$task" = genre ]; then
      run "$task" "$split" model label-shift
      run "$task" "$split" model known-mix
    fi
  done
done
"$narrascope" report-results results -o docs/results.md --validation-data "$data" --update-cards
