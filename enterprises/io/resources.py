"""How enterprises and liaison assignments map to spreadsheet rows (django-import-export resources).

Both resources are fenced: they take the importing official (`actor`) and accept only regions,
enterprises and officials that official may see. The columns and the reading of each cell are in
`columns.py`.

Rows are read in batches of `BATCH_SIZE`: what a batch needs from the database (the enterprises of its
credit codes, which of them the official may change, its officials, their current liaisons, regions it
names that are not the official's) is loaded when the batch starts, in a fixed number of queries; the
regions, industries and tags the official may use are loaded once per import. The preview (a dry run)
then checks each row without any query of its own, so a file of 5,000 rows costs a few dozen queries.
"""

from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.utils import timezone, translation
from django.utils.translation import gettext as _
from import_export import resources
from import_export.fields import Field
from import_export.instance_loaders import BaseInstanceLoader
from import_export.results import RowResult

from .. import services
from ..credit_codes import normalise
from ..models import Enterprise, LiaisonAssignment, Ownership, Size, Status
from .columns import (
    AmountWidget,
    ChoiceWidget,
    Col,
    CreditCodeWidget,
    DateWidget,
    IndustryWidget,
    RegionWidget,
    TagsWidget,
    TextWidget,
    VisibleEnterpriseWidget,
    VisibleOfficialWidget,
    WholeNumberWidget,
    cell_value,
)

# The rows of one batch: what they need from the database is loaded in one go when the batch starts.
BATCH_SIZE = 500


class BatchInstanceLoader(BaseInstanceLoader):
    """The enterprise of a row's credit code, from those its batch loaded (see `load_batch`)."""

    def get_instance(self, row):
        return self.resource.batch_instances.get(self.resource.fields["credit_code"].clean(row))


class FencedResource(resources.ModelResource):
    """What both resources share: the acting official, the spreadsheet's own row numbers, and the batches.

    The fields that read regions, enterprises or officials are not declared on the class: each resource
    builds them in `fenced_fields(actor)`, their widgets made for the importing official. An export, which
    only writes cells, needs no actor; an import always has one.

    `on_batch(rows_done)`, when given, is called as each batch starts, with the number of rows done before
    it: the preview's progress.
    """

    def __init__(self, *, actor=None, row_numbers=None, batch_size=None, on_batch=None, **kwargs):
        super().__init__(**kwargs)
        self.actor = actor
        self.row_numbers = row_numbers or []
        self.batch_size = batch_size or BATCH_SIZE
        self.on_batch = on_batch
        self.batch_end = 0
        self.dataset = None
        self.fields.update(self.fenced_fields(actor))

    @classmethod
    def fenced_fields(cls, actor):
        """The fields, by name, whose widgets accept only what `actor` may see."""
        return {}

    def before_import(self, dataset, **kwargs):
        self.dataset = dataset
        self.batch_end = 0

    def before_import_row(self, row, **kwargs):
        self.previewing = self._is_dry_run(kwargs)
        number = kwargs["row_number"]  # from 1, in the dataset
        if number > self.batch_end:
            if self.on_batch is not None:
                self.on_batch(number - 1)
            values = self.dataset[number - 1 : number - 1 + self.batch_size]
            self.batch_end = number - 1 + len(values)
            self.load_batch([dict(zip(self.dataset.headers, row_values, strict=False)) for row_values in values])

    def load_batch(self, rows):
        """Load what the rows of the next batch (dicts by column header) need, in a fixed number of queries."""

    def sheet_row(self, row_number):
        """The row as the reader sees it in the spreadsheet (the header is row 1)."""
        if 0 < row_number <= len(self.row_numbers):
            return self.row_numbers[row_number - 1]
        return row_number + 1

    def column_of(self, attribute):
        if attribute == NON_FIELD_ERRORS:
            return ""
        for field in self.fields.values():
            if field.attribute == attribute:
                return field.column_name
        return attribute

    def save_instance(self, instance, is_create, row, **kwargs):
        # The preview (a dry run) validates every row, but writes nothing, not even in a transaction
        # rolled back later: a long dry run would hold the database's write lock for nothing. What only
        # saving could reveal is caught when the import is confirmed, all or nothing.
        if self._is_dry_run(kwargs):
            return
        super().save_instance(instance, is_create, row, **kwargs)

    def after_import(self, dataset, result, **kwargs):
        # ModelResource resets the table's id sequence here, for imports that carry ids. These never
        # do, and resetting a sequence while other transactions insert rows could hand out an id twice.
        pass


class EnterpriseResource(FencedResource):
    """Enterprises keyed on their normalised credit code.

    A row creates an enterprise, updates the one with its credit code, or is reported unchanged when
    every value (tags included) is what the register holds. An enterprise outside the importing
    official's region is never updated: its row is an error.
    """

    name = Field(attribute="name", column_name=Col.NAME, widget=TextWidget())
    credit_code = Field(attribute="credit_code", column_name=Col.CREDIT_CODE, widget=CreditCodeWidget())
    # region: fenced, see fenced_fields()
    address = Field(attribute="address", column_name=Col.ADDRESS, widget=TextWidget())
    industry = Field(attribute="industry", column_name=Col.INDUSTRY, widget=IndustryWidget())
    ownership = Field(attribute="ownership", column_name=Col.OWNERSHIP, widget=ChoiceWidget(Ownership), saves_null_values=False)
    size = Field(attribute="size", column_name=Col.SIZE, widget=ChoiceWidget(Size), saves_null_values=False)
    status = Field(attribute="status", column_name=Col.STATUS, widget=ChoiceWidget(Status), saves_null_values=False)
    employees = Field(attribute="employees", column_name=Col.EMPLOYEES, widget=WholeNumberWidget())
    annual_revenue = Field(attribute="annual_revenue", column_name=Col.REVENUE, widget=AmountWidget())
    legal_representative = Field(attribute="legal_representative", column_name=Col.LEGAL_REPRESENTATIVE, widget=TextWidget())
    contact_name = Field(attribute="contact_name", column_name=Col.CONTACT_NAME, widget=TextWidget())
    contact_mobile = Field(attribute="contact_mobile", column_name=Col.CONTACT_MOBILE, widget=TextWidget())
    tags = Field(attribute="tags", column_name=Col.TAGS, widget=TagsWidget())
    current_liaisons = Field(column_name=Col.CURRENT_LIAISONS, readonly=True)

    class Meta:
        model = Enterprise
        fields = (
            "name",
            "credit_code",
            "region",
            "address",
            "industry",
            "ownership",
            "size",
            "status",
            "employees",
            "annual_revenue",
            "legal_representative",
            "contact_name",
            "contact_mobile",
            "tags",
            "current_liaisons",
        )
        import_id_fields = ["credit_code"]
        instance_loader_class = BatchInstanceLoader
        clean_model_instances = True
        skip_unchanged = True
        report_skipped = True
        # Changes are worked out in import_instance, so the library's copy and HTML diff are not needed.
        skip_diff = True
        store_instance = True
        use_transactions = True

    @classmethod
    def fenced_fields(cls, actor):
        return {"region": Field(attribute="region", column_name=Col.REGION, widget=RegionWidget(actor=actor))}

    COLUMNS = [
        Col.NAME,
        Col.CREDIT_CODE,
        Col.REGION,
        Col.ADDRESS,
        Col.INDUSTRY,
        Col.OWNERSHIP,
        Col.SIZE,
        Col.STATUS,
        Col.EMPLOYEES,
        Col.REVENUE,
        Col.LEGAL_REPRESENTATIVE,
        Col.CONTACT_NAME,
        Col.CONTACT_MOBILE,
        Col.TAGS,
    ]
    REQUIRED_COLUMNS = [Col.NAME, Col.CREDIT_CODE, Col.REGION, Col.INDUSTRY, Col.SIZE]
    EXPORT_ONLY_COLUMNS = [Col.CURRENT_LIAISONS]

    def get_queryset(self):
        # Not fenced: an enterprise of another region must be found, to be refused rather than
        # taken for a new one.
        return Enterprise.objects.select_related("region__parent", "industry").prefetch_related("tags")

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.batch_instances, self.visible_ids = {}, set()
        self.first_row_of_code = {}

    def load_batch(self, rows):
        codes = {normalise(cell_value(row.get(Col.CREDIT_CODE))) for row in rows} - {""}
        # Two queries: the enterprises and their tags. Not fenced, so that an enterprise of another region
        # is found, to be refused rather than taken for a new one; a third says which may be changed.
        enterprises = self.get_queryset().filter(credit_code__in=codes)
        self.batch_instances = {enterprise.credit_code: enterprise for enterprise in enterprises}
        found = [enterprise.pk for enterprise in self.batch_instances.values()]
        visible = Enterprise.objects.visible_to(self.actor).filter(pk__in=found)
        self.visible_ids = set(visible.values_list("pk", flat=True)) if found else set()
        self.fields["region"].widget.load_batch(row.get(Col.REGION) for row in rows)

    def import_instance(self, instance, row, **kwargs):
        if instance.pk is not None and instance.pk not in self.visible_ids:
            raise ValidationError(
                {
                    "credit_code": [
                        _("This credit code belongs to an enterprise that is not in your region; it cannot be changed here.")
                    ]
                }
            )
        errors = {}
        code = self.fields["credit_code"].clean(row)
        if code:
            first = self.first_row_of_code.setdefault(code, kwargs["row_number"])
            if first != kwargs["row_number"]:
                errors["credit_code"] = [
                    _("This credit code is already on row %(row)d of the file.") % {"row": self.sheet_row(first)}
                ]
        tracked = [
            field
            for field in self.get_import_fields()
            if field.attribute and not field.readonly and field.attribute != "tags" and field.column_name in row
        ]
        before = {field.attribute: field.get_value(instance) for field in tracked}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        changed = [field.column_name for field in tracked if field.get_value(instance) != before[field.attribute]]
        if Col.TAGS in row:
            try:
                instance.imported_tags = self.fields["tags"].clean(row)
            except ValueError as error:
                errors["tags"] = [str(error)]
            else:
                current = {tag.pk for tag in instance.tags.all()} if instance.pk else set()
                # A tag no longer in use may stay on an enterprise that has it, but not be given anew.
                retired = [tag.name for tag in instance.imported_tags if not tag.is_active and tag.pk not in current]
                if retired:
                    errors["tags"] = [_("Tags no longer in use: %(names)s.") % {"names": "、".join(retired)}]
                if {tag.pk for tag in instance.imported_tags} != current:
                    changed.append(Col.TAGS)
        instance.changed_columns = changed
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        if not self._meta.skip_unchanged or import_validation_errors or instance.pk is None:
            return False
        return not instance.changed_columns

    # The fields whose values come from the batch's lookups: they exist, so their existence needs no query.
    LOOKED_UP = ("region", "industry")

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        """The confirmed import runs the model's full_clean. The preview checks the same without a query per row:
        what full_clean asks the database is already known from the batch's lookups.

        - the region and the industry exist: the widgets took them from the database (and the region widget
          offers counties only, which is what `Enterprise.clean` checks);
        - the credit code is unique: an enterprise already holding it was found by the batch's lookup, and the
          row updates it (or is refused when outside the official's region); twice in the file is an error of
          `import_instance`.
        """
        if not getattr(self, "previewing", False):
            return super().validate_instance(instance, import_validation_errors, validate_unique)
        errors = dict(import_validation_errors or {})
        looked_up = {name for name in self.LOOKED_UP if getattr(instance, f"{name}_id") is not None}
        try:
            instance.clean_fields(exclude=set(errors) | looked_up)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        if errors:
            raise ValidationError(errors)

    def save_m2m(self, instance, row, **kwargs):
        # Only when the tags change: setting them writes history rows even when they stay the same.
        if not self._is_dry_run(kwargs) and Col.TAGS in instance.changed_columns:
            instance.tags.set(instance.imported_tags)

    def dehydrate_current_liaisons(self, enterprise):
        liaisons = getattr(enterprise, "current_liaisons", None)
        if liaisons is None:
            liaisons = enterprise.assignments.current().select_related("official").order_by("level")
        with translation.override("zh-hans"):
            return "；".join(f"{liaison.get_level_display()}：{liaison.official.display_name}" for liaison in liaisons)

    def describe(self, instance, row_result):
        """What the preview says about a row: the columns that change."""
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE:
            return "、".join(getattr(instance, "changed_columns", []))
        return ""

    @staticmethod
    def label(row):
        name, code = cell_value(row.get(Col.NAME)), cell_value(row.get(Col.CREDIT_CODE))
        return f"{name}（{code}）" if name and code else name or code


class AssignmentResource(FencedResource):
    """Liaison assignments, applied through `services.assign_liaison`.

    A row makes the cadre the enterprise's liaison at the cadre's level (new), replaces another
    cadre at that level (update), or is unchanged when the cadre is already the current liaison.
    """

    # enterprise, official: fenced, see fenced_fields()
    started_on = Field(attribute="started_on", column_name=Col.STARTED_ON, widget=DateWidget(), default=timezone.localdate)
    reason = Field(attribute="reason", column_name=Col.REASON, widget=TextWidget())

    class Meta:
        model = LiaisonAssignment
        fields = ("enterprise", "official", "started_on", "reason")
        # Every row is a new instruction; which assignment it touches is assign_liaison's business.
        force_init_instance = True
        skip_unchanged = True
        report_skipped = True
        skip_diff = True
        store_instance = True
        use_transactions = True

    @classmethod
    def fenced_fields(cls, actor):
        return {
            "enterprise": Field(attribute="enterprise", column_name=Col.CREDIT_CODE, widget=VisibleEnterpriseWidget(actor=actor)),
            "official": Field(attribute="official", column_name=Col.OFFICIAL_USERNAME, widget=VisibleOfficialWidget(actor=actor)),
        }

    COLUMNS = [Col.CREDIT_CODE, Col.OFFICIAL_USERNAME, Col.STARTED_ON, Col.REASON]
    REQUIRED_COLUMNS = [Col.CREDIT_CODE, Col.OFFICIAL_USERNAME]
    EXPORT_ONLY_COLUMNS = []

    def before_import(self, dataset, **kwargs):
        super().before_import(dataset, **kwargs)
        self.current = {}
        self.first_row_of_place = {}

    def load_batch(self, rows):
        # Four queries: the enterprises, the officials and their groups, the enterprises' current liaisons.
        self.fields["enterprise"].widget.load({normalise(cell_value(row.get(Col.CREDIT_CODE))) for row in rows})
        self.fields["official"].widget.load({cell_value(row.get(Col.OFFICIAL_USERNAME)) for row in rows})
        enterprise_ids = [enterprise.pk for enterprise in self.fields["enterprise"].widget.by_code.values()]
        current = LiaisonAssignment.objects.filter(enterprise_id__in=enterprise_ids, ended_on__isnull=True).select_related(
            "official"
        )
        self.current = {(assignment.enterprise_id, assignment.level): assignment for assignment in current}

    def import_instance(self, instance, row, **kwargs):
        errors = {}
        try:
            super().import_instance(instance, row, **kwargs)
        except ValidationError as error:
            errors = error.update_error_dict(errors)
        instance.replaces = None
        instance.unchanged = False
        enterprise = instance.enterprise if "enterprise" not in errors else None
        official = instance.official if "official" not in errors else None
        if enterprise is not None and official is not None and official.region_id:
            place = (enterprise.pk, official.region.level)
            first = self.first_row_of_place.setdefault(place, kwargs["row_number"])
            if first != kwargs["row_number"]:
                errors.setdefault("official", []).append(
                    _("Row %(row)d of the file already gives this enterprise a liaison at this level.")
                    % {"row": self.sheet_row(first)}
                )
            current = self.current.get(place)
            if current is not None and current.official_id == official.pk:
                instance.unchanged = True
            elif current is not None:
                instance.replaces = current
        if errors:
            raise ValidationError(errors)

    def skip_row(self, instance, original, row, import_validation_errors=None):
        return self._meta.skip_unchanged and not import_validation_errors and instance.unchanged

    def validate_instance(self, instance, import_validation_errors=None, validate_unique=True):
        errors = dict(import_validation_errors or {})
        if "enterprise" not in errors and "official" not in errors:
            try:
                services.check_liaison_candidate(official=instance.official, enterprise=instance.enterprise)
            except ValidationError as error:
                errors.setdefault("official", []).extend(error.messages)
        if instance.started_on and instance.started_on > timezone.localdate():
            errors.setdefault("started_on", []).append(_("A liaison cannot start in the future."))
        replaced = getattr(instance, "replaces", None)
        if replaced is not None and instance.started_on and instance.started_on < replaced.started_on:
            errors.setdefault("started_on", []).append(
                _("The current liaison started on %(date)s; the new one cannot start earlier.")
                % {"date": replaced.started_on.isoformat()}
            )
        reason_limit = LiaisonAssignment._meta.get_field("reason").max_length
        if len(instance.reason) > reason_limit:
            errors.setdefault("reason", []).append(_("Keep the reason within %(limit)d characters.") % {"limit": reason_limit})
        if errors:
            raise ValidationError(errors)

    def do_instance_save(self, instance, is_create):
        assignment = services.assign_liaison(
            enterprise=instance.enterprise,
            official=instance.official,
            actor=self.actor,
            started_on=instance.started_on,
            reason=instance.reason,
        )
        instance.pk, instance.level = assignment.pk, assignment.level

    def after_import_row(self, row, row_result, **kwargs):
        if row_result.import_type == RowResult.IMPORT_TYPE_NEW and getattr(row_result.instance, "replaces", None):
            row_result.import_type = RowResult.IMPORT_TYPE_UPDATE

    def describe(self, instance, row_result):
        replaced = getattr(instance, "replaces", None)
        if row_result.import_type == RowResult.IMPORT_TYPE_UPDATE and replaced is not None:
            return _("replaces %(name)s") % {"name": replaced.official.display_name}
        return ""

    @staticmethod
    def label(row):
        return f"{cell_value(row.get(Col.CREDIT_CODE))} → {cell_value(row.get(Col.OFFICIAL_USERNAME))}"
