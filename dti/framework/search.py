"""Search an edition as people type: without diacritics ("an toan" finds "An toàn"), in main-index names too."""

from __future__ import annotations

import unicodedata

from dti.framework.model import Component, Framework, MainIndex


def fold(text: str) -> str:
    """Lower case without diacritics: 'An toàn thông tin mạng' → 'an toan thong tin mang' ('đ' → 'd')."""
    decomposed = unicodedata.normalize("NFD", text.casefold().replace("đ", "d"))
    return " ".join("".join(ch for ch in decomposed if not unicodedata.combining(ch)).split())


def _component_texts(comp: Component) -> tuple[str, ...]:
    return (comp.code, comp.name_vi, comp.name_en, comp.evidence_vi, comp.evidence_en, comp.data_source_vi,
            comp.data_source_en)


def search(fw: Framework, query: str) -> list[tuple[MainIndex, list[Component]]]:
    """Main indices with their matching components, in the edition's order (every one for an empty query).

    A main index whose code or name matches keeps all its components; otherwise only the components whose code,
    name, evidence or data source match. Every word of the query must appear (in any order).
    """
    words = fold(query).split()
    if not words:
        return [(m, list(m.components)) for m in fw.main_indices]

    def hit(texts) -> bool:
        folded = " ".join(fold(x) for x in texts if x)
        return all(w in folded for w in words)

    found = []
    for m in fw.main_indices:
        if hit((f"{m.code}.", m.name_vi, m.name_en)):
            found.append((m, list(m.components)))
            continue
        comps = [c for c in m.components if hit(_component_texts(c))]
        if comps:
            found.append((m, comps))
    return found
