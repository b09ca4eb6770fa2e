"""The files the bulletins and the assessment table are handed out as: .xlsx tables through the shared
workbook writer (core.workbooks), and a bulletin's .docx report with Chinese fonts set on every style.

Files are written in the portal's language (Chinese): a bulletin is a document kept as written, and
the assessment table is read and filed by Chinese offices.
"""

import io

from django.conf import settings
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from docx import Document
from docx.enum.style import WD_STYLE_TYPE
from docx.oxml.ns import qn

from core.workbooks import Sheet, ledger_heading, workbook_bytes
from notifications.texts import Text

from ..indicators import INDICATORS, Unit
from .selectors import as_number, readable, table_rows

CHINESE_FONT = "SimSun"  # 宋体: on every Chinese Windows and in WPS; Word falls back to another Song face elsewhere
TWO_DECIMALS = "0.00"


def _indicator_header(indicator):
    return f"{indicator.name}（{Unit.LABELS[indicator.unit]}）"


def assessment_table_workbook(period, user):
    """The assessment table of `period` for `user`'s region and the regions below: region, score, ranks and
    every indicator's value, as an .xlsx (bytes)."""
    rows = table_rows(period, user)
    with translation.override(settings.LANGUAGE_CODE):
        headers = ["地区代码", "地区", "层级", "得分", "同级排名", "同级参评数", "全省排名"]
        headers += [_indicator_header(indicator) for indicator in INDICATORS]
        data = []
        for region, score, values in rows:
            line = [
                region.code,
                region.full_name,
                str(region.get_level_display()),
                as_number(score.score) if score else None,
                score.rank_among_peers if score else None,
                score.peers if score else None,
                score.rank_in_province if score else None,
            ]
            for indicator in INDICATORS:
                found = values.get(indicator.code)
                line.append(as_number(found.value) if found else None)
            data.append(line)
        title = _("Assessment %(period)s") % {"period": period.label}
        heading = ledger_heading(f"考核表 {period.label}", user.region.full_name if user.region_id else "")
        formats = {3: TWO_DECIMALS, **{7 + index: TWO_DECIMALS for index in range(len(INDICATORS))}}
        return workbook_bytes([Sheet(title, headers, data, heading=heading, number_formats=formats)])


def assessment_table_file_name(period, region):
    return f"考核表-{period.label}-{region.name}.xlsx"


def bulletin_workbook(content):
    """A bulletin's table: the ranking of the regions below with each scheme indicator, and the region's totals."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = readable(content)
        columns = shown["columns"]
        heading = ledger_heading(
            f"工作通报 {content.get('issue', '')}".strip(),
            (content.get("region") or {}).get("name", ""),
            today=timezone.localdate(),
        )
        ranking = Sheet(
            "排名",
            ["排名", "地区代码", "地区", "得分", "上期得分", "变化"]
            + [f"{column['name']}（{column['unit']}）" for column in columns],
            [
                [row["rank"], row["code"], row["name"], row["score"], row["previous_score"], row["change"], *row["numbers"]]
                for row in shown["ranking"]
            ],
            heading=heading,
            number_formats={index: TWO_DECIMALS for index in range(3, 6 + len(columns))},
        )
        totals = Sheet(
            "总体情况",
            ["指标", "单位", "数值", "分子", "分母"],
            [[row["name"], row["unit"], row["value"], row["numerator"], row["denominator"]] for row in shown["totals"]],
            heading=heading,
            number_formats={2: TWO_DECIMALS},
        )
        behind = Sheet(
            "进度靠后",
            ["排名", "地区", "得分", "差距较大的指标"],
            [
                [
                    row["rank"],
                    row["name"],
                    row["score"],
                    "；".join(f"{entry['name']} {entry['shown']}（目标 {entry['target']}）" for entry in row["weakest"]),
                ]
                for row in shown["behind"]
            ],
            heading=heading,
        )
        best = Sheet(
            "最好成绩",
            ["指标", "最好成绩", "地区"],
            [[row["name"], row["shown"], "、".join(region["name"] for region in row["regions"])] for row in shown["best"]],
            heading=heading,
        )
        return workbook_bytes([ranking, totals, behind, best])


def bulletin_title(content):
    return str(bulletin_heading(content))


def bulletin_heading(content):
    """The bulletin's title as a message, put into its reader's language when shown (the notice's title)."""
    region = (content.get("region") or {}).get("name", "")
    issue = content.get("issue", "")
    return Text(gettext_lazy("%(region)s progress bulletin of the liaison campaign, %(issue)s"), region=region, issue=issue)


def _set_chinese_fonts(document):
    """Every style of the document in the Chinese font, East Asian text included, so Chinese renders in
    Word and WPS instead of falling back to boxes or a Western face."""
    for style in document.styles:
        if style.type not in (WD_STYLE_TYPE.PARAGRAPH, WD_STYLE_TYPE.CHARACTER, WD_STYLE_TYPE.TABLE):
            continue
        style.font.name = CHINESE_FONT
        fonts = style.element.get_or_add_rPr().get_or_add_rFonts()
        fonts.set(qn("w:eastAsia"), CHINESE_FONT)
        for theme in ("w:asciiTheme", "w:hAnsiTheme", "w:eastAsiaTheme", "w:cstheme"):
            fonts.attrib.pop(qn(theme), None)


def _table(document, headers, rows):
    table = document.add_table(rows=1, cols=len(headers))
    table.style = "Table Grid"
    for cell, header in zip(table.rows[0].cells, headers, strict=True):
        cell.text = str(header)
        for run in cell.paragraphs[0].runs:
            run.bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)
    return table


def bulletin_report(content):
    """A bulletin's report as a .docx (bytes): totals, ranking, the regions behind and the best results."""
    with translation.override(settings.LANGUAGE_CODE):
        shown = readable(content)
        document = Document()
        _set_chinese_fonts(document)
        document.add_heading(bulletin_title(content), level=0)
        document.add_paragraph(
            _("Assessment period %(period)s, figures as of %(as_of)s. Scheme: %(scheme)s.")
            % {
                "period": shown["period"].get("label", ""),
                "as_of": shown["as_of"],
                "scheme": shown["scheme_name"] or "—",
            }
        )
        document.add_heading(_("1. Totals"), level=1)
        _table(
            document,
            [_("Indicator"), _("Value"), _("Numerator"), _("Denominator")],
            [[row["name"], row["shown"], row["numerator"], row["denominator"]] for row in shown["totals"]],
        )
        document.add_heading(_("2. Ranking"), level=1)
        if shown["ranking"]:
            _table(
                document,
                [_("Rank"), _("Region"), _("Score"), _("Previous period"), *[column["name"] for column in shown["columns"]]],
                [
                    [row["rank"] or "—", row["name"], row["score"], row["previous_score"], *row["shown"]]
                    for row in shown["ranking"]
                ],
            )
        else:
            document.add_paragraph(_("No region below is assessed yet."))
        document.add_heading(_("3. Regions behind"), level=1)
        for row in shown["behind"]:
            weakest = "；".join(
                _("%(name)s %(value)s (target %(target)s)")
                % {"name": entry["name"], "value": entry["shown"], "target": entry["target"]}
                for entry in row["weakest"]
            )
            document.add_paragraph(
                _("%(name)s, rank %(rank)s, score %(score)s.") % {"name": row["name"], "rank": row["rank"], "score": row["score"]}
                + (" " + _("Furthest from the target: %(list)s.") % {"list": weakest} if weakest else ""),
                style="List Bullet",
            )
        if not shown["behind"]:
            document.add_paragraph(_("No region is behind."))
        document.add_heading(_("4. Best results"), level=1)
        for row in shown["best"]:
            document.add_paragraph(
                _("%(indicator)s: %(value)s, %(regions)s.")
                % {"indicator": row["name"], "value": row["shown"], "regions": "、".join(r["name"] for r in row["regions"])},
                style="List Bullet",
            )
        if not shown["best"]:
            document.add_paragraph(_("No result to report yet."))
        buffer = io.BytesIO()
        document.save(buffer)
        return buffer.getvalue()
