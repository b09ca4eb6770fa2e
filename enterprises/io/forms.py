from django import forms
from django.utils.translation import gettext_lazy as _

from . import imports, spreadsheets


class ImportUploadForm(forms.Form):
    kind = forms.ChoiceField(
        label=_("The file holds"),
        choices=[(kind.key, kind.label) for kind in imports.KINDS.values()],
        initial="enterprises",
        widget=forms.RadioSelect,
    )
    file = forms.FileField(
        label=_("Spreadsheet"),
        help_text=_("An .xlsx workbook or a .csv file (UTF-8 or GBK) with the template's column headers."),
        widget=forms.FileInput(attrs={"accept": ".xlsx,.csv"}),
    )

    def clean_file(self):
        uploaded_file = self.cleaned_data["file"]
        try:
            spreadsheets.check_upload(uploaded_file.name, uploaded_file.size)
        except spreadsheets.ImportFileError as error:
            raise forms.ValidationError(error.message) from error
        return uploaded_file
