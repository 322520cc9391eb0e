"""Building read schemas from rows without listing every column twice."""

from __future__ import annotations

from typing import Any, TypeVar

from pydantic import BaseModel, ConfigDict, Field, model_validator

M = TypeVar("M", bound=BaseModel)


def read_model(model: type[M], row: Any, **extra: Any) -> M:
    """``model`` filled from ``row``'s attributes of the same names, with ``extra`` for the rest."""
    values = {name: getattr(row, name) for name in model.model_fields if name not in extra}
    return model.model_validate(values | extra)


class Bilingual(BaseModel):
    """A text a person reads, in English and Korean; either may be empty while it awaits
    translation, not both."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    en: str = Field(default="", max_length=2000)
    ko: str = Field(default="", max_length=2000)

    @model_validator(mode="after")
    def _one_language_at_least(self) -> Bilingual:
        if not self.en and not self.ko:
            raise ValueError("give the text in English (en), Korean (ko) or both")
        return self

    def pick(self, lang: str) -> str:
        """The text in ``lang``, else in the other language."""
        return (self.ko or self.en) if lang == "ko" else (self.en or self.ko)


class OptionalBilingual(BaseModel):
    """A text in English and Korean where both may still be empty (a discussion not yet written)."""

    model_config = ConfigDict(extra="forbid", str_strip_whitespace=True)

    en: str = Field(default="", max_length=10_000)
    ko: str = Field(default="", max_length=10_000)
