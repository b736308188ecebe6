"""The document filters every listing shares (`narrascope query`, the library, the API, trends),
read from query parameters. Blank form fields mean "any", so one GET form serves every filter."""

from __future__ import annotations

from datetime import date
from typing import Annotated, Literal

from fastapi import HTTPException, Query

from ..errors import InputError
from ..store import Filters



def document_filters(
    site: Annotated[str | None, Query(description="site (host name), exact")] = None,
    language: Annotated[str | None, Query(description="ISO 639-1 code, e.g. en")] = None,
    since: Annotated[str | None, Query(description="published on or after this date, YYYY-MM-DD")] = None,
    until: Annotated[str | None, Query(description="published on or before this date, YYYY-MM-DD")] = None,
    undated: Annotated[
        Literal["include", "only"] | None,
        Query(description="documents without a publication date: 'include' keeps them despite since/until "
              "(left out by default), 'only' lists nothing else"),
    ] = None,
    label: Annotated[
        str | None,
        Query(
            description="a label as shown ('Loaded Language', 'Security and defense', 'URW: Discrediting "
            "Ukraine'; any case, family prefix optional), its id (Loaded_Language) or an unambiguous prefix; "
            "an unknown label is a 422 naming the closest labels"
        ),
    ] = None,
    min_score: Annotated[str | None, Query(description="with label: its score at least this (0-1)")] = None,
    text: Annotated[str | None, Query(description="case-insensitive substring of title or text")] = None,
) -> Filters:
    """A `Filters` from query parameters; 422 naming the parameter when one does not parse."""
    return Filters(
        site=_blank_to_none(site),
        language=_blank_to_none(language),
        since=_date("since", since),
        until=_date("until", until),
        undated=undated,
        label=_blank_to_none(label),
        min_score=_score(min_score),
        text=_blank_to_none(text),
    )


def trend_genre_mix(spec: str | None, by: str) -> dict[str, float] | None:
    """A trends request's genre mix (blank: genres as stored); InputError names what is wrong."""
    if spec is None or not spec.strip():
        return None
    if by != "genre":
        raise InputError(f"genre_mix re-decides genres: use it with by=genre, not by={by}")
    from ..components.genre import parse_genre_mix

    return parse_genre_mix(spec)


def as_query(filters: Filters) -> dict[str, str]:
    """The filters as query parameters (for pagination and export links), blanks left out."""
    return {name: str(value) for name, value in vars(filters).items() if value not in (None, "")}


def _blank_to_none(value: str | None) -> str | None:
    return value.strip() or None if value is not None else None


def _date(name: str, value: str | None) -> date | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise HTTPException(422, f"{name}: {value!r} is not a date (expected YYYY-MM-DD)") from None


def _score(value: str | None) -> float | None:
    value = _blank_to_none(value)
    if value is None:
        return None
    try:
        score = float(value)
    except ValueError:
        raise HTTPException(422, f"min_score: {value!r} is not a number") from None
    if not 0.0 <= score <= 1.0:
        raise HTTPException(422, f"min_score: {value} is outside 0-1")
    return score
