"""Scoring-method texts ("Cách xác định và tính điểm") read into the engine's rules, one wording per row.

Rows marked ``verbatim`` are copied from /work/shared/reference/scoring-method-examples.md (two public
sub-provincial appendices); the others vary the wording as real documents do: Tỷ lệ/tỉ lệ, "*"/"x"/"×", ½ / 1/2 /
50 % / 0,5, "Điểm tối đa" or the number itself, line breaks, bullets, commas between clauses. Each row says the rule
expected, its shares, and the points a sample answer earns through the engine's own reader. A text that is not
read with confidence must come back without a rule and with a reason: it goes to review, never to a guess.
"""

from __future__ import annotations

import pytest

from dti.framework.model import Component
from dti.io.methods import read_method
from dti.scoring.rules import points_from_value

V_1_1 = ("Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa; là Phó Bí thư/Phó Chủ tịch: 1/2*Điểm tối đa; chưa có BCĐ "
         "hoặc Trưởng ban không phải lãnh đạo huyện: 0")
V_1_2 = ("Tham gia đầy đủ các phiên họp về Chuyển đổi số của Tỉnh (do UBND Tỉnh hoặc Ban Chỉ đạo CĐS Tỉnh mời): "
         "1/2*Điểm tối đa; Chủ trì các cuộc họp về CĐS của huyện: 1/2*Điểm tối đa; không tham gia đầy đủ / không chủ "
         "trì: 0")
V_1_3_CUT = "a = số văn bản chỉ đạo chuyên đề về CĐS do người đứng đầu ký; b = T…"
V_B_1_1 = "4 lần/năm (mỗi quý 1 lần): 20; 3 lần: 15; 2 lần: 10; 1 lần: 5; còn lại: 0"
V_B_1_2 = ("a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì; b = tổng số cuộc họp CĐS; Tỷ lệ = a/b; Điểm = Tỷ "
           "lệ*Điểm tối đa")
V_B_1_3 = ("a = số văn bản chỉ đạo chuyên đề về CĐS do người đứng đầu ký; b = tổng số văn bản chỉ đạo chuyên đề về CĐS "
           "của huyện theo yêu cầu của tỉnh; Tỷ lệ = a/b; Điểm = Tỷ lệ*Điểm tối đa")
V_THRESHOLD = "≥ 90%: Điểm tối đa; từ 70% đến dưới 90%: 1/2*Điểm tối đa; dưới 70%: 0"

A_MEETINGS = "a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì"
B_MEETINGS = "b = tổng số cuộc họp CĐS"

# (id, text, max points, kind, shares (levels/parts/steps as {min: share}), sample answer, points expected)
CASES = [
    # --- ratio -------------------------------------------------------------------------------------------
    ("verbatim B1.2 ratio", V_B_1_2, 20, "ratio", None, "3/4", 15),
    ("verbatim B1.3 ratio", V_B_1_3, 20, "ratio", None, "1/2", 10),
    ("ratio tỉ lệ ×", "a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì; b = tổng số cuộc họp CĐS; Tỉ lệ = a/b; "
     "Điểm = Tỉ lệ × Điểm tối đa", 20, "ratio", None, "1/4", 5),
    ("ratio x number", "a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì; b = tổng số cuộc họp CĐS; tỷ lệ = a/b; "
     "Điểm = tỷ lệ x 20", 20, "ratio", None, "2/2", 20),
    ("ratio on lines", "a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì\nb = tổng số cuộc họp CĐS\nTỷ lệ = a/b\n"
     "Điểm = Tỷ lệ * Điểm tối đa", 20, "ratio", None, "9/10", 18),
    ("ratio bullets", "- a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì;\n- b = tổng số cuộc họp CĐS;\n"
     "- Điểm = (a/b) × Điểm tối đa", 20, "ratio", None, "1/5", 4),
    ("ratio 'là' definitions", "Trong đó: a là số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì; b là tổng số cuộc họp "
     "CĐS. Điểm = a/b * Điểm tối đa", 20, "ratio", None, "5/10", 10),
    ("ratio in parentheses", "Điểm = (Số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì / Tổng số cuộc họp CĐS) x Điểm tối "
     "đa", 20, "ratio", None, "3/5", 12),
    ("ratio b = 0 full", "a = số cuộc họp CĐS có Bí thư/Chủ tịch chủ trì; b = tổng số cuộc họp CĐS; Tỷ lệ = a/b; "
     "Điểm = Tỷ lệ*Điểm tối đa; trường hợp b = 0 thì được điểm tối đa", 20, "ratio", None, "0/0", 20),
    ("ratio English", "a = meetings chaired by the Secretary/Chairman; b = all meetings on digital transformation; "
     "Points = ratio x maximum points", 20, "ratio", None, "1/2", 10),
    # --- levels -------------------------------------------------------------------------------------------
    ("verbatim A1.1 levels", V_1_1, 10, "levels", [1, 0.5, 0], "half", 5),
    ("levels ½", "Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa; là Phó Bí thư/Phó Chủ tịch: ½ Điểm tối đa; chưa có "
     "BCĐ: 0", 10, "levels", [1, 0.5, 0], "full", 10),
    ("levels 50%", "Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa; là Phó Bí thư/Phó Chủ tịch: 50% điểm tối đa; chưa "
     "có BCĐ: 0 điểm", 10, "levels", [1, 0.5, 0], "là Phó Bí thư/Phó Chủ tịch", 5),
    ("levels numbers", "Trưởng ban là Bí thư/Chủ tịch: 10 điểm; là Phó Bí thư/Phó Chủ tịch: 5 điểm; chưa có BCĐ: 0 "
     "điểm", 10, "levels", [1, 0.5, 0], "none", 0),
    ("levels 0,5 ×", "Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa; là Phó Bí thư/Phó Chủ tịch: 0,5 × Điểm tối đa; "
     "chưa có BCĐ: 0", 10, "levels", [1, 0.5, 0], "half", 5),
    ("levels max × 1/2", "Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa; là Phó Bí thư/Phó Chủ tịch: Điểm tối đa x "
     "1/2; chưa có BCĐ: 0", 10, "levels", [1, 0.5, 0], "half", 5),
    ("levels on lines", "Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa\nlà Phó Bí thư/Phó Chủ tịch: 1/2*Điểm tối đa\n"
     "chưa có BCĐ: 0", 10, "levels", [1, 0.5, 0], "full", 10),
    ("levels bullets •", "• Trưởng ban là Bí thư/Chủ tịch: Điểm tối đa\n• là Phó Bí thư/Phó Chủ tịch: 1/2*Điểm tối "
     "đa\n• chưa có BCĐ: 0", 10, "levels", [1, 0.5, 0], "half", 5),
    ("levels three steps 2/3", "Hoàn thành 100% kế hoạch: Điểm tối đa; hoàn thành một phần kế hoạch: 2/3 Điểm tối "
     "đa; chỉ ban hành kế hoạch: 1/3 Điểm tối đa; chưa ban hành: 0", 15, "levels", [1, 2 / 3, 1 / 3, 0], "level_2",
     10),
    ("levels commas", "Trưởng ban là Bí thư: 10 điểm, là Phó Bí thư: 5 điểm, chưa có: 0 điểm", 10, "levels",
     [1, 0.5, 0], "half", 5),
    ("levels '='", "Trưởng ban là Bí thư/Chủ tịch = Điểm tối đa; là Phó Bí thư/Phó Chủ tịch = 1/2 Điểm tối đa; chưa "
     "có BCĐ = 0", 10, "levels", [1, 0.5, 0], "half", 5),
    ("levels after an introduction", "Đánh giá theo mức độ hoàn thành: Tốt: 10; Khá: 7; Trung bình: 5; Yếu: 0", 10,
     "levels", [1, 0.7, 0.5, 0], "Khá", 7),
    # --- stepped counts -------------------------------------------------------------------------------------
    ("verbatim B1.1 stepped", V_B_1_1, 20, "stepped", {1: 0.25, 2: 0.5, 3: 0.75, 4: 1}, 3, 15),
    ("stepped with điểm", "4 lần/năm: 20 điểm; 3 lần: 15 điểm; 2 lần: 10 điểm; 1 lần: 5 điểm; còn lại: 0 điểm", 20,
     "stepped", {1: 0.25, 2: 0.5, 3: 0.75, 4: 1}, 5, 20),
    ("stepped on lines", "4 lần/năm (mỗi quý 1 lần): 20\n3 lần: 15\n2 lần: 10\n1 lần: 5\ncòn lại: 0", 20, "stepped",
     {1: 0.25, 2: 0.5, 3: 0.75, 4: 1}, 2, 10),
    ("stepped shares of max", "Họp 4 lần/năm: Điểm tối đa; 2 lần: 1/2*Điểm tối đa; không họp: 0", 10, "stepped",
     {2: 0.5, 4: 1}, 3, 5),
    ("stepped từ … trở lên", "Từ 2 lần trở lên: 10 điểm; 1 lần: 5 điểm; không tổ chức: 0 điểm", 10, "stepped",
     {1: 0.5, 2: 1}, 1, 5),
    ("stepped cuộc", "Tổ chức 3 cuộc: 9; 2 cuộc: 6; 1 cuộc: 3; không tổ chức: 0", 9, "stepped",
     {1: 1 / 3, 2: 2 / 3, 3: 1}, 2, 6),
    ("stepped bullets", "- 4 lần/năm: 20\n- 3 lần: 15\n- 2 lần: 10\n- 1 lần: 5\n- Còn lại: 0", 20, "stepped",
     {1: 0.25, 2: 0.5, 3: 0.75, 4: 1}, 0, 0),
    # --- parts --------------------------------------------------------------------------------------------
    ("verbatim A1.2 parts", V_1_2, 10, "parts", [0.5, 0.5], "part_1;part_2", 10),
    ("parts ½", "Tham gia đầy đủ các phiên họp của Tỉnh: ½ Điểm tối đa; Chủ trì các cuộc họp về CĐS của huyện: ½ "
     "Điểm tối đa", 10, "parts", [0.5, 0.5], "part_2", 5),
    ("parts numbers", "Tham gia đầy đủ các phiên họp của Tỉnh: 5 điểm; Chủ trì các cuộc họp về CĐS của huyện: 5 điểm; "
     "không tham gia, không chủ trì: 0", 10, "parts", [0.5, 0.5], "part_1", 5),
    ("parts three", "Có kế hoạch: 1/4 Điểm tối đa; có kinh phí: 1/4 Điểm tối đa; hoàn thành đúng hạn: 1/2 Điểm tối đa",
     20, "parts", [0.25, 0.25, 0.5], "part_1;part_3", 15),
    # --- yes/no -------------------------------------------------------------------------------------------
    ("yes/no max", "Có: Điểm tối đa; Không: 0", 5, "yes_no", None, "có", 5),
    ("yes/no numbers", "Có: 10 điểm; Không: 0 điểm", 10, "yes_no", None, "không", 0),
    ("yes/no commas =", "Có = 10 điểm, không = 0 điểm", 10, "yes_no", None, "yes", 10),
    ("yes/no lines", "Đã ban hành: Điểm tối đa\nChưa ban hành: 0", 10, "yes_no", None, "có", 10),
    ("yes/no English", "Yes: maximum points; No: 0", 10, "yes_no", None, "no", 0),
    # --- thresholds on a percentage ---------------------------------------------------------------------
    ("verbatim thresholds", V_THRESHOLD, 10, "thresholds", {70: 0.5, 90: 1}, 80, 5),
    ("thresholds >=", ">= 90%: Điểm tối đa; từ 70% đến dưới 90%: 1/2*Điểm tối đa; dưới 70%: 0", 10, "thresholds",
     {70: 0.5, 90: 1}, 95, 10),
    ("thresholds lines ½", "Tỷ lệ ≥ 90%: Điểm tối đa\nTỷ lệ từ 70% đến dưới 90%: ½ Điểm tối đa\nTỷ lệ dưới 70%: 0",
     10, "thresholds", {70: 0.5, 90: 1}, 69.9, 0),
    ("thresholds numbers", "Đạt 100%: 10 điểm; từ 80% đến dưới 100%: 7,5 điểm; từ 50% đến dưới 80%: 5 điểm; dưới 50%: "
     "0 điểm", 10, "thresholds", {50: 0.5, 80: 0.75, 100: 1}, 85, 7.5),
    ("thresholds < ", "≥ 95%: Điểm tối đa; 80% ≤ x < 95%: 50% Điểm tối đa; < 80%: 0", 10, "thresholds",
     {80: 0.5, 95: 1}, 90, 5),
    ("thresholds on a defined ratio", "a = số hồ sơ giải quyết đúng hạn; b = tổng số hồ sơ; Tỷ lệ a/b ≥ 90%: Điểm "
     "tối đa; từ 70% đến dưới 90%: 1/2*Điểm tối đa; dưới 70%: 0", 10, "thresholds", {70: 0.5, 90: 1}, 90, 10),
    ("thresholds 70%-<90%", "≥90%: Điểm tối đa; 70%-<90%: 1/2 Điểm tối đa; <70%: 0", 10, "thresholds",
     {70: 0.5, 90: 1}, 70, 5),
    ("thresholds trở lên", "Từ 90% trở lên: Điểm tối đa; Từ 70% đến dưới 90%: 1/2 Điểm tối đa; Dưới 70%: 0 điểm", 10,
     "thresholds", {70: 0.5, 90: 1}, 90, 10),
    # --- more wordings of the same idioms -------------------------------------------------------------------
    ("yes/no upper case", "CÓ: ĐIỂM TỐI ĐA; KHÔNG: 0", 10, "yes_no", None, "có", 10),
    ("yes/no 10đ", "Có: 10đ; Không: 0đ", 10, "yes_no", None, "không", 0),
    ("yes/no full stops", "Có: 10 điểm.  Không: 0 điểm.", 10, "yes_no", None, "có", 10),
    ("levels 100% điểm", "Trưởng ban là Bí thư/Chủ tịch: 100% điểm; là Phó Bí thư: 50% điểm; còn lại: 0", 10,
     "levels", [1, 0.5, 0], "half", 5),
    ("levels 'tối đa 10 điểm'", "Trưởng ban là Bí thư/Chủ tịch: tối đa 10 điểm; là Phó Bí thư: 5 điểm; còn lại: 0 "
     "điểm", 10, "levels", [1, 0.5, 0], "Trưởng ban là Bí thư/Chủ tịch", 10),
    ("ratio 'a:' lines", "a: số cuộc họp có chủ trì\nb: tổng số cuộc họp\nĐiểm = (a/b) x Điểm tối đa", 10, "ratio",
     None, "2/8", 2.5),
    ("ratio with × 100%", "Tỷ lệ (%) = a/b x 100%; a = số hồ sơ giải quyết đúng hạn; b = tổng số hồ sơ; Điểm = Tỷ lệ "
     "x Điểm tối đa", 10, "ratio", None, "45/60", 7.5),
    ("stepped + bullets", "+ 4 lần/năm: 20 điểm\n+ 3 lần/năm: 15 điểm\n+ 2 lần/năm: 10 điểm\n+ 1 lần/năm: 5 điểm\n"
     "+ Không tổ chức: 0 điểm", 20, "stepped", {1: 0.25, 2: 0.5, 3: 0.75, 4: 1}, 4, 20),
    # --- per unit, up to the maximum -----------------------------------------------------------------------
    ("per unit with a cap", "Mỗi văn bản được ban hành: 2 điểm, tối đa 10 điểm", 10, "stepped",
     {1: 0.2, 2: 0.4, 3: 0.6, 4: 0.8, 5: 1}, 3, 6),
    ("per unit, cap is the maximum", "Mỗi lớp tập huấn = 2,5 điểm", 10, "stepped", {1: 0.25, 2: 0.5, 3: 0.75, 4: 1},
     7, 10),
    # --- measured by the Ministry, not scored ---------------------------------------------------------------
    ("ministry automatic", "Bộ KH&CN đo lường tự động; địa phương không tự đánh giá", 10, "ministry", None, 6, 6),
    ("ministry survey", "Bộ Khoa học và Công nghệ khảo sát, đánh giá", 20, "ministry", None, 12.5, 12.5),
    ("not scored", "Không tính điểm", 0, "not_scored", None, "", 0),
]

# Texts that must NOT be read into a rule: they go to review with a reason.
UNREAD = [
    ("verbatim A1.3 cut", V_1_3_CUT, 10),
    ("no formula for a/b", "a = số cuộc họp có chủ trì; b = tổng số cuộc họp", 20),
    ("formula on another maximum", "a = số cuộc họp CĐS có chủ trì; b = tổng số cuộc họp CĐS; Điểm = Tỷ lệ x 15",
     20),
    ("free text", "Do Hội đồng thẩm định xem xét, quyết định", 10),
    ("empty", "", 10),
    ("levels without a full level", "Trưởng ban là Bí thư: 1/2 Điểm tối đa; là Phó Bí thư: 1/4 Điểm tối đa", 10),
    ("not scored but points", "Không tính điểm", 10),
    ("strict 'trên'", "Trên 90%: Điểm tối đa; từ 70% đến 90%: 1/2*Điểm tối đa; dưới 70%: 0", 10),
    ("a clause not read", "4 lần/năm: 20; 3 lần: khoảng mười lăm; 2 lần: 10; còn lại: 0", 20),
    ("higher band fewer points", "4 lần: 10; 3 lần: 20; còn lại: 0", 20),
    ("per unit, another cap", "Mỗi văn bản: 2 điểm, tối đa 8 điểm", 10),
    ("the index named, not a ministry measuring", "Theo Bộ chỉ số đánh giá chuyển đổi số, do đơn vị tự đánh giá", 10),
]


def component(rule: dict, max_points: float) -> Component:
    return Component(code="1.1", name_vi="Thử", name_en="Test", max_points=max_points, rule=rule)


def test_there_are_at_least_forty_wordings():
    assert len(CASES) + len(UNREAD) >= 40 and len(CASES) >= 40


@pytest.mark.parametrize(("text", "max_points", "kind", "shares", "answer", "points"),
                         [c[1:] for c in CASES], ids=[c[0] for c in CASES])
def test_scoring_text_reads_into_the_expected_rule(text, max_points, kind, shares, answer, points):
    reading = read_method(text, max_points)
    assert reading.kind == kind, (reading.kind, reading.reason_en)
    assert reading.confident and not reading.reason_en and not reading.reason_vi
    rule = reading.rule
    if kind == "levels":
        assert sorted((lv["share"] for lv in rule["levels"]), reverse=True) == pytest.approx(shares)
        assert all(lv["label_vi"] and lv["label_vi"] in text for lv in rule["levels"])  # labels cut verbatim
    elif kind == "parts":
        assert [p["share"] for p in rule["parts"]] == pytest.approx(shares)
        assert all(p["label_vi"] in text for p in rule["parts"])
    elif kind in ("stepped", "thresholds"):
        assert rule["type"] == "stepped"
        assert {s["min"]: s["share"] for s in rule["steps"]} == pytest.approx(shares)
        assert rule["unit_vi"] == ("%" if kind == "thresholds" else rule["unit_vi"])
    elif kind == "ratio":
        assert rule["a_label_vi"].startswith("a = ") and rule["b_label_vi"].startswith("b = ")
        assert len(rule["a_label_vi"]) > 8 and len(rule["b_label_vi"]) > 8
    elif kind == "ministry":
        assert reading.measured_by == "ministry" and rule == {"type": "direct"}
    assert points_from_value(component(rule, max_points), answer) == pytest.approx(points)


def test_ratio_labels_are_the_definitions_of_a_and_b():
    rule = read_method(V_B_1_2, 20).rule
    assert rule["a_label_vi"] == A_MEETINGS and rule["b_label_vi"] == B_MEETINGS
    assert rule["on_zero_denominator"] == "zero"
    assert read_method(V_B_1_2, 20).notes  # b = 0 is not in the text: said, not hidden


def test_per_unit_keeps_the_unit_of_the_text():
    rule = read_method("Mỗi văn bản được ban hành: 2 điểm, tối đa 10 điểm", 10).rule
    assert rule["unit_vi"] == "văn bản được ban hành"


def test_an_introduction_is_not_part_of_the_first_label():
    levels = read_method("Đánh giá theo mức độ hoàn thành: Tốt: 10; Khá: 7; Trung bình: 5; Yếu: 0", 10).rule["levels"]
    assert [lv["label_vi"] for lv in levels] == ["Tốt", "Khá", "Trung bình", "Yếu"]


def test_levels_keep_the_labels_of_the_appendix():
    levels = read_method(V_1_1, 10).rule["levels"]
    assert [(lv["label_vi"], lv["share"]) for lv in levels] == [
        ("Trưởng ban là Bí thư/Chủ tịch", 1.0), ("là Phó Bí thư/Phó Chủ tịch", 0.5),
        ("chưa có BCĐ hoặc Trưởng ban không phải lãnh đạo huyện", 0.0)]


@pytest.mark.parametrize(("text", "max_points"), [u[1:] for u in UNREAD], ids=[u[0] for u in UNREAD])
def test_what_is_not_read_with_confidence_goes_to_review_with_a_reason(text, max_points):
    reading = read_method(text, max_points)
    assert not reading.confident
    assert reading.confidence in ("low", "none")
    assert reading.reason_vi and reading.reason_en and reading.reason_vi != reading.reason_en
