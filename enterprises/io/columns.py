"""The columns of the import and export spreadsheets, and how each cell is read and written.

The column headers are part of the file format and stay in Chinese whatever the reader's language,
so a file prepared by one official imports for any other, and an export can be edited and imported
again. Each widget turns one cell into a value, or raises ValueError with the reason in the reader's
language; the fenced widgets accept only what the importing official may see: they are built for
that official (`actor`, a required argument), by the resource of each import.
"""

import re
from datetime import date, datetime
from decimal import Decimal, InvalidOperation

from django.utils import translation
from django.utils.translation import gettext as _
from import_export import widgets

from accounts.models import Region, RegionLevel, User

from ..credit_codes import normalise
from ..models import Enterprise, Industry, Tag


class Col:
    """The column headers of the import files, the template and the export."""

    NAME = "企业名称"
    CREDIT_CODE = "统一社会信用代码"
    REGION = "所在地区代码"
    ADDRESS = "详细地址"
    INDUSTRY = "行业门类"
    OWNERSHIP = "经济类型"
    SIZE = "企业规模"
    STATUS = "经营状态"
    EMPLOYEES = "从业人数"
    REVENUE = "年营业收入（万元）"
    LEGAL_REPRESENTATIVE = "法定代表人"
    CONTACT_NAME = "联系人"
    CONTACT_MOBILE = "联系人手机"
    TAGS = "标签"
    # Export only: read for information, ignored when the file is imported again.
    CURRENT_LIAISONS = "当前联系干部"
    OFFICIAL_USERNAME = "联系干部用户名"
    STARTED_ON = "开始日期"
    REASON = "原因"


TAG_SEPARATORS = re.compile(r"[、,，;；]")
EXPORT_TAG_SEPARATOR = "、"
DATE_FORMATS = ("%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y年%m月%d日")


def cell_value(value):
    return "" if value is None else str(value).strip()


class TextWidget(widgets.CharWidget):
    def clean(self, value, row=None, **kwargs):
        return cell_value(value)


class CreditCodeWidget(TextWidget):
    """Credit codes are compared and stored normalised (capitals, no spaces or dashes)."""

    def clean(self, value, row=None, **kwargs):
        return normalise(cell_value(value))


class WholeNumberWidget(widgets.IntegerWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_value(value).replace(",", "")
        if not text:
            return None
        try:
            number = Decimal(text)
        except InvalidOperation:
            number = None
        if number is None or not number.is_finite() or number != number.to_integral_value() or len(text) > 12:
            raise ValueError(_("Enter a whole number, such as 120."))
        return int(number)

    def render(self, value, obj=None, **kwargs):
        return value


class AmountWidget(widgets.DecimalWidget):
    def clean(self, value, row=None, **kwargs):
        text = cell_value(value).replace(",", "")
        if not text:
            return None
        try:
            amount = Decimal(text)
        except InvalidOperation:
            amount = None
        if amount is None or not amount.is_finite() or len(text) > 20:
            raise ValueError(_("Enter a number, such as 3500.5."))
        return amount

    def render(self, value, obj=None, **kwargs):
        return value


class ChoiceWidget(widgets.Widget):
    """A TextChoices value written as its Simplified Chinese label.

    Labels are lazily translated, so the Chinese label is read with zh-hans active; the English label
    and the stored value are accepted too. A blank cell gives None, which the field does not save:
    the enterprise keeps its current value (or the model's default when it is new).
    """

    def __init__(self, choices, **kwargs):
        self.choices = choices
        super().__init__(**kwargs)

    def _labels(self):
        labels = {}
        for language in ("en", "zh-hans"):
            with translation.override(language):
                labels.update({str(label).casefold(): value for value, label in self.choices.choices})
        labels.update({value.casefold(): value for value in self.choices.values})
        return labels

    def clean(self, value, row=None, **kwargs):
        text = cell_value(value)
        if not text:
            return None
        if not hasattr(self, "_by_label"):
            self._by_label = self._labels()
        try:
            return self._by_label[text.casefold()]
        except KeyError:
            raise ValueError(
                _("%(value)s is not one of: %(choices)s.") % {"value": text, "choices": "、".join(self.chinese_labels())}
            ) from None

    def chinese_labels(self):
        with translation.override("zh-hans"):
            return [str(label) for label in self.choices.labels]

    def render(self, value, obj=None, **kwargs):
        if not value:
            return ""
        with translation.override("zh-hans"):
            return str(self.choices(value).label)


class RegionWidget(widgets.Widget):
    """A county-level region the importing official (`actor`) may see: its six-digit code, or its full
    name (济南市 历下区), or its own name when that is unique among the official's counties."""

    def __init__(self, *, actor, **kwargs):
        self.actor = actor
        # Other regions the rows of the batch name by code (None for a code no region has): to say why they
        # are refused without a query per row.
        self._others = {}
        super().__init__(**kwargs)

    def load_batch(self, values):
        """Look up, in one query, the six-digit codes among `values` that are not the official's counties."""
        if not hasattr(self, "_by_code"):
            self._load()
        codes = {cell_value(value) for value in values}
        codes = {code for code in codes if re.fullmatch(r"\d{6}", code) and code not in self._by_code}
        self._others = dict.fromkeys(codes)
        if codes:
            self._others.update({region.code: region for region in Region.objects.filter(code__in=codes)})

    def _load(self):
        counties = list(Region.objects.visible_to(self.actor).counties().select_related("parent"))
        self._by_code = {region.code: region for region in counties}
        self._by_name = {}
        for region in counties:
            self._by_name.setdefault(region.full_name.replace(" ", ""), region)
        names = [region.name for region in counties]
        self._by_name.update({region.name: region for region in counties if names.count(region.name) == 1})

    def clean(self, value, row=None, **kwargs):
        text = cell_value(value)
        if not text:
            raise ValueError(_("Enter the six-digit code of a county-level region, such as 370102."))
        if not hasattr(self, "_by_code"):
            self._load()
        region = self._by_code.get(text) or self._by_name.get(re.sub(r"\s+", "", text))
        if region is not None:
            return region
        if not re.fullmatch(r"\d{6}", text):
            raise ValueError(
                _("No county-level region of yours is named %(value)s: give its six-digit code, such as 370102.")
                % {"value": text}
            )
        known = self._others[text] if text in self._others else Region.objects.filter(code=text).first()
        if known is None:
            raise ValueError(_("There is no region with the code %(code)s.") % {"code": text})
        if known.level != RegionLevel.COUNTY:
            raise ValueError(
                _("%(name)s is not a county-level region: give the code of a county, district or county-level city.")
                % {"name": known.name}
            )
        raise ValueError(_("%(name)s (%(code)s) is not in your region.") % {"name": known.name, "code": known.code})

    def render(self, value, obj=None, **kwargs):
        return value.code if value else ""


class IndustryWidget(widgets.Widget):
    """A section of GB/T 4754: its letter (C), its Chinese name (制造业), or both (C 制造业)."""

    def _load(self):
        self._lookup = {}
        for industry in Industry.objects.all():
            for key in (industry.code, industry.name_zh, industry.name_en, f"{industry.code}{industry.name_zh}"):
                self._lookup[re.sub(r"\s+", "", key).casefold()] = industry

    def clean(self, value, row=None, **kwargs):
        text = cell_value(value)
        if not text:
            raise ValueError(_("Enter the industry section: a letter from A to T or its Chinese name."))
        if not hasattr(self, "_lookup"):
            self._load()
        industry = self._lookup.get(re.sub(r"\s+", "", text).casefold())
        if industry is None:
            raise ValueError(
                _("Unknown industry %(value)s: give a section letter from A to T or its Chinese name.") % {"value": text}
            )
        return industry

    def render(self, value, obj=None, **kwargs):
        return value.name_zh if value else ""


class TagsWidget(widgets.ManyToManyWidget):
    """Tag names separated by 、 , or ;. Every name must be a tag the administrators keep (whether
    it is still in use depends on the enterprise, and is checked by the resource)."""

    def __init__(self, **kwargs):
        super().__init__(model=Tag, separator=EXPORT_TAG_SEPARATOR, field="name", **kwargs)

    def _load(self):
        self._by_name = {tag.name: tag for tag in Tag.objects.all()}

    def clean(self, value, row=None, **kwargs):
        names = [name.strip() for name in TAG_SEPARATORS.split(cell_value(value))]
        names = list(dict.fromkeys(name for name in names if name))
        if not hasattr(self, "_by_name"):
            self._load()
        unknown = [name for name in names if name not in self._by_name]
        if unknown:
            raise ValueError(
                _("Unknown tags: %(names)s. Use the tags in the list the administrators keep.") % {"names": "、".join(unknown)}
            )
        return [self._by_name[name] for name in names]

    def render(self, value, obj=None, **kwargs):
        return EXPORT_TAG_SEPARATOR.join(tag.name for tag in value.all()) if value is not None else ""


class DateWidget(widgets.Widget):
    def clean(self, value, row=None, **kwargs):
        if isinstance(value, datetime):
            return value.date()
        if isinstance(value, date):
            return value
        text = cell_value(value)
        if not text:
            return None
        for date_format in DATE_FORMATS:
            try:
                return datetime.strptime(text, date_format).date()
            except ValueError:
                continue
        raise ValueError(_("Enter the date as YYYY-MM-DD, such as 2025-03-01."))

    def render(self, value, obj=None, **kwargs):
        return value.isoformat() if value else ""


class VisibleEnterpriseWidget(widgets.Widget):
    """An enterprise by its credit code, among those the importing official (`actor`) may see. One
    outside their region gets the same answer as one that does not exist."""

    def __init__(self, *, actor, **kwargs):
        self.actor = actor
        self.by_code = {}
        super().__init__(**kwargs)

    def load(self, codes):
        enterprises = Enterprise.objects.visible_to(self.actor).filter(credit_code__in=codes).select_related("region")
        self.by_code = {enterprise.credit_code: enterprise for enterprise in enterprises}

    def clean(self, value, row=None, **kwargs):
        code = normalise(cell_value(value))
        if not code:
            raise ValueError(_("Enter the enterprise's unified social credit code."))
        try:
            return self.by_code[code]
        except KeyError:
            raise ValueError(_("No enterprise in your region has the credit code %(code)s.") % {"code": code}) from None

    def render(self, value, obj=None, **kwargs):
        return value.credit_code if value else ""


class VisibleOfficialWidget(widgets.Widget):
    """An official by username, among those the importing official (`actor`) may see."""

    def __init__(self, *, actor, **kwargs):
        self.actor = actor
        self.by_username = {}
        super().__init__(**kwargs)

    def load(self, usernames):
        officials = (
            User.objects.visible_to(self.actor)
            .filter(username__in=usernames)
            .select_related("region", "department")
            .prefetch_related("groups")
        )
        self.by_username = {official.username: official for official in officials}

    def clean(self, value, row=None, **kwargs):
        username = cell_value(value)
        if not username:
            raise ValueError(_("Enter the liaison cadre's username."))
        try:
            return self.by_username[username]
        except KeyError:
            raise ValueError(_("No official in your region has the username %(username)s.") % {"username": username}) from None

    def render(self, value, obj=None, **kwargs):
        return value.username if value else ""
