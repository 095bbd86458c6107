"""The salary-step report's files (checkin.reports.exports and checkin.reports.pdf) from the sample
report of tests/support/report_sample.py: the CSV's headings and values, the XLSX's typed cells,
filters, print setup, fonts and totals, and the PDF's pages and Thai text read back the way Chrome
reads it (PDFium). Pure: no app, no database.

Set REPORT_SAMPLE_DIR to keep the sample PDF and XLSX there."""

from __future__ import annotations

import csv
import io
import os
import zipfile
from datetime import date, datetime, time
from pathlib import Path

import pypdfium2
import pytest
from openpyxl import load_workbook
from openpyxl.utils import get_column_letter

from checkin.reports import exports, pdf
from tests.support.pdf_text import pages_text
from tests.support.report_sample import FORMULA_NAME, many_people, salary_step_report

BE_DATE_FORMAT = "[$-107041E]d mmm yyyy"
PERSON_HEADINGS = [
    "ลำดับที่", "เลขประจำตัว", "คำนำหน้า", "ชื่อ-สกุล", "ตำแหน่ง/ระดับ", "ประเภทบุคลากร", "รหัสหน่วยงาน",
    "หน่วยงาน", "วันเริ่มปฏิบัติราชการ", "วันพ้นจากราชการ", "เหตุ", "ระยะเวลาปฏิบัติราชการในรอบ", "วันทำการ",
    "วันมาปฏิบัติราชการ", "ลาป่วย (ครั้ง)", "ลาป่วย (วัน)", "ลากิจส่วนตัว (ครั้ง)", "ลากิจส่วนตัว (วัน)",
    "รวมลาป่วยและลากิจส่วนตัว (ครั้ง)", "รวมวันลาป่วยและลากิจส่วนตัว (วัน)", "มาสาย (ครั้ง)", "มาสาย (นาที)",
    "กลับก่อน (ครั้ง)", "ขาดราชการ (วัน)", "ไม่มีบันทึกเวลา รอยืนยัน (วัน)", "ไม่มีบันทึกเวลาออก (วัน)",
    "ไม่มีบันทึกเวลาเข้า (วัน)", "รอผู้บังคับบัญชาตรวจสอบ (วัน)",
    # one column per leave type of `leave_types` but sick and personal, in the report's order
    "ลาพักผ่อน (วัน)", "ลาคลอดบุตร (วัน)", "ลาไปช่วยเหลือภริยาที่คลอดบุตร (วัน)",
    "ลาอุปสมบทหรือลาไปประกอบพิธีฮัจย์ (วัน)", "ลาไปศึกษา ฝึกอบรม ปฏิบัติการวิจัย หรือดูงาน (วัน)",
    "วันลาที่ไม่นับรวม (วัน)", "เกณฑ์ที่ใช้", "ผลการตรวจสอบ", "หมายเหตุ",
]


@pytest.fixture(scope="module")
def report():
    return salary_step_report()


@pytest.fixture(scope="module")
def csv_rows(report):
    data = exports.salary_step_csv(report)
    assert data.startswith(b"\xef\xbb\xbf")  # the BOM: Excel then reads the file as UTF-8
    rows = list(csv.reader(io.StringIO(data.decode("utf-8-sig"))))
    return [dict(zip(rows[0], row)) for row in rows[1:]], rows[0]


@pytest.fixture(scope="module")
def xlsx(report):
    return exports.salary_step_xlsx(report)


@pytest.fixture(scope="module")
def workbook(xlsx):
    return load_workbook(io.BytesIO(xlsx))


@pytest.fixture(scope="module")
def pdf_file(report, tmp_path_factory, xlsx):
    data = pdf.salary_step_pdf(report)
    path = tmp_path_factory.mktemp("salary-step") / "salary-step-2568-2.pdf"
    path.write_bytes(data)
    print(f"sample PDF: {path}")
    if os.environ.get("REPORT_SAMPLE_DIR"):
        keep = Path(os.environ["REPORT_SAMPLE_DIR"])
        keep.mkdir(parents=True, exist_ok=True)
        (keep / "salary-step-2568-2.pdf").write_bytes(data)
        (keep / "salary-step-2568-2.xlsx").write_bytes(xlsx)
        print(f"sample PDF and XLSX kept in {keep}")
    return path


def table(sheet, first_heading: str) -> tuple[int, list[str], list[dict]]:
    """A sheet's table as (header row number, headings, one dict per row)."""
    header_row = next(row[0].row for row in sheet.iter_rows() if row[0].value == first_heading)
    headings = [cell.value for cell in sheet[header_row]]
    rows = [dict(zip(headings, row)) for row in sheet.iter_rows(min_row=header_row + 1)]
    return header_row, headings, rows


def person(rows: list[dict], code: str) -> dict:
    """A CSV row by employee code."""
    return next(row for row in rows if row["เลขประจำตัว"] == code)


def person_cells(rows: list[dict], code: str) -> dict:
    """A sheet row (heading: cell) by employee code."""
    return next(row for row in rows if row["เลขประจำตัว"].value == code)


# CSV

def test_csv_has_one_column_per_count_and_per_leave_type_under_the_documented_headings(csv_rows):
    rows, headings = csv_rows
    assert headings == PERSON_HEADINGS
    assert [row["เลขประจำตัว"] for row in rows] == ["E001", "E002", "E003", "E010", "E011", "E020", "E021", "E022"]


def test_csv_writes_counts_days_and_buddhist_era_dates_as_a_person_reads_them(csv_rows):
    rows, _ = csv_rows
    somchai, prasert, thanakorn, kamonwan = (person(rows, code) for code in ("E001", "E020", "E010", "E011"))
    assert (somchai["ลาป่วย (ครั้ง)"], somchai["ลาป่วย (วัน)"], somchai["ลากิจส่วนตัว (วัน)"]) == ("2", "3", "0.5")
    assert (somchai["รวมวันลาป่วยและลากิจส่วนตัว (วัน)"], somchai["ลาพักผ่อน (วัน)"]) == ("3.5", "5")
    assert somchai["วันเริ่มปฏิบัติราชการ"] == "1 มิ.ย. 2558" and somchai["วันพ้นจากราชการ"] == ""
    assert (prasert["วันพ้นจากราชการ"], prasert["เหตุ"], prasert["ประเภทบุคลากร"]) == ("15 ส.ค. 2568", "ลาออก", "ลูกจ้างประจำ")
    assert person(rows, "E003")["ลาคลอดบุตร (วัน)"] == "90"
    assert person(rows, "E003")["ไม่มีบันทึกเวลาออก (วัน)"] == "2"
    assert (thanakorn["มาสาย (ครั้ง)"], thanakorn["ผลการตรวจสอบ"]) == ("13", "ไม่ผ่านเกณฑ์")
    assert thanakorn["เกณฑ์ที่ใช้"] == "ลาไม่เกิน 23 วัน/10 ครั้ง, สายไม่เกิน 12 ครั้ง"
    assert thanakorn["หมายเหตุ"] == "มาสาย 13 ครั้ง เกินเกณฑ์ 12 ครั้ง"
    assert (kamonwan["ระยะเวลาปฏิบัติราชการในรอบ"], kamonwan["หมายเหตุ"]) == (
        "3 เดือน 29 วัน", "ปฏิบัติราชการ 3 เดือน 29 วัน ไม่ถึง 4 เดือน")


def test_csv_neutralises_text_a_spreadsheet_would_run_as_a_formula(csv_rows):
    rows, _ = csv_rows
    assert person(rows, "E002")["ชื่อ-สกุล"] == "'" + FORMULA_NAME
    assert not [value for row in rows for value in row.values() if value[:1] in ("=", "+", "@")]


# XLSX

def test_xlsx_has_a_summary_one_table_of_people_the_details_and_the_policy(workbook):
    assert workbook.sheetnames == ["สรุป", "รายบุคคล", "รายละเอียด", "เกณฑ์ที่ใช้", "ประเภทการลา"]


def test_xlsx_heading_gives_round_as_of_date_notice_and_policy_version_in_thai(workbook, report):
    heading = [workbook["สรุป"].cell(row=number, column=1).value for number in range(1, 5)]
    assert heading == [report["round_name_th"], "ข้อมูล ณ วันที่ 30 ก.ย. 2568 · พิมพ์เมื่อ 3 ต.ค. 2568 เวลา 09:15 น.",
                       report["notice_th"], "เกณฑ์ตามนโยบายฉบับ 2568-04"]


def test_xlsx_dates_are_dates_shown_in_the_buddhist_era_and_counts_are_numbers(workbook):
    _, headings, rows = table(workbook["รายบุคคล"], "ลำดับที่")
    assert headings == PERSON_HEADINGS
    prasert, somchai, thanakorn = (person_cells(rows, code) for code in ("E020", "E001", "E010"))
    ended = prasert["วันพ้นจากราชการ"]
    assert ended.value == datetime(2025, 8, 15) and ended.number_format == BE_DATE_FORMAT
    assert prasert["วันเริ่มปฏิบัติราชการ"].value == datetime(1998, 11, 2)
    assert somchai["ลากิจส่วนตัว (วัน)"].value == 0.5 and somchai["ลากิจส่วนตัว (วัน)"].number_format == "#,##0.0"
    late = thanakorn["มาสาย (ครั้ง)"]
    assert late.value == 13 and type(late.value) is int and late.number_format == "#,##0"
    assert somchai["ลำดับที่"].value == 1 and somchai["ลาพักผ่อน (วัน)"].value == 5


def test_xlsx_tables_have_autofilters_and_print_on_a4_landscape_one_page_wide_with_repeated_headers(workbook):
    firsts = {"สรุป": "รหัสหน่วยงาน", "รายบุคคล": "ลำดับที่", "รายละเอียด": "เลขประจำตัว", "เกณฑ์ที่ใช้": "ใช้กับ",
              "ประเภทการลา": "ประเภทการลา"}
    for name, first in firsts.items():
        sheet = workbook[name]
        header_row, headings, rows = table(sheet, first)
        data_rows = len([row for row in rows if any(cell.value is not None for cell in row.values())])
        if name == "สรุป":
            data_rows -= 1  # the grand total stays out of the filter: sorting must not move it
        assert sheet.auto_filter.ref == f"A{header_row}:{get_column_letter(len(headings))}{header_row + data_rows}", name
        assert sheet.page_setup.orientation == "landscape" and int(sheet.page_setup.paperSize) == 9  # A4
        assert (sheet.page_setup.fitToWidth, sheet.page_setup.fitToHeight) == (1, 0)
        assert sheet.sheet_properties.pageSetUpPr.fitToPage
        assert sheet.print_title_rows == f"${header_row}:${header_row}", name


def test_xlsx_freezes_the_header_and_the_columns_that_name_a_person(workbook):
    header_row, headings, _ = table(workbook["รายบุคคล"], "ลำดับที่")
    assert workbook["รายบุคคล"].freeze_panes == f"E{header_row + 1}"
    assert headings[:4] == ["ลำดับที่", "เลขประจำตัว", "คำนำหน้า", "ชื่อ-สกุล"]
    header_row, _, _ = table(workbook["รายละเอียด"], "เลขประจำตัว")
    assert workbook["รายละเอียด"].freeze_panes == f"C{header_row + 1}"


def test_xlsx_sets_a_thai_font_on_every_cell(workbook):
    fonts = {cell.font.name for sheet in workbook for row in sheet.iter_rows() for cell in row
             if cell.value is not None}
    assert fonts == {"TH Sarabun New"}


def test_xlsx_summary_rolls_sub_units_up_and_totals_the_top_units_once(workbook):
    sheet = workbook["สรุป"]
    _, _, rows = table(sheet, "รหัสหน่วยงาน")
    counts = [(row["รหัสหน่วยงาน"].value, row["หน่วยงาน"].value, row["จำนวน (คน)"].value, row["ผ่านเกณฑ์"].value,
               row["ใกล้เกณฑ์"].value, row["ไม่ผ่านเกณฑ์"].value, row["ต้องตรวจสอบ"].value) for row in rows]
    assert counts == [("HR", "กองการเจ้าหน้าที่", 5, 1, 1, 2, 1),  # HR-REC's two people included
                      ("HR-REC", "งานสรรหาและบรรจุ", 2, 0, 0, 2, 0),
                      ("FIN", "กองคลัง", 3, 3, 0, 0, 0),
                      (None, "รวมทั้งสิ้น", 8, 4, 1, 2, 1)]  # 5 + 3, not 5 + 2 + 3
    assert [row["หน่วยงาน"].alignment.indent for row in rows[:3]] == [0, 2, 0]


def test_xlsx_detail_sheet_lists_the_dates_behind_each_late_arrival_and_missing_check_out(workbook):
    _, _, rows = table(workbook["รายละเอียด"], "เลขประจำตัว")
    late = [row for row in rows if row["เลขประจำตัว"].value == "E010"]
    assert len(late) == 13 and {row["รายการ"].value for row in late} == {"มาสาย"}
    first = late[0]
    assert first["วันที่"].value == datetime(2025, 4, 7) and first["วันที่"].number_format == BE_DATE_FORMAT
    assert first["เวลาเข้า"].value == time(8, 41) and first["มาสาย (นาที)"].value == 11
    wanpen = [(row["วันที่"].value.date(), row["รายการ"].value, row["เวลาเข้า"].value, row["เวลาออก"].value)
              for row in rows if row["เลขประจำตัว"].value == "E003"]
    assert wanpen == [(date(2025, 5, 6), "ไม่มีบันทึกเวลาออก", time(8, 12, 40), None),
                      (date(2025, 5, 7), "ไม่มีบันทึกเวลา (รอยืนยัน)", None, None),
                      (date(2025, 5, 20), "ไม่มีบันทึกเวลาออก", time(8, 25, 3), None)]


def test_xlsx_policy_sheets_say_in_thai_which_limits_and_leave_types_applied(workbook):
    _, _, rows = table(workbook["เกณฑ์ที่ใช้"], "ใช้กับ")
    policy = [(row["ใช้กับ"].value, row["เกณฑ์"].value, row["ค่า"].value) for row in rows]
    assert ("ทุกหน่วยงาน", "ลาป่วยและลากิจส่วนตัวรวมกันไม่เกิน (วัน)", 23) in policy
    assert ("งานสรรหาและบรรจุ (HR-REC)", "มาสายไม่เกิน (ครั้ง)", 12) in policy
    assert workbook["เกณฑ์ที่ใช้"]["A1"].value == "เกณฑ์ที่ใช้ นโยบายฉบับ 2568-04"
    _, _, rows = table(workbook["ประเภทการลา"], "ประเภทการลา")
    kinds = {row["ประเภทการลา"].value: (row["นับเป็น"].value, row["นับรวมในเกณฑ์วันลาและจำนวนครั้ง"].value)
             for row in rows}
    assert kinds["ลาป่วย"] == ("วันทำการ", "นับ") and kinds["ลาคลอดบุตร"] == ("วันตามปฏิทิน", "ไม่นับ")


def test_xlsx_keeps_formula_looking_text_as_text(workbook, xlsx):
    _, _, rows = table(workbook["รายบุคคล"], "ลำดับที่")
    name = person_cells(rows, "E002")["ชื่อ-สกุล"]
    assert (name.value, name.data_type, name.quotePrefix) == (FORMULA_NAME, "s", True)
    with zipfile.ZipFile(io.BytesIO(xlsx)) as archive:
        sheets = [archive.read(entry).decode() for entry in archive.namelist() if entry.startswith("xl/worksheets/")]
    assert not [sheet for sheet in sheets if "<f>" in sheet or "<f " in sheet]


# PDF

def test_pdf_pages_are_a4_landscape(pdf_file):
    document = pypdfium2.PdfDocument(str(pdf_file))
    sizes = {tuple(round(side) for side in page.get_size()) for page in document}
    document.close()
    assert sizes == {(842, 595)}


def test_pdf_reads_back_the_round_dates_names_page_numbers_and_signature_blocks_in_thai(pdf_file):
    pages = pages_text(pdf_file.read_bytes())
    text = "\n".join(pages)
    assert "ข้อมูลการปฏิบัติราชการประกอบการพิจารณาเลื่อนเงินเดือน" in pages[0]
    # The round's name is compared in two parts: see the expected failure below for "ครั้งที่".
    assert "ปีงบประมาณ พ.ศ. 2568" in pages[0] and "(1 เม.ย. 2568 - 30 ก.ย. 2568)" in pages[0]
    assert "ข้อมูล ณ วันที่ 30 ก.ย. 2568" in pages[0] and "พิมพ์เมื่อ 3 ต.ค. 2568 เวลา 09:15 น." in pages[0]
    assert "รายงานนี้แสดงข้อมูลการลา การมาสาย การขาดราชการ และระยะเวลาปฏิบัติราชการ" in pages[0]
    assert "นายสมชาย ใจดี" in text and "นางสาวกมลวรรณ แก้ว" in text and FORMULA_NAME[:12] in text
    assert [f"หน้า {number}/{len(pages)}" in page for number, page in enumerate(pages, start=1)] == [True] * len(pages)
    last = pages[-1]
    assert all(role in last for role in ("ผู้จัดทำ", "ผู้ตรวจสอบ", "หัวหน้าหน่วยงาน"))
    assert last.count("ตำแหน่ง ....") == 3 and last.count("(....") == 3 and last.count("วันที่ ....") == 3


@pytest.mark.xfail(strict=True, reason="Typst 0.15 writes a syllable with two marks stacked above its consonant "
                                       "(ครั้ง, ทั้ง, สวัสดิ์) twice into the text layer (typst#4225, krilla#411); "
                                       "the print is right. Strict: it fails once Typst fixes it.")
def test_pdf_reads_back_syllables_with_stacked_marks_once(pdf_file):
    assert "ปีงบประมาณ พ.ศ. 2568 ครั้งที่ 2" in pages_text(pdf_file.read_bytes())[0]


def test_pdf_repeats_the_table_header_on_every_page_of_a_long_unit(report, tmp_path):
    path = tmp_path / "long-unit.pdf"
    path.write_bytes(pdf.salary_step_pdf(many_people(report, 120, unit_size=120)))
    pages = pages_text(path.read_bytes())
    assert len(pages) >= 3
    # Header cells wrap, so their words come back on lines of their own.
    assert all("ประจำตัว" in page and "ชื่อ-สกุล" in page and "หมายเหตุ" in page for page in pages)


def test_pdf_failure_raises_with_typst_message(report, monkeypatch, tmp_path):
    monkeypatch.setattr(pdf, "TEMPLATE", tmp_path / "missing.typ")
    with pytest.raises(RuntimeError, match="(?s)Typst could not make the salary-step PDF: .*No such file"):
        pdf.salary_step_pdf(report)
