"""What the role heads read about a mention: its sentence, its name's prior, the language."""

from __future__ import annotations

import numpy as np
import pytest

from narrascope.components.entities import (
    FINE_ROLE_LABELS, ROLE_FEATURES, ROLE_LANGUAGES, Entities, NamePrior, fine_probabilities, in_context_vectors, role_features,
)
from narrascope.core import read_document
from narrascope.encoder import DIM, get_encoder, token_states
from narrascope.evaluate.datasets import Example, GoldMention
from narrascope.ingest import RawDocument
from narrascope.errors import DatasetError
from narrascope.model import Analysis, Language, Span
from narrascope.linear import LinearHead
from narrascope.taxonomy import FINE_ROLES, MAIN_ROLES
from narrascope.train.roles import FINE_CUTS, _fold, _rows, fit

ANTAGONIST, INNOCENT = MAIN_ROLES.index("Antagonist"), MAIN_ROLES.index("Innocent")
TEXT = (
    "Kremlin officials praised the deal. Later the Kremlin said the talks would go on.\n\n"
    "Civilians in Kharkiv fled the shelling."
)


def document(text: str = TEXT, language: str = "en"):
    doc = read_document(RawDocument(source="<text>", content=text, kind="text"))
    return doc.model_copy(update={"language": Language(code=language, confidence=1.0)})


def spans_of(doc, *names: str) -> list[Span]:
    spans = []
    for name in names:
        start = doc.text.index(name, spans[-1].end if spans else 0)
        spans.append(Span(start=start, end=start + len(name)))
    return spans


def test_a_name_annotated_as_antagonist_leans_antagonist_and_an_unknown_name_reads_the_base_rate():
    names = ["NATO"] * 8 + ["civilians"] * 3 + ["Kyiv"]
    prior = NamePrior.learn(names, ["Antagonist"] * 8 + ["Innocent"] * 3 + ["Protagonist"])
    nato, civilians, unknown = prior.features(["NATO", "Civilians", "Atlantis"])
    assert nato[ANTAGONIST] > 0.75 and civilians[INNOCENT] > 0.5
    np.testing.assert_allclose(unknown[:3], prior.base)
    assert unknown[3] == 0 < civilians[3] < nato[3]
    np.testing.assert_allclose(nato[:3].sum(), 1.0, rtol=1e-5)


def test_inflected_forms_of_a_name_share_its_prior():
    prior = NamePrior.learn(["Украина", "Украины"], ["Innocent", "Innocent"])
    assert prior.features(["Украине"])[0, 3] == pytest.approx(np.log1p(2))


def test_the_prior_survives_the_artifact_round_trip():
    prior = NamePrior.learn(["NATO", "NATO", "Zelensky"], ["Antagonist", "Protagonist", "Protagonist"])
    again = NamePrior.from_arrays(prior.arrays())
    names = ["NATO", "Zelensky", "nobody"]
    np.testing.assert_allclose(again.features(names), prior.features(names))


def test_each_mention_reads_its_own_sentence_even_within_a_shared_paragraph():
    doc = document()
    prior = NamePrior.learn(["Kremlin"], ["Antagonist"])
    features = role_features(doc, spans_of(doc, "Kremlin", "Kremlin", "Kharkiv"), prior)
    assert features.shape == (3, ROLE_FEATURES)
    sentences = get_encoder().encode([doc.text[s.start : s.end] for s in doc.sentences])
    assert len(sentences) == 3
    np.testing.assert_allclose(features[:, :DIM], sentences, atol=1e-6)
    assert role_features(doc, [], prior).shape == (0, ROLE_FEATURES)


def test_the_document_language_is_read_and_an_unannotated_language_reads_as_none():
    prior = NamePrior.learn([], [])
    for code in ("pt", "de"):
        doc = document(language=code)
        language = role_features(doc, spans_of(doc, "Kharkiv"), prior)[0, -len(ROLE_LANGUAGES) :]
        assert language.tolist() == [float(code == known) for known in ROLE_LANGUAGES]


def test_training_rows_read_a_prior_that_has_not_seen_their_own_article():
    doc = document()
    kharkiv = spans_of(doc, "Kharkiv")[0]
    mention = GoldMention(kharkiv.start, kharkiv.end, "Kharkiv", "Innocent", ["Victim"])
    # two articles naming Kharkiv: one in a different prior fold from the first, one in the same
    first = Example(doc, "a.txt", "EN", "semeval2025-task10", "fit", mentions=[mention])
    names = (f"{i}.txt" for i in range(100))
    other_fold = next(n for n in names if _fold(Example(doc, n, "EN", "", "fit")) != _fold(first))
    second = Example(doc, other_fold, "EN", "semeval2025-task10", "fit", mentions=[mention])
    features, main, _, owners = _rows([first, second])
    log_count = features[:, -1]  # the prior's log count ends the row: no language one-hot by default
    assert main == ["Innocent", "Innocent"] and [example for example, _ in owners] == [first, second]
    assert log_count.tolist() == pytest.approx([np.log1p(1)] * 2)  # each sees only the other article


def _casting_examples() -> list[Example]:
    """Nine small articles, a third each casting NATO as antagonist, Zelensky as protagonist,
    Kharkiv's people as victims."""
    examples = []
    for i in range(9):
        if i % 3 == 1:
            text = f"NATO provoked the war again, report {i} says. NATO wants more weapons."
            roles = ("Antagonist", ["Instigator"])
        elif i % 3 == 2:
            text = f"Zelensky defended the city bravely, report {i} says. Zelensky stayed."
            roles = ("Protagonist", ["Guardian"])
        else:
            text = f"Civilians in Kharkiv suffered under shelling, report {i} says. Civilians fled."
            roles = ("Innocent", ["Victim"])
        doc = document(text)
        name = text.split()[0]
        mentions = [GoldMention(s.start, s.end, name, *roles) for s in spans_of(doc, name, name)]
        examples.append(Example(doc, f"EN_{i}.txt", "EN", "semeval2025-task10", "fit" if i < 6 else "validation", mentions=mentions))
    return examples


def test_fit_learns_the_casting_and_picks_its_cut_out_of_fold():
    arrays, card = fit(_casting_examples())["roles"]
    assert card["fine_threshold"] in FINE_CUTS and "out-of-fold" in card["fine_threshold_picked_on"]
    assert card["cross_fitted"]["all"]["mentions"] == 18
    model = Entities(arrays, card)
    doc = document("NATO provoked a new crisis, the minister said.")
    (mention,) = model.predict_roles(Analysis(document=doc), spans_of(doc, "NATO"))
    assert mention.main_role == "Antagonist"


def test_fit_refuses_an_unknown_recipe_and_too_few_annotated_articles():
    with pytest.raises(ValueError, match="recipe"):
        fit(_casting_examples(), recipe="0.9")
    with pytest.raises(DatasetError):
        fit(_casting_examples()[:3])


# The same neutral sentence about Russia, opening two articles on opposite sides of the war.
NEUTRAL_OPENING = "Russia sent a delegation to the talks in Istanbul on Tuesday."
PRO_KREMLIN_BODY = (
    "Russia stands alone against the Western war machine. The Kremlin has shown the world that it defends "
    "its people in Donbass, while NATO pours weapons into Kyiv to prolong the bloodshed. Sanctions have only "
    "made Russia stronger and Europe poorer."
)
PRO_UKRAINE_BODY = (
    "Russian missiles struck a maternity hospital in Kharkiv overnight, killing eleven civilians. Russia's "
    "invasion has destroyed whole towns, and Ukrainian families fled the shelling as Moscow's troops looted "
    "their homes."
)


def test_the_shipped_model_reads_russia_as_more_of_a_protagonist_in_a_pro_kremlin_column():
    """The article's side moves the role of the same mention in the same sentence: a reader of
    a pro-Kremlin column sees Russia's protagonist score clearly above the one it gets in a
    report on Russian shelling. (The main role does not flip on these short texts: the training
    press casts Russia as antagonist in most articles of either side.)"""
    from narrascope.components.entities import create_entities

    model = create_entities()
    assert model.stance is not None and "URW: Praise of Russia" in model.stance.labels
    protagonist = {}
    for side, body in (("pro-Kremlin", PRO_KREMLIN_BODY), ("pro-Ukraine", PRO_UKRAINE_BODY)):
        doc = document(f"{NEUTRAL_OPENING}\n\n{body}")
        (mention,) = model.predict_roles(Analysis(document=doc), spans_of(doc, "Russia"))
        protagonist[side] = mention.main_role_scores["Protagonist"]
    assert protagonist["pro-Kremlin"] >= protagonist["pro-Ukraine"] + 0.05


def test_the_stance_head_survives_the_artifact_round_trip_and_widens_the_features():
    from narrascope.components.entities import DocumentStance
    from narrascope.linear import LinearHead

    stance = DocumentStance(LinearHead(np.ones((2, 2 * DIM), np.float32), np.zeros(2, np.float32)), ("URW: Praise of Russia", "Other"))
    again = DocumentStance.from_arrays(stance.arrays())
    doc = document()
    assert again.labels == stance.labels
    assert again.probabilities(doc) == pytest.approx(stance.probabilities(doc))
    assert DocumentStance.from_arrays({}) is None  # a 1.2 artifact reads no stance
    prior = NamePrior.learn(["Kremlin"], ["Antagonist"])
    wide = role_features(doc, spans_of(doc, "Kremlin"), prior, np.array([1.0, 0.0]))
    assert wide.shape == (1, ROLE_FEATURES + 2 * (1 + len(MAIN_ROLES)))
    # the prior's antagonist share crossed with "Praise of Russia" is its own feature
    assert wide[0, 4 * DIM + 2 + ANTAGONIST * 2] == pytest.approx(prior.features(["Kremlin"])[0, ANTAGONIST])


def test_recipe_1_4_on_learns_a_stance_head_from_the_narrative_annotations_and_1_2_does_not():
    examples = _casting_examples()
    for i, example in enumerate(examples):
        example.narratives = ["URW: Praise of Russia"] if i % 3 == 1 else ["Other"]
    arrays, card = fit(examples, recipe="1.4")["roles"]
    assert card["recipe"] == "1.4" and card["stance"]["narratives"] == 2
    assert arrays["stance_labels"].tolist() == ["Other", "URW: Praise of Russia"]
    assert arrays["main_coef"].shape[1] == ROLE_FEATURES + 2 * (1 + len(MAIN_ROLES)) + DIM
    arrays, card = fit(examples, recipe="1.2")["roles"]
    assert card["stance"] is None and "stance_coef" not in arrays
    assert arrays["main_coef"].shape[1] == ROLE_FEATURES


def test_a_name_read_in_context_differs_by_what_its_sentence_does_with_it():
    """Recipe 1.4's in-context vector: the same name in two sentences reads two ways, while its
    text vector is one; a span no encoder piece reaches reads as zeros."""
    doc = document("Kremlin officials praised the deal. Later the Kremlin shelled the city again.")
    first, second = spans_of(doc, "Kremlin", "Kremlin")
    rows = in_context_vectors(token_states(doc), [first, second, Span(start=len(doc.text), end=len(doc.text))])
    assert np.linalg.norm(rows[:2], axis=1) == pytest.approx([1.0, 1.0], abs=1e-5)
    assert float(rows[0] @ rows[1]) < 0.99
    assert not rows[2].any()
    prior = NamePrior.learn([], [])
    wide = role_features(doc, [first, second], prior, in_context=True)
    assert wide.shape == (2, ROLE_FEATURES + DIM)
    np.testing.assert_allclose(wide[:, ROLE_FEATURES:], rows[:2], atol=1e-6)
    np.testing.assert_array_equal(wide[0, DIM : 2 * DIM], wide[1, DIM : 2 * DIM])  # the text's own vector


def test_fine_roles_within_a_main_role_share_its_probability():
    head = LinearHead(np.random.default_rng(0).normal(size=(len(FINE_ROLE_LABELS), 4)).astype(np.float32),
                      np.zeros(len(FINE_ROLE_LABELS), np.float32))
    features = np.random.default_rng(1).normal(size=(3, 4)).astype(np.float32)
    within = fine_probabilities(head, features, within_main_role=True)
    for roles in FINE_ROLES.values():
        columns = [FINE_ROLE_LABELS.index(role) for role in roles]
        np.testing.assert_allclose(within[:, columns].sum(axis=1), 1.0, rtol=1e-5)
    np.testing.assert_allclose(fine_probabilities(head, features, within_main_role=False), head.sigmoid(features))


def test_recipe_1_4_reads_mentions_in_context_and_picks_fine_roles_within_the_main_role():
    examples = _casting_examples()
    arrays, card = fit(examples, recipe="1.4")["roles"]
    assert card["recipe"] == "1.4" and card["in_context_mentions"] and card["fine_head"] == "softmax within each main role"
    assert card["language_one_hot"] == list(ROLE_LANGUAGES)
    assert arrays["main_coef"].shape[1] == arrays["fine_coef"].shape[1] == ROLE_FEATURES + DIM
    # each main role was annotated with one fine role only: that one is always given
    for role in ("Instigator", "Guardian", "Victim"):
        assert arrays["fine_intercept"][FINE_ROLE_LABELS.index(role)] == 0.0
    assert arrays["fine_intercept"][FINE_ROLE_LABELS.index("Tyrant")] < -5
    model = Entities(arrays, card)
    doc = document("Civilians in Kharkiv suffered again, the mayor said.")
    (mention,) = model.predict_roles(Analysis(document=doc), spans_of(doc, "Civilians"))
    assert mention.main_role == "Innocent" and [r.label for r in mention.fine_roles] == ["Victim"]
    assert mention.fine_roles[0].score == pytest.approx(1.0, abs=1e-3)


def test_the_within_main_role_head_separates_two_and_three_fine_roles():
    """Two fine roles seen (scikit-learn's single log-odds column) and three (a full softmax)
    are both stored so that `fine_probabilities` picks the right one."""
    from narrascope.train.roles import _fit_within_main_roles

    rng = np.random.default_rng(0)
    kinds = [("Antagonist", "Instigator"), ("Antagonist", "Tyrant"),
             ("Protagonist", "Guardian"), ("Protagonist", "Martyr"), ("Protagonist", "Peacemaker")]
    x, main, fine = [], [], []
    for k, (role, label) in enumerate(kinds):
        for _ in range(20):
            row = rng.normal(scale=0.1, size=len(kinds))
            row[k] += 3.0
            x.append(row)
            main.append(role)
            fine.append([label == name for name in FINE_ROLE_LABELS])
    x = np.array(x, dtype=np.float32)
    head = _fit_within_main_roles(x, main, np.array(fine, dtype=np.int8), seed=13)
    probabilities = fine_probabilities(head, x, within_main_role=True)
    for role, label in kinds:
        rows = [i for i, (m, f) in enumerate(zip(main, fine)) if m == role and f[FINE_ROLE_LABELS.index(label)]]
        allowed = [FINE_ROLE_LABELS.index(name) for name in FINE_ROLES[role]]
        picked = {allowed[int(np.argmax(probabilities[i, allowed]))] for i in rows}
        assert picked == {FINE_ROLE_LABELS.index(label)}


def test_recipe_1_5_casts_a_mention_the_same_whatever_language_the_article_is_tagged():
    """The language one-hot is fitted with and served without: what the heads learnt of a
    language's few sources is not carried to its other sources (or to a mis-tagged article)."""
    examples = _casting_examples()
    for example in examples[::2]:
        example.language = "PT"
    arrays, card = fit(examples)["roles"]
    assert card["recipe"] == "1.5" and card["language_one_hot"] == [] and "language one-hot" not in card["features"]
    assert card["language_absorbed"]["languages"] == ["EN", "PT"]
    assert arrays["main_coef"].shape[1] == ROLE_FEATURES - len(ROLE_LANGUAGES) + DIM
    model = Entities(arrays, card)
    text = "Civilians in Kharkiv suffered again, the mayor said."
    cast = {}
    for code in ("en", "pt", "de"):
        doc = document(text, language=code)
        (mention,) = model.predict_roles(Analysis(document=doc), spans_of(doc, "Civilians"))
        cast[code] = (mention.main_role, mention.main_role_scores, [r.label for r in mention.fine_roles])
    assert cast["en"][0] == "Innocent"
    assert cast["en"] == cast["pt"] == cast["de"]
    # an artifact of 1.4 (no `language_one_hot` in its card) still reads the one-hot it learnt with
    arrays, card = fit(_casting_examples(), recipe="1.4")["roles"]
    del card["language_one_hot"]
    assert Entities(arrays, card).one_hot_languages == ROLE_LANGUAGES
