"""Every setting cite's code reads is defined once, in cite/settings.py, and is in the configuration
table of docs/operations.md, with every environment variable cite reads.

The rule: a setting is cite's own when project code reads it (`settings.NAME`, `getattr(settings,
"NAME")`) and Django does not define it (django.conf.global_settings). An environment variable is
one that cite/settings.py reads through its helpers (env, envbool, envint, envlist, envsecret) or
that project code reads from os.environ. Third-party settings that cite only sets (ACCOUNT_*, MFA_*
but MFA_REQUIRED_GROUPS, AUDITLOG_*, CONTENT_SECURITY_POLICY) are the libraries' business.
"""

import ast
import re
from pathlib import Path

from django.conf import global_settings

from cite import settings as cite_settings

ROOT = Path(__file__).resolve().parents[2]
PACKAGES = ("cite", "reception", "counselling", "partners", "resources", "stats")
ENV_HELPERS = {"env", "envbool", "envint", "envlist", "envsecret"}
OPERATIONS = ROOT / "docs" / "operations.md"


def project_files():
    for package in PACKAGES:
        for path in sorted((ROOT / package).rglob("*.py")):
            if "migrations" not in path.parts:
                yield path


def _is_settings(node):
    return isinstance(node, ast.Name) and node.id == "settings"


def _text(node):
    return node.value if isinstance(node, ast.Constant) and isinstance(node.value, str) else None


def _is_environ(node):
    return isinstance(node, ast.Attribute) and node.attr == "environ" and isinstance(node.value, ast.Name)


def settings_reads():
    """(name, "file:line", through getattr) for every read of a setting in project code; name is None
    when getattr is given a name that is not a literal."""
    for path in project_files():
        where = path.relative_to(ROOT)
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Attribute) and _is_settings(node.value) and node.attr.isupper():
                yield node.attr, f"{where}:{node.lineno}", False
            elif (
                isinstance(node, ast.Call)
                and isinstance(node.func, ast.Name)
                and node.func.id in {"getattr", "hasattr"}
                and node.args
                and _is_settings(node.args[0])
            ):
                name = _text(node.args[1]) if len(node.args) > 1 else None
                yield name, f"{where}:{node.lineno}", True


def _environment_name(node, *, in_settings):
    """The variable `node` reads from the environment, if it is such a read with a literal name."""
    if isinstance(node, ast.Call) and node.args:
        helper = in_settings and isinstance(node.func, ast.Name) and node.func.id in ENV_HELPERS
        environ_get = isinstance(node.func, ast.Attribute) and node.func.attr == "get" and _is_environ(node.func.value)
        return _text(node.args[0]) if helper or environ_get else None
    if isinstance(node, ast.Subscript) and _is_environ(node.value):  # os.environ["NAME"]
        return _text(node.slice)
    if isinstance(node, ast.Compare) and isinstance(node.ops[0], ast.In) and _is_environ(node.comparators[0]):
        return _text(node.left)  # "NAME" in os.environ
    return None


def environment_variables():
    """Names cite reads from the environment: the settings' helpers and os.environ, literal names only."""
    names = set()
    for path in project_files():
        in_settings = path == ROOT / "cite" / "settings.py"
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if name := _environment_name(node, in_settings=in_settings):
                names.add(name)
    return names


def own_settings():
    return {name for name, _where, _getattr in settings_reads() if name and not hasattr(global_settings, name)}


def configuration_table():
    """The names in backquotes in the first two columns (setting, environment variable) of the table
    under "## Configuration" in docs/operations.md."""
    section = re.search(r"^## Configuration\n(.*?)(?=^## |\Z)", OPERATIONS.read_text(), re.MULTILINE | re.DOTALL)
    assert section, "docs/operations.md has no '## Configuration' section"
    names = set()
    for line in section.group(1).splitlines():
        if line.startswith("|"):
            cells = line.strip("|").split("|")
            names.update(re.findall(r"`([A-Z][A-Z0-9_]*)`", " ".join(cells[:2])))
    return names


def test_the_walk_finds_the_settings_and_variables_cite_reads():
    # Guards the walk itself: a parser that found nothing would let every other test pass.
    assert {"RECEPTION_DISPLAY_KEY", "CENTRE_NAME", "STATS_SUPPRESSION_THRESHOLD"} <= own_settings()
    assert {"SECRET_KEY", "DATABASE_URL", "CENTRE_TIME_ZONE", "CITE_PGDATA"} <= environment_variables()
    assert "TIME_ZONE" not in own_settings()  # Django's own, documented through CENTRE_TIME_ZONE


def test_code_reads_settings_directly_never_with_a_second_default():
    # The default is written once, in cite/settings.py; a getattr default in code would hide a
    # setting that is missing there and drift from it.
    through_getattr = [f"{where} {name or '(a name computed at run time)'}" for name, where, g in settings_reads() if g]
    assert through_getattr == []


def test_every_setting_cite_reads_is_defined_in_cite_settings():
    undefined = sorted(name for name in own_settings() if not hasattr(cite_settings, name))
    assert undefined == []


def test_every_setting_cite_reads_is_in_the_configuration_table():
    missing = sorted(own_settings() - configuration_table())
    assert missing == [], f"add them to the table under '## Configuration' in {OPERATIONS.relative_to(ROOT)}"


def test_every_environment_variable_is_in_the_configuration_table():
    missing = sorted(environment_variables() - configuration_table())
    assert missing == [], f"add them to the table under '## Configuration' in {OPERATIONS.relative_to(ROOT)}"
