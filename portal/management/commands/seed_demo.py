import os

from django.core.management.base import BaseCommand
from django.utils import timezone, translation

from accounts.demo import DEFAULT_PASSWORD, seed_officials
from accounts.models import User
from assessment import demo as assessment_demo
from cases import demo as case_demo
from door import demo as door_demo
from enterprises import demo as enterprise_demo
from forums import demo as forum_demo
from problems import demo as problem_demo
from reviews import demo as review_demo
from surveys import demo as survey_demo
from visits import demo as visit_demo


class Command(BaseCommand):
    help = "Create the demo officials, enterprises and liaisons. Safe to run again: it changes nothing then."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with translation.override("zh-hans"):
            officials = seed_officials(password=password)
            officials += enterprise_demo.seed_cadres(password=password)
            enterprises = enterprise_demo.seed_enterprises()
            # A database seeded before the name maker was fixed: its people get plausible names.
            renamed = enterprise_demo.repair_people_names()
            forum_demo.repair_people_names(renamed)
            case_demo.repair_people_names(renamed)
            staff = User.objects.get(username="sd_staff")
            enterprise_demo.seed_liaisons(actor=staff)
            visit_demo.seed_policies(actor=staff)
            visit_demo.seed_visits(today=timezone.localdate())
            problem_demo.seed_problems(today=timezone.localdate())
            forum_demo.seed_forums(today=timezone.localdate())
            case_demo.seed_cases(today=timezone.localdate())
            review_demo.seed_reviews(today=timezone.localdate())
            survey_demo.seed_survey(today=timezone.localdate())
            assessment_demo.seed_assessment(today=timezone.localdate())
            door_links = door_demo.seed_access_links()
            door_demo.seed_demand()
            self.stdout.write(f"Demo enterprises: {enterprises.count()}")
            self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password})"))
            for official in officials:
                roles = ", ".join(str(role.label) for role in official.roles)
                self.stdout.write(f"  {official.username:<12} {official.region.full_name:<14} {roles}")
            self.stdout.write(self.style.SUCCESS("Demo enterprises' links (their own pages, no password)"))
            for enterprise, link in door_links:
                self.stdout.write(f"  {enterprise.name}  {enterprise.contact_name}\n    {link}")
