import os

from django.core.management.base import BaseCommand
from django.utils import translation

from accounts.demo import DEFAULT_PASSWORD, seed_officials


class Command(BaseCommand):
    help = "Create the demo officials (and later features' demo records). Safe to run again."

    def handle(self, *args, **options):
        password = os.environ.get("DEMO_PASSWORD") or DEFAULT_PASSWORD
        with translation.override("zh-hans"):
            officials = seed_officials(password=password)
        self.stdout.write(self.style.SUCCESS(f"Demo logins (password: {password})"))
        for official in officials:
            roles = ", ".join(str(role.label) for role in official.roles)
            self.stdout.write(f"  {official.username:<12} {official.region.full_name:<14} {roles}")
