"""The scale data set of `manage.py generate_scale_data`: a province's years of the campaign, written in bulk.

One module per domain writes its rows through `loader.Loader` (COPY on PostgreSQL, batched inserts
elsewhere), keeping the invariants the services keep; `guard` keeps the generator away from real data.
`generate` runs the domains in the order their foreign keys need and reports one line per domain.

The audit trail (core.history): the generator writes the history rows the pages read from it (the
enterprises' change log, the liaisons' and the cases' history), each with its `audit_region`. It writes
none for the officials, visits, forums, policies, reviews and the other records audited since: a
generated record was never changed by anyone, and a million visits' rows would double the load for a
page that shows changes.
"""

from django.contrib.auth.hashers import make_password
from django.utils import timezone
from django.utils.translation import gettext, gettext_lazy

from notifications.models import Notification
from notifications.texts import Text

from . import forums, people, problems, register, showcase, visits
from .context import PREFIX, Context
from .guard import MARKER_KEY
from .loader import Loader, Step


def generate(*, sizes, seed, today, password, out, batch_size):
    """Write the data set; returns the context (with who was made) and the loader (with what was written)."""
    loader = Loader(batch_size=batch_size)
    ctx = Context(sizes=sizes, seed=seed, today=today, loader=loader, password_hash=make_password(password))
    people.load_regions(ctx)
    register.plan_enterprises(ctx)
    with Step(loader, out, "officials"):
        people.generate_officials(ctx)
    with Step(loader, out, "enterprises"):
        register.generate_enterprises(ctx)
    with Step(loader, out, "liaisons"):
        register.generate_assignments(ctx)
    with Step(loader, out, "visits"):
        visits.generate_policies(ctx)
        visits.generate_visits(ctx)
        loader.analyze()  # the due dates' UPDATE is planned for the tables as they now are
        visits.refresh_due_dates()
    player = problems.Player(ctx)
    with Step(loader, out, "forums"):
        forums.generate_forums(ctx, player)
    with Step(loader, out, "problems"):
        problems.generate_problems(ctx, player)
    with Step(loader, out, "cases"):
        showcase.generate_cases(ctx)
    with Step(loader, out, "reviews"):
        showcase.generate_reviews(ctx)
    with Step(loader, out, "assessment"):
        showcase.generate_assessment(ctx)
    with Step(loader, out, "finishing"):
        loader.finish()
        Notification.objects.create(
            recipient_id=ctx.admin_id,
            key=MARKER_KEY,
            title=gettext("Scale data set generated"),
            body=f"{sizes.describe()}; seed {seed}; as of {today.isoformat()}.",
            # The title in its reader's language; the body is the generator's own technical summary.
            message={"title": Text(gettext_lazy("Scale data set generated")).as_json()},
            created_at=timezone.now(),
        )
    return ctx, loader


__all__ = ["PREFIX", "generate"]
