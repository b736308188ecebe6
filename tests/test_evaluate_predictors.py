"""The floors' documented rules on hand-made training examples."""

from __future__ import annotations

from collections import Counter

from narrascope.evaluate.datasets import Example, GoldMention
from narrascope.evaluate.predictors import MajorityPredictor, RandomPredictor
from narrascope.evaluate.tasks import TASKS
from narrascope.model import Document, Language, Paragraph


def example(doc_id: str, **gold) -> Example:
    text = "First line\n\nSecond line"
    document = Document(
        id=Document.content_id(text),
        source=doc_id,
        language=Language(code="en", confidence=1.0),
        text=text,
        paragraphs=[Paragraph(start=0, end=10), Paragraph(start=12, end=23)],
    )
    return Example(document=document, document_id=doc_id, language="en", dataset="test", part="fit",
                   line_of_paragraph=[1, 3], **gold)


def test_majority_multi_label_takes_labels_over_half_or_the_most_frequent():
    frequent = [example(str(i), frames=["Economic", "Political"] if i < 3 else ["Economic"]) for i in range(4)]
    predicted = MajorityPredictor(TASKS["frames"], frequent).predict([example("new")]).records
    assert predicted == {"new": ["Economic", "Political"]}  # 4/4 and 3/4
    rare = [example("1", frames=["Morality"]), example("2", frames=["Morality"]), example("3", frames=["Economic"]),
            example("4", frames=[]), example("5", frames=[])]
    predicted = MajorityPredictor(TASKS["frames"], rare).predict([example("new")]).records
    assert predicted == {"new": ["Morality"]}  # 2/5 is no majority: the most frequent alone


def test_majority_techniques_per_paragraph_and_spans_over_paragraphs():
    fit = [example("1", paragraph_techniques={0: ["Doubt"], 1: ["Doubt", "Slogans"]})]
    techniques = MajorityPredictor(TASKS["techniques"], fit).predict([example("x")]).records
    assert techniques == {("x", 1): ["Doubt"], ("x", 3): ["Doubt"]}  # Slogans in 1/2: not over half
    spans = MajorityPredictor(TASKS["spans"], fit).predict([example("x")]).records
    assert spans == {"x": [("Doubt", 0, 10), ("Doubt", 12, 23)]}


def test_majority_roles_use_the_main_roles_fine_roles():
    mentions = [
        GoldMention(0, 5, "First", "Antagonist", ["Tyrant"]),
        GoldMention(6, 10, "line", "Antagonist", ["Tyrant", "Spy"]),
        GoldMention(12, 18, "Second", "Innocent", ["Victim"]),
    ]
    fit = [example("1", mentions=mentions)]
    target = example("x", mentions=[GoldMention(0, 5, "First", None, [], (0, 4))])
    assert MajorityPredictor(TASKS["roles"], fit).predict([target]).records == {("x", 0, 4): ("First", "Antagonist", ["Tyrant"])}


def test_random_follows_training_frequencies_with_a_fixed_seed():
    fit = [example(str(i), genre="opinion" if i < 8 else "satire") for i in range(10)]
    targets = [example(f"t{i}") for i in range(500)]
    first = RandomPredictor(TASKS["genre"], fit, "en").predict(targets).records
    again = RandomPredictor(TASKS["genre"], fit, "en").predict(targets).records
    assert first == again
    share = Counter(first.values())["opinion"] / len(first)
    assert 0.7 < share < 0.9
