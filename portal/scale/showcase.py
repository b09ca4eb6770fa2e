"""Model cases (with their events, qualities, photos' rows, publicity and history), mechanism reviews (with
their steps and good practices) and the assessment periods of the generated years."""

from datetime import date, timedelta
from decimal import Decimal

from assessment.demo import CITY_ITEMS, COUNTY_ITEMS
from assessment.models import AssessmentPeriod, PeriodKind, PeriodStatus, Scheme, SchemeItem
from cases.models import (
    Case,
    CaseEvent,
    CasePhoto,
    CaseQuality,
    CaseStatus,
    EventKind,
    HistoricalCase,
    Publicity,
    Quality,
    Subject,
)
from core.periods import period_containing
from reviews.models import Practice, PracticeTopic, Review, ReviewCadence, ReviewEvent, ReviewEventKind, ReviewStatus

CASE_STATES = [
    CaseStatus.NOMINATED,
    CaseStatus.RETURNED,
    CaseStatus.APPROVED,
    CaseStatus.REJECTED,
    CaseStatus.PUBLISHED,
    CaseStatus.WITHDRAWN,
]


def generate_cases(ctx):
    loader, rng = ctx.loader, ctx.rng("cases")
    cases = loader.sink(Case)
    events = cases.child(CaseEvent)
    qualities = cases.child(CaseQuality)
    photos = cases.child(CasePhoto)
    publicity = cases.child(Publicity)
    history = cases.child(HistoricalCase)
    positions = len(ctx.enterprise_ids)
    for _number in range(ctx.sizes.cases if positions else 0):
        position = rng.randrange(positions)
        county = ctx.enterprise_region[position]
        nominators = ctx.cadres.get(county) or ctx.staff_for(county)
        nominator = rng.choice(nominators)
        reviewer = rng.choice(ctx.staff_for(county[:4] + "00"))
        status = rng.choices(CASE_STATES, weights=[15, 5, 8, 7, 55, 10])[0]
        nominated = ctx.at(ctx.days(ctx.start, ctx.today - timedelta(days=20), rng), 10)
        reviewed = nominated + timedelta(days=rng.randint(2, 10))
        published = reviewed + timedelta(days=rng.randint(1, 5))
        withdrawn = published + timedelta(days=rng.randint(30, 200))
        pk = loader.new_id(Case)
        consent = status in (CaseStatus.APPROVED, CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN)
        row = {
            "id": pk,
            "enterprise_id": ctx.enterprise_ids[position],
            "region_id": county,
            "subject": Subject.BOTH,
            "entrepreneur_name": ctx.enterprise_person[position],
            "entrepreneur_title": "董事长",
            "title": f"{ctx.enterprise_person[position]}：扎根实体、回馈社会的民营企业家",
            "story": "企业坚持创新驱动，积极履行社会责任，带动就业数百人。",
            "achievements": "获评省级专精特新企业。",
            "nominated_by_id": nominator,
            "nominating_region_id": ctx.official_region[nominator],
            "nominated_at": nominated,
            "nomination_note": "",
            "submission_round": 1,
            "status": status,
            "reviewed_by_id": reviewer if status != CaseStatus.NOMINATED else None,
            "reviewed_at": reviewed if status != CaseStatus.NOMINATED else None,
            "review_comment": "请补充企业近三年经营数据。" if status == CaseStatus.RETURNED else "",
            "rejection_reason": "事迹材料不够充分。" if status == CaseStatus.REJECTED else "",
            "consent_given": consent,
            "consent_on": reviewed.date() if consent else None,
            "consent_by": f"{ctx.enterprise_person[position]}（董事长）" if consent else "",
            "published_at": published if status in (CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN) else None,
            "published_by_id": reviewer if status in (CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN) else None,
            "withdrawn_at": withdrawn if status == CaseStatus.WITHDRAWN else None,
            "withdrawal_reason": "企业经营情况发生变化。" if status == CaseStatus.WITHDRAWN else "",
            "created_at": nominated,
            "updated_at": nominated,
        }
        steps = [(EventKind.NOMINATED, nominator, nominated, CaseStatus.NOMINATED)]
        if status == CaseStatus.RETURNED:
            steps.append((EventKind.RETURNED, reviewer, reviewed, status))
        elif status == CaseStatus.REJECTED:
            steps.append((EventKind.REJECTED, reviewer, reviewed, status))
        elif status != CaseStatus.NOMINATED:
            steps += [
                (EventKind.APPROVED, reviewer, reviewed, CaseStatus.APPROVED),
                (EventKind.CONSENT, nominator, reviewed, CaseStatus.APPROVED),
            ]
            if status in (CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN):
                steps.append((EventKind.PUBLISHED, reviewer, published, CaseStatus.PUBLISHED))
            if status == CaseStatus.WITHDRAWN:
                steps.append((EventKind.WITHDRAWN, reviewer, withdrawn, status))
        for kind, actor, at, after in steps:
            events.add(
                {
                    "id": loader.new_id(CaseEvent),
                    "case_id": pk,
                    "kind": kind,
                    "actor_id": actor,
                    "at": min(at, ctx.now),
                    "status": after,
                    "note": "",
                }
            )
        row["updated_at"] = min(steps[-1][2], ctx.now)
        cases.add(row)
        for quality in sorted(set(rng.sample(list(Quality), k=rng.randint(1, 2)))):
            qualities.add({"id": loader.new_id(CaseQuality), "case_id": pk, "quality": quality})
        if status in (CaseStatus.PUBLISHED, CaseStatus.WITHDRAWN):
            photo = loader.new_id(CasePhoto)
            photos.add(
                {
                    "id": photo,
                    "case_id": pk,
                    "file": f"cases/scale/{photo}.jpg",
                    "caption": "企业生产车间",
                    "order": 1,
                    "original_name": "车间.jpg",
                    "content_type": "image/jpeg",
                    "size": 300_000,
                    "uploaded_by_id": nominator,
                    "uploaded_at": nominated,
                }
            )
            publicity.add(
                {
                    "id": loader.new_id(Publicity),
                    "case_id": pk,
                    "outlet": "大众日报",
                    "published_on": min(published.date() + timedelta(days=7), ctx.today),
                    "title": row["title"],
                    "recorded_by_id": reviewer,
                    "recorded_at": min(published + timedelta(days=7), ctx.now),
                }
            )
        history.add(
            {
                **row,
                "history_id": loader.new_id(HistoricalCase),
                "history_type": "+",
                "history_date": row["updated_at"],
                "history_user_id": steps[-1][1],
                "audit_region": row["region_id"],
            }
        )
    cases.close()


def generate_reviews(ctx):
    """Each region's yearly and half-yearly reviews of the generated years that have ended: the older ones
    acknowledged by the region above (with their good practices), the latest in every state."""
    loader, rng = ctx.loader, ctx.rng("reviews")
    cadences = list(ReviewCadence.objects.active().order_by("-months"))
    longest = max((cadence.months for cadence in cadences), default=12)
    taken = set(Review.objects.values_list("region_id", "cadence_id", "period_label"))
    reviews = loader.sink(Review)
    events = reviews.child(ReviewEvent)
    practices = reviews.child(Practice)
    topics = list(PracticeTopic)
    for cadence in cadences:
        periods, day = [], ctx.start
        while True:
            period = period_containing(day, cadence.months)
            if period.end >= ctx.today:
                break
            covered = (
                cadence.defer_to_longer and cadence.months < longest and period_containing(period.end, longest).end == period.end
            )
            if not covered:
                periods.append(period)
            day = period.end + timedelta(days=1)
        for code in ctx.scope:
            parent = ctx.regions[code].parent_id
            writer = ctx.staff_for(code)[0]
            acknowledger = ctx.staff_for(parent)[0] if parent else None
            for index, period in enumerate(periods):
                if (code, cadence.pk, period.label) in taken:
                    continue
                latest = index == len(periods) - 1
                if latest:
                    status = rng.choice(
                        [ReviewStatus.DRAFT, ReviewStatus.SUBMITTED, ReviewStatus.RETURNED, ReviewStatus.ACKNOWLEDGED]
                    )
                else:
                    status = ReviewStatus.ACKNOWLEDGED
                if acknowledger is None and status in (ReviewStatus.ACKNOWLEDGED, ReviewStatus.RETURNED):
                    status = ReviewStatus.SUBMITTED  # nobody above the province
                due = period.end + timedelta(days=cadence.due_days)
                submitted = ctx.at(min(due - timedelta(days=rng.randint(0, 10)), ctx.today), 16)
                acknowledged = min(submitted + timedelta(days=rng.randint(3, 20)), ctx.now)
                pk = loader.new_id(Review)
                handed_in = status != ReviewStatus.DRAFT
                reviews.add(
                    {
                        "id": pk,
                        "region_id": code,
                        "cadence_id": cadence.pk,
                        "period_label": period.label,
                        "period_start": period.start,
                        "period_end": period.end,
                        "lessons": "坚持问题导向，建立企业诉求快速响应机制。",
                        "measures": "制定领导干部联系民营企业工作制度。",
                        "plan": "下一阶段将扩大联系覆盖面。",
                        "status": status,
                        "revision": 1 if handed_in else 0,
                        "created_by_id": writer,
                        "created_at": ctx.at(period.end, 9),
                        "updated_at": acknowledged if status in (ReviewStatus.ACKNOWLEDGED, ReviewStatus.RETURNED) else submitted,
                        "submitted_at": submitted if handed_in else None,
                        "acknowledged_at": acknowledged if status == ReviewStatus.ACKNOWLEDGED else None,
                        "acknowledged_by_id": acknowledger if status == ReviewStatus.ACKNOWLEDGED else None,
                    }
                )
                steps = [(ReviewEventKind.SUBMITTED, writer, submitted)] if handed_in else []
                if status == ReviewStatus.ACKNOWLEDGED:
                    steps.append((ReviewEventKind.ACKNOWLEDGED, acknowledger, acknowledged))
                elif status == ReviewStatus.RETURNED:
                    steps.append((ReviewEventKind.RETURNED, acknowledger, acknowledged))
                for kind, actor, at in steps:
                    comment = "请补充典型做法。" if kind == ReviewEventKind.RETURNED else ""
                    events.add(
                        {
                            "id": loader.new_id(ReviewEvent),
                            "review_id": pk,
                            "kind": kind,
                            "actor_id": actor,
                            "comment": comment,
                            "created_at": at,
                        }
                    )
                for number in range(2):
                    practices.add(
                        {
                            "id": loader.new_id(Practice),
                            "review_id": pk,
                            "region_id": code,
                            "title": f"{ctx.regions[code].name}{period.label}做法{number + 1}",
                            "description": "建立“企业吹哨、部门报到”机制，企业诉求限时办结。",
                            "topic": rng.choice(topics),
                        }
                    )
    reviews.close()


def generate_assessment(ctx):
    """A year period for each generated year (closed but the current one, open) with the province's schemes."""
    loader = ctx.loader
    existing = dict(AssessmentPeriod.objects.values_list("label", "id"))
    periods, schemes, items = [], [], []
    province = ctx.scope[0]
    for year in range(ctx.start.year, ctx.today.year + 1):
        label = str(year)
        if label in existing:
            continue
        closed = year < ctx.today.year
        pk = loader.new_id(AssessmentPeriod)
        periods.append(
            {
                "id": pk,
                "label": label,
                "kind": PeriodKind.YEAR,
                "start": date(year, 1, 1),
                "end": date(year, 12, 31),
                "status": PeriodStatus.CLOSED if closed else PeriodStatus.OPEN,
                "closed_at": ctx.at(date(year + 1, 1, 20), 10) if closed else None,
                "closed_by_id": ctx.admin_id if closed else None,
                "close_note": "",
            }
        )
        for level, name, rows in (
            ("city", "各市联系民营企业工作考核方案", CITY_ITEMS),
            ("county", "县（市、区）联系民营企业工作考核方案", COUNTY_ITEMS),
        ):
            scheme = loader.new_id(Scheme)
            schemes.append(
                {
                    "id": scheme,
                    "period_id": pk,
                    "owner_id": province,
                    "assessed_level": level,
                    "name": f"{label} {name}",
                    "created_by_id": ctx.admin_id,
                    "created_at": ctx.at(date(year, 1, 10), 10),
                }
            )
            for indicator, weight, target in rows:
                items.append(
                    {
                        "id": loader.new_id(SchemeItem),
                        "scheme_id": scheme,
                        "indicator": indicator,
                        "weight": Decimal(weight),
                        "target": Decimal(target),
                        "rule": "linear",
                    }
                )
    loader.write(AssessmentPeriod, periods)
    loader.write(Scheme, schemes)
    loader.write(SchemeItem, items)
