"""Every change to plan data must pass through save() so the audit trail records it:
QuerySet.update() and bulk_update() write rows without a history record."""

import ast
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
SKIPPED_DIRS = {".venv", "node_modules", "tests", "migrations", ".git", "static"}
# Receivers of .update() that are sets, dicts or hashes, never querysets. Add a name here only
# for a dict or set; querysets of tracked models must be saved one instance at a time.
ALLOWED_UPDATE_RECEIVERS = {
    "context", "kwargs", "errors", "linked", "defaults", "params", "initial", "extra",
    "headers", "attrs", "counts", "totals", "seen", "result", "values", "options", "data",
    "changes", "labels", "mapping", "summary", "row", "fields", "names", "codes", "refs",
    "digest",
}


def python_files() -> list[Path]:
    return sorted(path for path in ROOT.rglob("*.py")
                  if not SKIPPED_DIRS & set(path.relative_to(ROOT).parts))


def receiver_name(node: ast.expr) -> str | None:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name) \
            and node.value.id == "self":
        return node.attr
    return None


def bulk_writes(path: Path, root: Path = ROOT) -> list[str]:
    found = []
    tree = ast.parse(path.read_text(encoding="utf-8"), filename=str(path))
    for node in ast.walk(tree):
        if not (isinstance(node, ast.Call) and isinstance(node.func, ast.Attribute)):
            continue
        where = f"{path.relative_to(root)}:{node.lineno}"
        if node.func.attr == "bulk_update":
            found.append(f"{where} bulk_update()")
        elif node.func.attr == "update" and \
                receiver_name(node.func.value) not in ALLOWED_UPDATE_RECEIVERS:
            found.append(f"{where} {ast.unparse(node.func)}()")
    return found


def test_the_code_is_scanned():
    scanned = {path.relative_to(ROOT).parts[0] for path in python_files()}
    assert {"actions", "audit", "measures", "workstreams"} <= scanned


def test_no_queryset_update_or_bulk_update_bypasses_the_audit_trail():
    found = [hit for path in python_files() for hit in bulk_writes(path)]
    assert not found, ("save tracked models one by one (or allow a dict's name in "
                       f"ALLOWED_UPDATE_RECEIVERS): {found}")


def test_the_scan_catches_a_queryset_update(tmp_path):
    sample = tmp_path / "sample.py"
    sample.write_text("Action.objects.filter(rag='red').update(rag='amber')\n"
                      "actions.bulk_update(rows, ['rag'])\n"
                      "context.update(title='x')\n")
    hits = bulk_writes(sample, root=tmp_path)
    assert len(hits) == 2

