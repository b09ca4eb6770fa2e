import factory
from django.contrib.auth.models import Group

from accounts.models import Department, Region, User
from accounts.roles import Role

PASSWORD = "Correct-Horse-7"


class DepartmentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Department

    region = factory.LazyFunction(lambda: Region.objects.get(code="370102"))
    name = factory.Sequence(lambda n: f"测试部门{n}")


class UserFactory(factory.django.DjangoModelFactory):
    """An official of 历下区 by default; `roles=[Role.STAFF]` gives them roles."""

    class Meta:
        model = User
        django_get_or_create = ["username"]
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"official{n}")
    full_name = factory.Faker("name", locale="zh_CN")
    region = factory.LazyFunction(lambda: Region.objects.get(code="370102"))
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def roles(official, create, roles, **kwargs):
        if create and roles:
            official.groups.set(Group.objects.filter(name__in=[Role(role).value for role in roles]))
            official.__dict__.pop("role_names", None)
