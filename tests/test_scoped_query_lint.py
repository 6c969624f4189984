"""The lint that keeps personal data behind the access policy finds what it should."""

import importlib.util
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
spec = importlib.util.spec_from_file_location("lint", ROOT / "scripts" / "lint_scoped_queries.py")
assert spec
assert spec.loader
lint = importlib.util.module_from_spec(spec)
spec.loader.exec_module(lint)


def test_personal_data_models_are_found():
    models = lint.personal_models(ROOT / "kith")
    assert {"Person", "Allocation", "Involvement", "AuditEvent", "BreakGlassGrant"} <= models
    assert "Team" not in models


def test_queries_around_the_policy_are_reported(tmp_path, monkeypatch):
    monkeypatch.setattr(lint, "ROOT", tmp_path)
    view = tmp_path / "views.py"
    view.write_text(
        "from django.shortcuts import get_object_or_404\n"
        "def page(request, pk):\n"
        "    everyone = Person.objects.all()\n"
        "    one = get_object_or_404(Person, pk=pk)\n"
        "    teams = Team.objects.all()\n"
    )
    found = sorted(lint.violations(view, {"Person"}))
    assert found == ["views.py:3: Person.objects", "views.py:4: get_object_or_404(Person)"]


def test_the_code_base_is_clean():
    assert lint.main() == 0


def test_models_packages_and_apps_split_by_part_are_covered():
    # Models in a models/ package count; services_<part>.py and selectors_<part>.py are allowed.
    assert {"CareEpisode", "Placement"} <= lint.personal_models(ROOT / "kith")
    assert lint.allowed("services_cla.py")
    assert lint.allowed("selectors_cla.py")
    assert not lint.allowed("views_cla.py")
    assert not lint.allowed("servicesx.py")
