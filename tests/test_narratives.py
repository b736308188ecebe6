"""Narratives and the explanation of the dominant one: obvious articles get their narrative,
label sets stay coherent with the taxonomy, and all evidence slices back to the article."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np
import pytest

from conftest import FIXTURES
from narrascope.components import create
from narrascope.components.narratives import Scores
from narrascope.core import read_document
from narrascope.ingest import RawDocument
from narrascope.model import Analysis, ExplanationResult, Language
from narrascope.taxonomy import narrative_of

ARTICLES = json.loads((FIXTURES / "narratives" / "articles.json").read_text())


def analyse(component, text: str, kind: str = "text") -> Analysis:
    return component(Analysis(document=read_document(RawDocument(source="<text>", content=text, kind=kind))))


@pytest.fixture(scope="module")
def narratives():
    return create("narratives")


@pytest.fixture(scope="module")
def west_aggressor(narratives):
    return analyse(narratives, ARTICLES["west_aggressor"])


def labels(analysis: Analysis) -> list[str]:
    return [n.label for n in analysis.results.narratives.narratives]


def test_the_west_as_aggressor_is_the_urw_blame_narrative(west_aggressor):
    assert "URW: Blaming the war on others rather than the invader" in labels(west_aggressor)


def test_a_short_pro_kremlin_article_gets_war_narratives_not_other(narratives):
    analysis = analyse(narratives, ARTICLES["pro_kremlin"])
    found = labels(analysis)
    assert "Other" not in found
    assert found and all(label.startswith("URW: ") for label in found)
    assert all(n.evidence for n in analysis.results.narratives.narratives)


def test_the_whole_article_counts_not_only_its_lead(narratives):
    neutral_lead = "City council meets on Tuesday\n\n" + "\n\n".join(
        ["The council will discuss the budget for parks and libraries."] * 3
    )
    found = labels(analyse(narratives, neutral_lead + "\n\n" + ARTICLES["pro_kremlin"]))
    assert any(label.startswith("URW: ") for label in found)


def test_climate_denial_downplays_climate_change_or_questions_science(narratives):
    found = labels(analyse(narratives, ARTICLES["climate_denial"]))
    assert {"CC: Downplaying climate change", "CC: Questioning the measurements and science"} & set(found)
    assert not any(label.startswith("URW") for label in found)


def test_subnarratives_are_consistent_with_narratives(west_aggressor):
    result = west_aggressor.results.narratives
    narratives = {n.label for n in result.narratives}
    for sub in result.subnarratives:
        assert sub.narrative == narrative_of(sub.label) and sub.narrative in narratives
    for narrative in narratives:
        assert any(narrative_of(s.label) == narrative for s in result.subnarratives)


def test_evidence_is_sentences_of_the_article(west_aggressor):
    document = west_aggressor.document
    sentences = {(s.start, s.end) for s in document.sentences}
    for label in west_aggressor.results.narratives.narratives + west_aggressor.results.narratives.subnarratives:
        assert label.evidence
        assert {(e.start, e.end) for e in label.evidence} <= sentences


def scores(narratives, presence: float = 1.0, **probabilities: float) -> Scores:
    """Head outputs with the named labels (narratives or subnarratives) set, the rest zero."""
    n_probs = np.zeros(len(narratives.narrative_labels))
    s_probs = np.zeros(len(narratives.subnarrative_labels))
    for label, p in probabilities.items():
        if label in narratives.narrative_labels:
            n_probs[narratives.narrative_labels.index(label)] = p
        else:
            s_probs[narratives.subnarrative_labels.index(label)] = p
    return Scores(narratives=n_probs, subnarratives=s_probs, presence=presence)


def test_labels_stay_coherent_with_the_taxonomy(narratives):
    sub = "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
    decision = narratives.decide(scores(narratives, **{
        sub: 0.99, "URW: Praise of Russia": 0.95, "CC: Amplifying Climate Fears": 0.9,
    }))
    assert set(decision.narratives) == {"URW: Discrediting Ukraine", "URW: Praise of Russia"}
    assert set(decision.subnarratives) == {sub, "URW: Praise of Russia: Other"}


def test_a_narrative_is_never_less_probable_than_the_subnarrative_it_is_shown_with(narratives):
    """A narrative below its cut keeps its likeliest subnarrative (above the floor): the
    narrative is then at least as probable as that subnarrative, as the taxonomy nests them."""
    child = "URW: Praise of Russia: Praise of Russian military might"
    floor_to_cut = (narratives.subnarrative_floor + narratives.subnarrative_thresholds[0]) / 2
    decision = narratives.decide(scores(narratives, **{"URW: Praise of Russia": floor_to_cut / 2, child: floor_to_cut}))
    assert decision.subnarratives == {child: pytest.approx(floor_to_cut)}
    assert decision.narratives == {"URW: Praise of Russia": pytest.approx(floor_to_cut)}


def test_an_article_below_the_presence_cut_is_other_however_its_labels_score(narratives):
    below = narratives.presence_cut - 0.05
    decision = narratives.decide(scores(narratives, presence=below, **{"URW: Praise of Russia": 0.99}))
    assert decision.narratives == decision.subnarratives == {"Other": pytest.approx(1 - below)}


def test_an_article_that_pushes_something_gets_its_likeliest_narrative_even_below_the_cut(narratives):
    weak = {"URW: Speculating war outcomes": 0.2, "URW: Praise of Russia": 0.02}
    decision = narratives.decide(scores(narratives, **weak))
    assert set(decision.narratives) == {"URW: Speculating war outcomes"}
    assert set(decision.subnarratives) == {"URW: Speculating war outcomes: Other"}


def test_each_narrative_is_shown_its_own_best_sentence(narratives):
    sample = (Path(__file__).parents[1] / "samples" / "opinion-column.html").read_text(encoding="utf-8")
    result = analyse(narratives, sample, kind="html").results.narratives
    for level in (result.narratives, result.subnarratives):
        firsts = [(label.evidence[0].start, label.evidence[0].end) for label in level if label.evidence]
        assert len(set(firsts)) == len(firsts)
    assert len(result.narratives) >= 2


def explain(analysis: Analysis) -> ExplanationResult:
    return create("explanation")(analysis).results.explanation


def assert_parts_quote_the_article(analysis: Analysis, explanation: ExplanationResult) -> None:
    """Every part backs its clause with a sentence of the article, quoted verbatim in the text."""
    sentences = {(s.start, s.end) for s in analysis.document.sentences}
    assert explanation.parts
    for part in explanation.parts:
        assert part.evidence and {(e.start, e.end) for e in part.evidence} <= sentences
        quoted = analysis.document.span_text(part.evidence[0])
        assert part.text in explanation.text and " ".join(quoted.split())[:80] in explanation.text


def test_explanation_names_the_dominant_narrative_once_and_quotes_its_evidence(west_aggressor):
    explanation = explain(west_aggressor)
    dominant = west_aggressor.results.narratives.narratives[0]
    assert explanation.narrative == dominant.label
    assert explanation.text.startswith("The article pushes the narrative “Blaming the war on others")
    assert explanation.text.count("The article pushes") == 1
    assert 1 <= len(explanation.parts) <= 2 and explanation.language == "en" and explanation.note is None
    assert_parts_quote_the_article(west_aggressor, explanation)


def test_explanation_is_worded_in_the_articles_language(narratives):
    analysis = analyse(narratives, ARTICLES["pro_kremlin_ru"])
    assert analysis.document.language.code == "ru"
    assert any(n.label.startswith("URW: ") for n in analysis.results.narratives.narratives)
    explanation = explain(analysis)
    assert explanation.text.startswith("Статья продвигает нарратив «") and explanation.language == "ru"
    assert_parts_quote_the_article(analysis, explanation)


def test_a_language_without_template_is_explained_in_english_with_a_note(west_aggressor):
    dutch = west_aggressor.document.model_copy(update={"language": Language(code="nl", confidence=0.9)})
    analysis = Analysis(document=dutch, results=west_aggressor.results.model_copy())
    explanation = explain(analysis)
    assert explanation.text.startswith("The article pushes the narrative")
    assert explanation.language == "en" and "'nl'" in explanation.note


def test_a_given_dominant_narrative_is_explained_with_its_own_evidence(west_aggressor):
    """SemEval-2025 subtask 3 gives the dominant narrative: it is explained even when it is not
    what the heads would pick, quoting the sentence that argues it most."""
    given = "URW: Discrediting Ukraine: Ukraine is a puppet of the West"
    explanation = create("explanation").explain(west_aggressor.document, narrative_of(given), given)
    assert (explanation.narrative, explanation.subnarrative) == ("URW: Discrediting Ukraine", given)
    assert explanation.text.startswith("The article pushes the narrative “Discrediting Ukraine” (Ukraine is a puppet")
    assert_parts_quote_the_article(west_aggressor, explanation)
    other = create("explanation").explain(west_aggressor.document, "Other")
    assert other.parts == [] and other.text == "The article pushes none of the known war or climate narratives."


def test_an_article_without_narratives_is_explained_in_one_plain_sentence(narratives):
    analysis = analyse(narratives, ARTICLES["courtesy"])
    assert labels(analysis) == ["Other"]
    explanation = explain(analysis)
    assert explanation.narrative == "Other" and explanation.parts == []
    assert explanation.text == "The article pushes none of the known war or climate narratives."


def test_candidates_are_likely_narratives_left_below_their_cut_with_evidence(narratives):
    for text in ARTICLES.values():
        result = analyse(narratives, text).results.narratives
        chosen = {n.label for n in result.narratives}
        assert len(result.candidates) <= 3
        assert [c.score for c in result.candidates] == sorted((c.score for c in result.candidates), reverse=True)
        for candidate in result.candidates:
            cut = narratives.narrative_thresholds[narratives.narrative_labels.index(candidate.label)]
            assert candidate.label not in chosen
            assert cut / 2 - 1e-4 <= candidate.score < cut
            assert candidate.evidence


def _labelled(count: int, part: str = "fit", word: str = "") -> list:
    """Small articles: every other one blames the West for the war, the rest report the weather
    (each ending with `word` when given)."""
    from narrascope.evaluate.datasets import Example

    narrative = "URW: Blaming the war on others rather than the invader"
    subnarrative = f"{narrative}: The West are the aggressors"
    examples = []
    for i in range(count):
        if i % 2:
            text = f"NATO and the West provoked this war, article {i} says. The West wanted Russia attacked."
            labels = ([narrative], [subnarrative])
        else:
            text = f"Rain is expected on Tuesday in the north, forecast {i} says. Winds will be light."
            labels = (["Other"], ["Other"])
        doc = read_document(RawDocument(source="<text>", content=f"{text} {word}".strip(), kind="text"))
        examples.append(Example(doc, f"EN_{part}_{i}.txt", "EN", "semeval2025-task10", part, narratives=labels[0],
                                subnarratives=labels[1]))
    return examples


def test_fit_picks_its_decision_rule_on_out_of_fold_scores_and_tells_the_west_blaming_articles():
    from narrascope.components.narratives import Narratives
    from narrascope.encoder import paragraph_embeddings
    from narrascope.train.narratives import GRID, fit

    arrays, card = fit(_labelled(12), recipe="1.5")["narratives"]
    assert card["version"] == "1.5"
    assert "out-of-fold" in card["thresholds"]["picked_on"] and card["cross_fitted"]["all"]["documents"] == 12
    assert all(card["thresholds"][name] in values for name, values in GRID.items())
    model = Narratives(arrays, card)
    doc = read_document(RawDocument(source="<text>", content="The West provoked the war, the article says.", kind="text"))
    scores = model.predict_proba(paragraph_embeddings(doc), doc.text)
    weather = read_document(RawDocument(source="<text>", content="Rain is expected on Friday in the south.", kind="text"))
    assert scores.presence > model.predict_proba(paragraph_embeddings(weather), weather.text).presence


def test_recipe_14_learns_from_the_fit_part_and_picks_its_rule_on_the_validation_part():
    from narrascope.train.narratives import GRID, RECIPES, fit

    assert RECIPES[0] == "1.4"  # the shipped recipe: what the shift-aware protocols refit
    examples = _labelled(12, "fit") + _labelled(8, "validation", word="zephyrine zephyrine")
    arrays, card = fit(examples)["narratives"]
    assert card["version"] == "1.4"
    assert "8 held-out documents" in card["thresholds"]["picked_on"] and card["cross_fitted"]["all"]["documents"] == 8
    assert all(card["thresholds"][name] in values for name, values in GRID.items())
    terms = set(arrays["ngram_terms"].tolist())
    assert "west" in terms and "zephyrine" not in terms  # the validation articles' own word was never learnt


def test_fit_refuses_an_unknown_recipe_and_too_few_articles():
    from narrascope.errors import DatasetError
    from narrascope.train.narratives import fit

    with pytest.raises(ValueError, match="recipe"):
        fit(_labelled(12), recipe="0.1")
    with pytest.raises(DatasetError):
        fit(_labelled(5))
    with pytest.raises(DatasetError, match="to pick the rule on"):
        fit(_labelled(12, "fit") + _labelled(2, "validation"))
