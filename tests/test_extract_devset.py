"""The extraction development set's metric (trafilatura's on its corpus) and the bound of a
perfect choice among extractors, on pages written here."""

from __future__ import annotations

from narrascope.extract.devset import Output, Page, best_choice, score

PAGES = [
    Page(id="a", url="https://example.org/a", html="", body=("The council voted", "the wall will cost more"),
         furniture=("Share on Facebook", "Read more"), title="Harbour wall approved", author="Jane Doe and John Roe",
         date="2024-03-03"),
    Page(id="b", url="https://example.org/b", html="", body=("Storm reached the coast",), furniture=("Newsletter",),
         title="Storm", author="Max Mustermann", date="2024-03-04"),
]
CAREFUL = {
    "a": Output(text="The council voted on Friday.\nBut the wall will cost more.", title="harbour  wall approved",
                authors=["jane doe"], date="2024-03-03T10:00"),
    "b": Output(text="Newsletter\nStorm reached the coast", title="Storm", authors=[], date="2024-03-05"),
}
GREEDY = {
    "a": Output(text="Share on Facebook\nThe council voted\nRead more", authors=["John Roe"]),
    "b": Output(text="Storm reached the coast\nNewsletter", authors=["Max Mustermann"], date="2024-03-04"),
}


def test_score_counts_chunks_over_pages_and_metadata_per_page():
    scores = score(PAGES, CAREFUL)
    assert (scores["body_precision"], scores["body_recall"]) == (0.75, 1.0)  # "Newsletter" leaked on b
    assert (scores["title"], scores["author"], scores["date"]) == (1.0, 0.5, 0.5)


def test_a_missing_page_scores_nothing_found_and_nothing_leaked():
    scores = score(PAGES, {"a": CAREFUL["a"]})
    assert (scores["body_precision"], scores["body_recall"]) == (1.0, round(2 / 3, 4))


def test_the_best_choice_takes_any_right_answer_and_leaks_only_what_all_leak():
    bound = best_choice(PAGES, [CAREFUL, GREEDY])
    assert (bound["body_precision"], bound["body_recall"]) == (0.75, 1.0)  # both leaked "Newsletter" on b
    assert (bound["title"], bound["author"], bound["date"]) == (1.0, 1.0, 1.0)
    assert best_choice(PAGES, [GREEDY]) == score(PAGES, GREEDY)
