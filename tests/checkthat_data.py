"""A small CheckThat-like dataset written for the tests (sentences invented here, no corpus text):
train rows in three blocks of Sentence_ids (three 'debates'), plus dev and dev-test files."""

from __future__ import annotations

from pathlib import Path

CLAIMS = [
    "Unemployment fell to 4.1 percent last year.",
    "We cut the deficit by 300 billion dollars in 2010.",
    "Crime rose by 12 percent in the last five years.",
    "My opponent voted against the tax cut 14 times.",
    "The state lost 40,000 manufacturing jobs since 2008.",
    "Our exports doubled between 1992 and 2000.",
    "Health insurance premiums went up 25 percent last year.",
    "Forty-six million Americans have no health insurance.",
    "He raised taxes on the middle class in 1993.",
    "The budget for schools was cut by 8 percent.",
    "Gas prices have risen 60 cents a gallon since January.",
    "Nine million people lost their homes in the crisis.",
]
CHATTER = [
    "Thank you all for being here tonight.",
    "I believe in the American people.",
    "Let me tell you what I think about that.",
    "We are going to win this election together.",
    "That is a great question, Jim.",
    "I want to thank the moderator.",
    "America's best days are still ahead of us.",
    "We have to come together as a nation.",
    "I'm proud of what we have done.",
    "Well, let me say this to you.",
    "Our values are what make us strong.",
    "I look forward to working with all of you.",
]


def write_checkthat(root: Path) -> Path:
    """Train rows in three blocks of Sentence_ids (three 'debates'), plus dev and dev-test."""
    root.mkdir(parents=True)
    rows = ["Sentence_id\tText\tclass_label"]
    for block in range(3):
        for i in range(4):
            n = block * 4 + i
            rows.append(f"{block * 7000 + 100 + 2 * i}\t{CLAIMS[n]}\tYes")
            rows.append(f"{block * 7000 + 101 + 2 * i}\t{CHATTER[n]}\tNo")
    (root / "CT24_checkworthy_english_train.tsv").write_text("\n".join(rows) + "\n")
    held_out = {
        "dev": [
            ("The deficit doubled in 2009.", "Yes"), ("I thank my friends.", "No"), ("Wages fell 3 percent.", "Yes")
        ],
        "dev-test": [
            ("Prices rose 9 percent in 2022.", "Yes"), ("God bless America.", "No"), ("We will never give up.", "No")
        ],
    }
    for split, sentences in held_out.items():
        lines = ["Sentence_id\tText\tclass_label"] + [f"{40000 + i}\t{t}\t{y}" for i, (t, y) in enumerate(sentences)]
        (root / f"CT24_checkworthy_english_{split}.tsv").write_text("\n".join(lines) + "\n")
    return root
