"""The province's default questionnaire: quarterly, five questions on a 1-5 scale and a free comment."""

from django.db import migrations

QUESTIONS = [
    ("development", "scale", "您对企业未来发展的信心如何？"),
    ("government", "scale", "您对政府部门服务企业的信任程度如何？"),
    ("policy", "scale", "您对当前政策环境的评价如何？"),
    ("business", "scale", "您对当地营商环境的评价如何？"),
    ("overall", "scale", "总体而言，您对在本地发展的信心如何？"),
    ("", "comment", "您还有什么意见或建议？（选填）"),
]


def seed(apps, schema_editor):
    Questionnaire = apps.get_model("surveys", "Questionnaire")
    Question = apps.get_model("surveys", "Question")
    if Questionnaire.objects.exists():
        return
    questionnaire = Questionnaire.objects.create(title="企业信心调查", months=3, is_active=True)
    for order, (topic, kind, text) in enumerate(QUESTIONS, start=1):
        Question.objects.create(
            questionnaire=questionnaire, region_id="370000", text=text, kind=kind, topic=topic, order=order * 10
        )


class Migration(migrations.Migration):
    dependencies = [("surveys", "0001_initial"), ("accounts", "0002_load_shandong_regions")]

    operations = [migrations.RunPython(seed, migrations.RunPython.noop)]
