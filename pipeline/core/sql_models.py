"""SQL models as dbt writes them: one ``.sql`` file is one table or view, tests beside it.

Each model ``dbt_like_sql/NAME.sql`` holds one SELECT; ``NAME.yml`` beside it
gives its description, whether it is a view (default) or a table, column
descriptions, and tests in dbt's vocabulary:

    columns:
      title_entity_id:
        description: …
        tests: [not_null, {relationships: {to: entities, field: entity_id}}]
      link: {tests: [{accepted_values: [named_in_quote, named_in_paragraph]}]}
    tests:
      - unique: [title_entity_id, day]          # a column combination
      - assertion:                              # rows returned are failures
          name: mentions_are_positive
          sql: select * from title_mentions_daily where mentions <= 0

Upstream tables are parsed from the SELECT with sqlglot (CTE names left
out), never listed by hand.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

import sqlglot
import yaml
from sqlglot import exp

MODEL_NAME = re.compile(r"^[a-z][a-z0-9_]*$")


class ModelError(ValueError):
    """A model that cannot be loaded; the message names the file and what to fix."""


@dataclass(frozen=True)
class ModelTest:
    name: str  # unique within the model: the asset check's name (checks are keyed by asset, so no table prefix)
    description: str
    failing_rows_sql: str  # a query returning the rows that break the test


@dataclass
class SqlModel:
    name: str
    path: Path
    sql: str
    description: str
    materialized: str
    columns: dict[str, dict] = field(default_factory=dict)
    upstream: list[str] = field(default_factory=list)
    tests: list[ModelTest] = field(default_factory=list)

    def create_statements(self, existing_kind: str | None) -> list[str]:
        """SQL that (re)builds the model; ``existing_kind`` is 'view', 'table' or None."""
        kind = "table" if self.materialized == "table" else "view"
        statements = []
        if existing_kind and existing_kind != kind:
            # A view and a table of one name cannot replace each other: drop the other kind first.
            statements.append(f"drop {existing_kind} {self.name}")
        statements.append(f"create or replace {kind} {self.name} as\n{self.sql}")
        return statements


def tables_read(sql: str, path: Path | str = "<sql>") -> set[str]:
    """Every table the query reads, CTEs excluded."""
    try:
        statements = sqlglot.parse(sql, dialect="duckdb")
    except sqlglot.errors.ParseError as error:
        raise ModelError(f"{path}: the SQL does not parse ({str(error).splitlines()[0]})") from None
    statements = [s for s in statements if s is not None]
    if len(statements) != 1 or not isinstance(statements[0], (exp.Select, exp.Union, exp.Query)):
        raise ModelError(f"{path}: a model is exactly one SELECT statement (found {len(statements)} statements)")
    tree = statements[0]
    ctes = {cte.alias_or_name for cte in tree.find_all(exp.CTE)}
    return {table.name for table in tree.find_all(exp.Table) if table.name and table.name not in ctes}


def load_models(folder: Path, known_tables: set[str]) -> list[SqlModel]:
    """Every model in ``folder``, upstreams resolved; raises ModelError on an unknown table or a bad file."""
    folder = Path(folder)
    models: dict[str, SqlModel] = {}
    for path in sorted(folder.glob("*.sql")):
        name = path.stem
        if not MODEL_NAME.match(name):
            raise ModelError(f"{path}: model names are lower_snake_case (they become table names)")
        if name in known_tables:
            raise ModelError(f"{path}: the model name '{name}' is already a table of the pipeline; rename the file")
        sql = path.read_text(encoding="utf-8").strip().rstrip(";")
        config_path = path.with_suffix(".yml")
        config = yaml.safe_load(config_path.read_text(encoding="utf-8")) if config_path.exists() else {}
        if not isinstance(config, dict) or not config.get("description"):
            raise ModelError(f"{config_path}: every model needs a description (shown in the UI and the data dictionary)")
        _reject_unknown_keys(config_path, config)
        materialized = config.get("materialized", "view")
        if materialized not in ("view", "table"):
            raise ModelError(f"{config_path}: materialized is 'view' or 'table', not {materialized!r}")
        models[name] = SqlModel(
            name=name, path=path, sql=sql, description=str(config["description"]).strip(),
            materialized=materialized, columns=config.get("columns") or {},
        )
        models[name].upstream = sorted(tables_read(sql, path))
        models[name].tests = _tests_of(models[name], config)
    available = known_tables | set(models)
    for model in models.values():
        unknown = [t for t in model.upstream if t not in available]
        if unknown:
            raise ModelError(
                f"{model.path}: reads {', '.join(repr(t) for t in unknown)}, which is neither a pipeline table "
                f"({', '.join(sorted(known_tables))}) nor another model"
            )
    _reject_cycles(models)
    return list(models.values())


MODEL_KEYS = {"description", "materialized", "columns", "tests"}
COLUMN_KEYS = {"description", "tests"}


def _reject_unknown_keys(config_path: Path, config: dict) -> None:
    """A key the loader does not know is an error, not a silent no-op: in a YAML flow mapping an
    unquoted comma ends the description ("{description: Articles, of those …}") and turns the
    rest into a key of its own, which would otherwise cut the description without a word."""
    unknown = set(config) - MODEL_KEYS
    if unknown:
        raise ModelError(f"{config_path}: unknown key(s) {sorted(unknown)}; a model takes {sorted(MODEL_KEYS)}")
    for column, spec in (config.get("columns") or {}).items():
        extra = set(spec or {}) - COLUMN_KEYS if isinstance(spec, dict) else set()
        if extra:
            raise ModelError(
                f"{config_path}: column {column!r} has unknown key(s) {sorted(str(k) for k in extra)}; a column takes "
                f"{sorted(COLUMN_KEYS)}. Quote a description that holds a comma: description: \"…, …\"")


def _reject_cycles(models: dict[str, SqlModel]) -> None:
    visiting, done = set(), set()

    def visit(name: str, trail: list[str]) -> None:
        if name in done or name not in models:
            return
        if name in visiting:
            raise ModelError(f"models read each other in a cycle: {' -> '.join(trail + [name])}")
        visiting.add(name)
        for upstream in models[name].upstream:
            visit(upstream, trail + [name])
        visiting.discard(name)
        done.add(name)

    for name in models:
        visit(name, [])


def build_order(models: list[SqlModel]) -> list[SqlModel]:
    """The models, each after every model it reads (cycles are refused when the models load)."""
    by_name = {m.name: m for m in models}
    ordered: list[SqlModel] = []
    placed: set[str] = set()

    def place(model: SqlModel) -> None:
        if model.name in placed:
            return
        placed.add(model.name)
        for upstream in model.upstream:
            if upstream in by_name:
                place(by_name[upstream])
        ordered.append(model)

    for model in sorted(models, key=lambda m: m.name):
        place(model)
    return ordered


def _tests_of(model: SqlModel, config: dict) -> list[ModelTest]:
    tests: list[ModelTest] = []
    table = model.name
    for column, spec in (config.get("columns") or {}).items():
        for test in (spec or {}).get("tests", []) or []:
            kind, arg = (test, None) if isinstance(test, str) else next(iter(test.items()))
            if kind == "not_null":
                tests.append(ModelTest(f"{column}_not_null", f"{column} is never null",
                                       f"select * from {table} where {column} is null"))
            elif kind == "unique":
                tests.append(ModelTest(f"{column}_unique", f"{column} is unique",
                                       f"select {column}, count(*) as n from {table} group by 1 having count(*) > 1"))
            elif kind == "accepted_values":
                values = arg if isinstance(arg, list) else (arg or {}).get("values", [])
                listed = ", ".join("'" + str(v).replace("'", "''") + "'" for v in values)
                tests.append(ModelTest(f"{column}_accepted_values", f"{column} is one of {values}",
                                       f"select * from {table} where {column} is not null and {column} not in ({listed})"))
            elif kind == "relationships":
                target, target_field = arg["to"], arg["field"]
                tests.append(ModelTest(
                    f"{column}_in_{target}", f"every {column} is a {target}.{target_field}",
                    f"select c.* from {table} c left join {target} p on p.{target_field} = c.{column} "
                    f"where c.{column} is not null and p.{target_field} is null"))
            else:
                raise ModelError(f"{model.path.with_suffix('.yml')}: unknown column test {kind!r} on {column}")
    for test in config.get("tests", []) or []:
        kind, arg = next(iter(test.items()))
        if kind == "unique":
            columns = ", ".join(arg)
            tests.append(ModelTest(f"{'_'.join(arg)}_unique", f"({columns}) is unique",
                                   f"select {columns}, count(*) as n from {table} group by all having count(*) > 1"))
        elif kind == "assertion":
            tests.append(ModelTest(str(arg['name']), arg.get("description", arg["name"].replace("_", " ")),
                                   arg["sql"].strip().rstrip(";")))
        else:
            raise ModelError(f"{model.path.with_suffix('.yml')}: unknown model test {kind!r}")
    return tests
