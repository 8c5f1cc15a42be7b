"""Read the scoring-method text of an appendix ("Cách xác định và tính điểm") into a typed rule.

Appendices write their methods in a handful of idioms: a ratio ("a = …; b = …; Tỷ lệ = a/b; Điểm = Tỷ lệ*Điểm
tối đa"), labelled levels ("là Bí thư/Chủ tịch: Điểm tối đa; là Phó …: 1/2*Điểm tối đa; …: 0"), counts in steps
("4 lần/năm: 20; 3 lần: 15; …; còn lại: 0"), parts that add up ("Tham gia đầy đủ …: 1/2*Điểm tối đa; Chủ trì …:
1/2*Điểm tối đa"), yes/no, thresholds on a percentage ("≥ 90%: Điểm tối đa; từ 70% đến dưới 90%: …") and
components the Ministry measures itself. ``read_method`` turns such a text into one of the rule types the engine
already has (a threshold on a percentage is a stepped rule whose unit is %), and says how sure it is. A text that
is not read with confidence gets no rule but a reason, in Vietnamese and English: it goes to the coordinator's
review, never to a made-up scale.

The text is matched on a folded copy (lowercase, no diacritics, same length), so labels are cut from the original
with their diacritics intact.
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass, field
from typing import Literal

Confidence = Literal["high", "low", "none"]
# What the text was read as; 'thresholds' is a stepped rule on a percentage, 'ministry' a component the Ministry
# measures (the province can only estimate its points).
Kind = Literal["ratio", "levels", "stepped", "thresholds", "parts", "yes_no", "ministry", "not_scored", "unread"]


@dataclass(frozen=True)
class MethodReading:
    """The rule read from one scoring text, or why none was read."""

    kind: Kind
    rule: dict | None
    confidence: Confidence
    reason_vi: str = ""
    reason_en: str = ""
    measured_by: Literal["province", "ministry"] = "province"
    notes: tuple[str, ...] = field(default_factory=tuple)

    @property
    def confident(self) -> bool:
        return self.confidence == "high" and self.rule is not None


def _unread(reason_en: str, reason_vi: str, measured_by: str = "province") -> MethodReading:
    return MethodReading("unread", None, "none", reason_vi, reason_en, measured_by)


# --- normalising --------------------------------------------------------------------------------------------

_SAME_LENGTH = {"×": "*", "✕": "*", "·": "*", "–": "-", "—": "-", "≥": "≥", "＝": "=", "：": ":", "\u00a0": " ",
                "“": '"', "”": '"', "’": "'", "‘": "'"}
_VULGAR = {"½": "1/2", "⅓": "1/3", "⅔": "2/3", "¼": "1/4", "¾": "3/4", "⅕": "1/5", "⅖": "2/5", "⅗": "3/5",
           "⅘": "4/5"}


def _clean(text: str) -> str:
    """NFC, one kind of multiplication sign and dash, vulgar fractions written out, bullets as clause breaks."""
    text = unicodedata.normalize("NFC", text or "")
    for src, dst in _VULGAR.items():
        text = text.replace(src, dst)
    text = "".join(_SAME_LENGTH.get(ch, ch) for ch in text)
    text = text.replace(">=", "≥").replace("<=", "≤")
    # A bullet at the start of a line (-, +, •, *, a), 1.) is a clause break, as is the line break itself.
    text = re.sub(r"(?m)^\s*(?:[-+•●▪◦*]|[a-zđ]\)|\d+[.)](?!\d))\s+", "\n", text)
    return text


def _fold(text: str) -> str:
    """Lowercase without diacritics, one character for one: indices in the folded text are indices in the text."""
    out = []
    for ch in text:
        base = unicodedata.normalize("NFD", ch)[0]
        base = "d" if base in "đĐ" else base.lower()
        out.append(base if len(base) == 1 else ch)
    return "".join(out)


# --- values: '1/2*Điểm tối đa', '50% điểm tối đa', '15', '7,5 điểm', '0' -------------------------------------

_COEF = r"(\d+(?:[.,]\d+)?\s*/\s*\d+|\d+(?:[.,]\d+)?\s*%|\d+(?:[.,]\d+)?)"
_TOP = r"(?:so\s+)?(?:diem\s+toi\s+da|toi\s+da|max(?:imum)?(?:\s+points)?|full\s+points)"
_VALUE_PATTERNS = [
    (re.compile(rf"^{_TOP}$"), lambda m, top: 1.0),
    (re.compile(rf"^{_COEF}\s*(?:\*|x|nhan(?:\s+voi)?)?\s*(?:cua\s+)?{_TOP}$"), lambda m, top: _coef(m.group(1))),
    (re.compile(rf"^{_TOP}\s*(?:\*|x|nhan(?:\s+voi)?)\s*{_COEF}$"), lambda m, top: _coef(m.group(1))),
    (re.compile(r"^(?:toi\s+da\s+)?(\d+(?:[.,]\d+)?)\s*(?:diem|d|points?|pts?)?$"),
     lambda m, top: _num(m.group(1)) / top),
    (re.compile(r"^(\d+(?:[.,]\d+)?\s*%)\s*(?:(?:so\s+)?diem|points?)$"), lambda m, top: _coef(m.group(1))),
    (re.compile(r"^(?:khong|0)\s+diem$"), lambda m, top: 0.0),
]


def _num(text: str) -> float:
    return float(text.replace(",", ".").replace(" ", ""))


def _coef(text: str) -> float:
    text = text.replace(" ", "")
    if text.endswith("%"):
        return _num(text[:-1]) / 100
    if "/" in text:
        num, den = text.split("/")
        return _num(num) / _num(den)
    return _num(text)


def value_share(folded_value: str, max_points: float) -> float | None:
    """Share of the maximum that a value such as '1/2*diem toi da' or '15 diem' gives; None if not a value."""
    value = re.sub(r"\([^)]*\)", " ", folded_value)  # '0 (for that half)': a remark, not the value
    value = re.sub(r"^\s*(?:=|duoc|dat|cham|cho|tinh)\s*", "", value)
    value = " ".join(value.strip(" .;,").split())
    if value.startswith("diem ") and not value.startswith("diem toi da"):
        value = value[5:]  # 'Điểm 10'
    for pattern, share in _VALUE_PATTERNS:
        m = pattern.match(value)
        if m:
            if max_points <= 0:
                return None
            result = share(m, max_points)
            return result if 0 <= result <= 1 + 1e-9 else None
    return None


# --- clauses: 'label: value' ----------------------------------------------------------------------------------


@dataclass(frozen=True)
class Clause:
    label: str  # original text, diacritics kept
    folded: str  # the label folded
    share: float


def _split_clauses(text: str) -> list[str]:
    """Clauses separated by ';', line breaks, or a comma/full stop right after a value ('…: 10 điểm, …')."""
    folded = _fold(text)
    cuts = [0]
    for m in re.finditer(r"[;\n]|(?<=\d|a|m)\s*[,.](?=\s+\S)", folded):
        # a comma or full stop ends a clause only when what precedes it is a value (number, 'điểm', 'tối đa')
        if m.group(0).strip() in (";", ""):
            cuts.extend([m.start(), m.end()])
            continue
        before = folded[:m.start()].rstrip()
        if re.search(r"(?:[:=]\s*[^:=;]{0,40}(?:\d|diem|toi da)|\d\s*(?:diem|points?))$", before):
            cuts.extend([m.start(), m.end()])
    cuts.append(len(text))
    parts = [text[cuts[i]:cuts[i + 1]] for i in range(0, len(cuts) - 1, 2)]
    return [" ".join(p.split()).strip(" ;,.") for p in parts if p.strip(" ;,.\n")]


def _clause(raw: str, max_points: float) -> Clause | None:
    """'Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa' → label and share; None when it is not 'label: value'."""
    folded = _fold(raw)
    for m in reversed(list(re.finditer(r"[:=]", folded))):
        share = value_share(folded[m.end():], max_points)
        if share is not None:
            # 'Đánh giá theo mức độ: Tốt: 10': the introduction before the label is not part of it
            label = re.split(r"[:=]", raw[:m.start()])[-1].strip(" -:=")
            if label:
                return Clause(label, _fold(label), share)
    # 'Có văn bản được 10 điểm', 'dưới 70% thì 0 điểm', 'có 5 điểm': the value after a verb, or bare, no colon
    if re.search(r"[:=]", folded):
        return None  # 'label: value' whose value is not read: not a clause we can trust
    m = re.search(r"\s(?:thi|duoc|dat|cham|→|->)\s+(.+)$", folded) or \
        re.search(r"\s(\d+(?:[.,]\d+)?\s*(?:diem|points?))$", folded)
    if m:
        share = value_share(m.group(1), max_points)
        if share is not None:
            label = raw[:m.start()].strip(" -:=")
            if label:
                return Clause(label, _fold(label), share)
    return None


# --- the idioms ---------------------------------------------------------------------------------------------

# The Ministry measures it: 'đo lường tự động', 'không tự đánh giá', or a named ministry that measures/surveys.
# A bare 'Bộ' is not enough ('Bộ chỉ số đánh giá …' is the index itself).
_MINISTRY = re.compile(r"do\s*luong\s+tu\s+dong|khong\s+tu\s+danh\s+gia|khong\s+tu\s+cham|"
                       r"\bbo\s+(?:tt\s*&\s*tt|tttt|kh\s*&\s*cn|khcn|thong\s+tin\s+va\s+truyen\s+thong|"
                       r"khoa\s+hoc\s+va\s+cong\s+nghe)\b[^;]{0,40}?\b(?:do\s+luong|tu\s+dong\s+do|khao\s+sat|"
                       r"danh\s+gia|cham\s+diem|thu\s+thap)|"
                       r"measured\s+by\s+the\s+ministry|ministry\s+measures")
_NOT_SCORED = re.compile(r"khong\s+tinh\s+diem|not\s+scored")
_A_DEF = re.compile(r"(?:^|[\s;(:,])a\s*(?:=|:|la\b)\s*")
_B_DEF = re.compile(r"(?:^|[\s;(:,])b\s*(?:=|:|la\b)\s*")
_RATIO_WORD = re.compile(r"\bt[yi]\s*le\b|\bratio\b|\bpercentage\b")
_FORMULA = re.compile(r"(?:t[yi]\s*le|\(?\s*a\s*/\s*b\s*\)?(?:\s*\*\s*100\s*%)?|ratio)\s*(?:\*|x|nhan(?:\s+voi)?)\s*"
                      r"(?:(?:so\s+)?diem\s+toi\s+da|max(?:imum)?\s+points|(\d+(?:[.,]\d+)?)\s*(?:diem)?)"
                      r"|(?:(?:so\s+)?diem\s+toi\s+da|max(?:imum)?\s+points|(\d+(?:[.,]\d+)?)\s*(?:diem)?)\s*(?:\*|x)\s*"
                      r"(?:t[yi]\s*le|\(?\s*a\s*/\s*b\s*\)?)")
_PAREN_TAIL = (r"\)\s*(?:\*\s*100\s*%\s*)?(?:\*|x)\s*"
               r"(?:(?:so\s+)?diem\s+toi\s+da|max(?:imum)?\s+points|(\d+(?:[.,]\d+)?)\s*(?:diem)?)")
# '(Số A / Tổng số B) × Điểm tối đa': a spaced slash divides even when the titles hold 'Bí thư/Chủ tịch'.
_PAREN_RATIOS = (re.compile(r"\(([^()]{3,}?)\s+/\s+([^()]{3,}?)" + _PAREN_TAIL),
                 re.compile(r"\(([^()/]{3,}?)/([^()/]{3,}?)" + _PAREN_TAIL))
_ZERO_B_FULL = re.compile(r"b\s*=\s*0[^;]{0,60}?(?:diem\s+toi\s+da|dat\s+toi\s+da|full)")
_ZERO_B_ZERO = re.compile(r"b\s*=\s*0[^;]{0,60}?(?:\b0\s*diem|khong\s+(?:duoc\s+)?(?:tinh\s+)?diem|=\s*0\b)")
_PERCENT_LABEL = re.compile(r"%")
_COUNT_LABEL = re.compile(r"^(?:(?:tu|du|co|to\s+chuc|hop|dat|≥|>|tren|it\s+nhat|toi\s+thieu)\s*)*(\d+)\s*"
                          r"(lan|cuoc|buoi|dot|van\s+ban|ke\s+hoach|hoat\s+dong|su\s+kien|lop|khoa|bai|tin|"
                          r"times?|meetings?)?\b")
_REST_LABEL = re.compile(r"^(?:con\s+lai|cac\s+truong\s+hop\s+(?:con\s+lai|khac)|truong\s+hop\s+khac|khac|"
                         r"otherwise|other(?:wise)?|khong\s+(?:hop|to\s+chuc|co|dat|thuc\s+hien)|chua\s+|"
                         r"duoi\s+1\s+lan|0\s+lan|khong\b)")
_YES_LABEL = re.compile(r"^(?:co|da|dat|yes|duoc)\b")
_NO_LABEL = re.compile(r"^(?:khong|chua|no)\b")


def _definition(text: str, folded: str, start: int, stop_patterns: list[re.Pattern]) -> str:
    """The definition after 'a =' up to the next clause break or the next definition/formula."""
    end = len(text)
    m = re.compile(r"[;\n]").search(folded, start)
    if m:
        end = m.start()
    for pattern in stop_patterns:
        m = pattern.search(folded, start)
        if m and m.start() < end:
            end = m.start()
    return " ".join(text[start:end].split()).strip(" ,.;")


def _read_ratio(text: str, folded: str, max_points: float) -> MethodReading | None:
    a_def, b_def = _A_DEF.search(folded), _B_DEF.search(folded)
    paren = next((m for m in (p.search(folded) for p in _PAREN_RATIOS) if m), None)
    if not (a_def and b_def) and not paren:
        return None
    notes: list[str] = []
    if a_def and b_def:
        stops = [_B_DEF, re.compile(r"t[yi]\s*le\s*=|\bdiem\s*=|\bratio\s*=|\bpoints\s*=|trong\s+do")]
        a_label = _definition(text, folded, a_def.end(), stops)
        b_label = _definition(text, folded, b_def.end(), stops[1:] + [_A_DEF])
        # 'Tỷ lệ (%) = a/b x 100%' converts to a percentage: it is not the points formula
        formula = next((f for f in _FORMULA.finditer(folded)
                        if not re.match(r"\s*%", folded[f.end():])), None)
        number = next((g for g in (formula.groups() if formula else ()) if g), None)
    else:
        a_label = " ".join(text[paren.start(1):paren.end(1)].split())
        b_label = " ".join(text[paren.start(2):paren.end(2)].split())
        formula, number = paren, paren.group(3)
    if not formula:
        return MethodReading("ratio", None, "low",
                             "có định nghĩa a và b nhưng không có công thức 'Điểm = Tỷ lệ × Điểm tối đa'; hãy kiểm tra "
                             "văn bản (có thể bị cắt) và chọn quy tắc",
                             "a and b are defined but there is no formula 'Points = ratio × maximum'; check the text "
                             "(it may be cut) and choose the rule")
    if number is not None and abs(_num(number) - max_points) > 1e-9:
        return MethodReading("ratio", None, "low",
                             f"công thức nhân tỷ lệ với {number} nhưng điểm tối đa là {max_points:g}; hãy sửa điểm "
                             "hoặc quy tắc",
                             f"the formula multiplies the ratio by {number} but the maximum is {max_points:g}; "
                             "correct the points or the rule")
    if len(_fold(a_label)) < 3 or len(_fold(b_label)) < 3 or "…" in b_label or "..." in b_label:
        return MethodReading("ratio", None, "low",
                             "định nghĩa của a hoặc b bị thiếu hay bị cắt; hãy ghi rõ a và b",
                             "the definition of a or b is missing or cut; write out a and b")
    if _ZERO_B_FULL.search(folded):
        on_zero = "full"
    elif _ZERO_B_ZERO.search(folded):
        on_zero = "zero"
    else:
        on_zero = "zero"
        notes.append("b = 0 is not covered by the text: it earns 0 points")
    rule = {"type": "ratio", "a_label_vi": f"a = {a_label}", "a_label_en": f"a = {a_label}",
            "b_label_vi": f"b = {b_label}", "b_label_en": f"b = {b_label}", "on_zero_denominator": on_zero}
    return MethodReading("ratio", rule, "high", notes=tuple(notes))


def _threshold_min(label: str) -> tuple[float, bool] | None:
    """Lower bound of a percentage band and whether it is strict ('trên 90%', '> 90%')."""
    # 'từ 70% đến dưới 90%', '≥ 90%', 'trên 90%', 'dưới 70%', '70% - 90%', 'đạt 100%'
    numbers = [_num(n) for n in re.findall(r"(\d+(?:[.,]\d+)?)\s*%", label)]
    if not numbers:
        return None
    head = label.split(str(re.search(r"\d", label).group(0)), 1)[0]
    if re.search(r"(?:duoi|<|≤|less|below|khong\s+dat)\s*$", head) and len(numbers) == 1:
        return 0.0, False
    strict = bool(re.search(r"(?:tren|>|above|more\s+than)\s*$", head)) and "≥" not in head
    return numbers[0], strict


def _read_bands(clauses: list[Clause], max_points: float) -> MethodReading | None:
    """Thresholds on a percentage, or counts in steps: every clause but a 'còn lại' one names a number."""
    percent = [c for c in clauses if _PERCENT_LABEL.search(c.label)]
    counted = [c for c in clauses if _COUNT_LABEL.match(c.folded) and c not in percent]
    rest = [c for c in clauses if c not in percent and c not in counted and _REST_LABEL.match(c.folded)]
    if percent and len(percent) + len(rest) == len(clauses) and len(percent) >= 2 - len(rest):
        steps: dict[float, float] = {}
        strict = False
        for c in percent:
            bound = _threshold_min(c.folded)
            if bound is None:
                return None
            steps[bound[0]] = max(steps.get(bound[0], 0.0), c.share)
            strict = strict or bound[1]
        kind, unit_vi, unit_en = "thresholds", "%", "%"
    elif counted and len(counted) >= 2 and len(counted) + len(rest) == len(clauses):
        steps = {}
        for c in counted:
            count = float(_COUNT_LABEL.match(c.folded).group(1))
            steps[count] = max(steps.get(count, 0.0), c.share)
        unit = _COUNT_LABEL.match(counted[0].folded).group(2) or "lan"
        unit_vi = _unit_vi(counted[0].label, unit)
        unit_en = "times" if unit.startswith(("lan", "time")) else unit_vi
        kind, strict = "stepped", False
    else:
        return None
    if not any(abs(s - 1) < 1e-9 for s in steps.values()):
        return MethodReading(kind, None, "low", "không mức nào được điểm tối đa; hãy kiểm tra điểm từng mức",
                             "no band earns the maximum; check the points of each band")
    ordered = sorted(steps.items())
    shares = [s for _, s in ordered]
    if shares != sorted(shares):
        return MethodReading(kind, None, "low", "mức cao hơn lại được ít điểm hơn; hãy kiểm tra các mức",
                             "a higher band earns fewer points; check the bands")
    rule = {"type": "stepped", "unit_vi": unit_vi, "unit_en": unit_en,
            "steps": [{"min": m, "share": round(s, 6)} for m, s in ordered if s > 0]}
    if strict:
        return MethodReading(kind, rule, "low", "có ngưỡng 'trên …%' (lớn hơn hẳn) nhưng quy tắc tính 'từ …%' (lớn hơn "
                             "hoặc bằng); hãy xác nhận", "a band says 'above …%' (strictly) but the rule reads it as "
                             "'from …%' (at least); confirm it")
    return MethodReading(kind, rule, "high")


def _unit_vi(label: str, folded_unit: str) -> str:
    folded = _fold(label)
    i = folded.find(folded_unit)
    return label[i:i + len(folded_unit)] if i >= 0 else "lần"


def _key(share: float, used: set[str], n: int) -> str:
    key = "full" if abs(share - 1) < 1e-9 else "none" if share == 0 else "half" if abs(share - 0.5) < 1e-9 \
        else f"level_{n}"
    while key in used:
        key = f"{key}_{n}"
    used.add(key)
    return key


def _read_choices(clauses: list[Clause]) -> MethodReading | None:
    """Yes/no, labelled levels (one is worth the maximum) or parts that add up (none is, together they are)."""
    if len(clauses) < 2:
        return None
    full = [c for c in clauses if abs(c.share - 1) < 1e-9]
    scored = [c for c in clauses if c.share > 0]
    if len(clauses) == 2 and len(full) == 1 and any(c.share == 0 for c in clauses):
        yes = full[0]
        no = next(c for c in clauses if c.share == 0)
        if _YES_LABEL.match(yes.folded) and _NO_LABEL.match(no.folded) and len(yes.folded) < 25 \
                and len(no.folded) < 25:
            return MethodReading("yes_no", {"type": "yes_no"}, "high")
    if full:
        used: set[str] = set()
        levels = [{"key": _key(c.share, used, i), "label_vi": c.label, "label_en": c.label, "share": round(c.share, 6)}
                  for i, c in enumerate(sorted(clauses, key=lambda c: -c.share), start=1)]
        return MethodReading("levels", {"type": "levels", "levels": levels}, "high")
    total = sum(c.share for c in scored)
    if len(scored) >= 2 and abs(total - 1) < 1e-6:
        parts = [{"key": f"part_{i}", "label_vi": c.label, "label_en": c.label, "share": round(c.share, 6)}
                 for i, c in enumerate(scored, start=1)]
        return MethodReading("parts", {"type": "parts", "parts": parts}, "high")
    return MethodReading("levels", None, "low",
                         f"các mức cộng lại được {total:.0%} điểm tối đa và không mức nào được điểm tối đa; hãy kiểm "
                         "tra điểm từng mức",
                         f"the levels add up to {total:.0%} of the maximum and none is worth the maximum; check the "
                         "points of each level")


_PER_UNIT = re.compile(r"\bmoi\s+([^:;=,]{1,40}?)\s*(?:[:=]|duoc|dat|cong|tinh)\s*(?:duoc\s+|cong\s+)?"
                       r"(\d+(?:[.,]\d+)?)\s*diem")
_CAP = re.compile(r"toi\s+da\s+(?:khong\s+qua\s+)?(\d+(?:[.,]\d+)?)\s*diem|khong\s+qua\s+(\d+(?:[.,]\d+)?)\s*diem")


def _read_per_unit(text: str, folded: str, max_points: float) -> MethodReading | None:
    """'Mỗi văn bản: 2 điểm, tối đa 10 điểm': a count in steps of the points per unit, up to the maximum."""
    m = _PER_UNIT.search(folded)
    if not m:
        return None
    per = _num(m.group(2))
    cap = _CAP.search(folded)
    top = _num(next(g for g in cap.groups() if g)) if cap else max_points
    if per <= 0 or abs(top - max_points) > 1e-9 or per > max_points:
        return MethodReading("stepped", None, "low", f"mỗi đơn vị {per:g} điểm nhưng mức tối đa ghi trong văn bản "
                             f"khác {max_points:g}; hãy kiểm tra", f"{per:g} points per unit but the cap in the text "
                             f"differs from the maximum {max_points:g}; check it")
    count = int(-(-max_points // per))  # units needed for the maximum, rounded up
    unit = text[m.start(1):m.end(1)].strip()
    steps = [{"min": k, "share": round(min(k * per / max_points, 1.0), 6)} for k in range(1, count + 1)]
    return MethodReading("stepped", {"type": "stepped", "unit_vi": unit, "unit_en": unit, "steps": steps}, "high")


def read_method(text: str, max_points: float) -> MethodReading:
    """The rule that a scoring-method text describes, with how sure the reading is; never a made-up scale."""
    cleaned = _clean(text)
    folded = _fold(cleaned)
    if not folded.strip():
        return _unread("there is no scoring method; write it or choose the rule",
                       "không có cách tính điểm; hãy ghi cách tính điểm hoặc chọn quy tắc")
    if _NOT_SCORED.search(folded):
        if max_points == 0:
            return MethodReading("not_scored", {"type": "not_scored"}, "high")
        return _unread(f"the text says not scored but the component is worth {max_points:g} points; correct the "
                       "points or the rule",
                       f"cách tính ghi không tính điểm nhưng chỉ số được {max_points:g} điểm; hãy sửa điểm hoặc quy "
                       "tắc")
    if max_points <= 0:
        return _unread("the component is worth 0 points but the text describes a scoring; correct the points",
                       "chỉ số được 0 điểm nhưng có cách tính điểm; hãy sửa điểm tối đa")
    ministry = bool(_MINISTRY.search(folded))
    measured_by = "ministry" if ministry else "province"
    reading = _read_ratio(cleaned, folded, max_points)
    if reading is not None and reading.rule is None:
        # a and b defined, then bands on their ratio ('Tỷ lệ a/b ≥ 90%: Điểm tối đa; …'): thresholds on a %
        bands = _read_bands([c for c in (_clause(raw, max_points) for raw in _split_clauses(cleaned)) if c], max_points)
        if bands is not None and bands.kind == "thresholds":
            reading = MethodReading(bands.kind, bands.rule, bands.confidence, bands.reason_vi, bands.reason_en,
                                    notes=("the ratio a/b is entered as a percentage",))
    if reading is None:
        reading = _read_per_unit(cleaned, folded, max_points)
    if reading is None:
        raw_clauses = _split_clauses(cleaned)
        clauses = [c for c in (_clause(raw, max_points) for raw in raw_clauses) if c is not None]
        if clauses:
            reading = _read_bands(clauses, max_points) or _read_choices(clauses)
            if reading is not None and reading.confident and len(clauses) < _valued_clauses(raw_clauses):
                reading = MethodReading(reading.kind, None, "low",
                                        "một số vế có điểm nhưng không đọc được; hãy kiểm tra từng vế",
                                        "some clauses carry points but could not be read; check each clause")
    if reading is not None:
        return MethodReading(reading.kind, reading.rule, reading.confidence, reading.reason_vi, reading.reason_en,
                             measured_by, reading.notes)
    if ministry:
        # The Ministry measures it; the province can only estimate the points it expects.
        return MethodReading("ministry", {"type": "direct"}, "high", measured_by="ministry",
                             notes=("measured by the Ministry: the points entered are the province's estimate",))
    return _unread("the text is not one of the known idioms (ratio a/b, levels, counts, parts, yes/no, thresholds); "
                   "choose the rule",
                   "cách tính không thuộc dạng đã biết (tỷ lệ a/b, mức, số lần, các phần, có/không, ngưỡng %); hãy "
                   "chọn quy tắc")


def _valued_clauses(raw_clauses: list[str]) -> int:
    """Clauses that look like 'label: value' (a colon followed by something), read or not."""
    return sum(bool(re.search(r"[:=]\s*\S", _fold(c))) for c in raw_clauses)
