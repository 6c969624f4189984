"""Fail if code queries a personal-data model outside the places the access policy governs.

Personal-data models say so with ``personal_data = True`` in their class body. They may be
queried (``Model.objects``, ``Model._default_manager``, ``get_object_or_404(Model, ...)``) only
in ``selectors.py``, ``services.py``, the policy itself (``access/policy.py``), relationship
providers (``relationships.py``) and migrations. Everything else calls a selector or service.
"""

import ast
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
ALLOWED_FILES = {"selectors.py", "services.py", "relationships.py", "policy.py"}
# An app split in parts (kith/children) has ``selectors_<part>.py`` and ``services_<part>.py``.
ALLOWED_PREFIXES = ("selectors_", "services_")


def personal_models(package: Path) -> set[str]:
    names: set[str] = set()
    # ``models.py``, or a ``models/`` package with one module per part (kith/children).
    paths = [*package.rglob("models.py"), *package.rglob("models/*.py")]
    for path in paths:
        tree = ast.parse(path.read_text(), filename=str(path))
        for node in tree.body:
            if isinstance(node, ast.ClassDef):
                for statement in node.body:
                    if (
                        isinstance(statement, ast.Assign)
                        and any(
                            isinstance(t, ast.Name) and t.id == "personal_data"
                            for t in statement.targets
                        )
                        and isinstance(statement.value, ast.Constant)
                        and statement.value.value is True
                    ):
                        names.add(node.name)
    return names


def violations(path: Path, models: set[str]) -> list[str]:
    tree = ast.parse(path.read_text(), filename=str(path))
    found = []
    for node in ast.walk(tree):
        if (
            isinstance(node, ast.Attribute)
            and node.attr in {"objects", "_default_manager", "_base_manager"}
            and isinstance(node.value, ast.Name)
            and node.value.id in models
        ):
            found.append(f"{path.relative_to(ROOT)}:{node.lineno}: {node.value.id}.{node.attr}")
        if (
            isinstance(node, ast.Call)
            and isinstance(node.func, ast.Name)
            and node.func.id in {"get_object_or_404", "get_list_or_404"}
            and node.args
            and isinstance(node.args[0], ast.Name)
            and node.args[0].id in models
        ):
            found.append(
                f"{path.relative_to(ROOT)}:{node.lineno}: {node.func.id}({node.args[0].id})"
            )
    return found


def main() -> int:
    package = ROOT / "kith"
    models = personal_models(package)
    problems: list[str] = []
    for path in sorted(package.rglob("*.py")):
        if (
            path.name in ALLOWED_FILES
            or path.name.startswith(ALLOWED_PREFIXES)
            or "migrations" in path.parts
        ):
            continue
        problems += violations(path, models)
    if problems:
        print("Personal data queried around the access policy (use a selector or service):")
        print("\n".join(f"  {p}" for p in problems))
        return 1
    print(f"Scoped queries: {len(models)} personal-data models, no query around the policy.")
    return 0


if __name__ == "__main__":
    sys.exit(main())
