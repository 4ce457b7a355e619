"""`make mutants`: mutmut over the access rules, the services and the selectors.

    .venv/bin/python scripts/mutants.py run [MODULE|MUTANT ...]   # e.g. forums/services.py
    .venv/bin/python scripts/mutants.py report [MODULE ...]

`run` is `mutmut run` with one change: mutmut 3 never mutates a decorated function (a
decorator may have side effects when the function is copied), which would leave out every
service wrapped in `@transaction.atomic`. That decorator has none, so such functions are
mutated here too; the trampoline and each mutant keep the decorator.

Each mutant runs only the tests that called its function while mutmut collected its stats
(the test selection is `pytest_add_cli_args_test_selection` in pyproject.toml: the fast
tests, no browser, no perf). `report` prints the kill rate per module and overall and lists
the survivors (`.venv/bin/mutmut show <name>` shows one).
"""

import json
import os
import sys
from pathlib import Path

import libcst as cst
from mutmut.mutation import file_mutation

MODULES = [
    "agreements/access.py",
    "agreements/services.py",
    "agreements/selectors.py",
    "actionplans/services.py",
    "actionplans/selectors.py",
    "forums/services.py",
    "forums/selectors.py",
    "followup/services.py",
    "followup/selectors.py",
    "accounts/services.py",
    "accounts/selectors.py",
]


def _is_transaction_atomic(decorator: cst.Decorator) -> bool:
    node = decorator.decorator
    return (
        isinstance(node, cst.Attribute)
        and isinstance(node.value, cst.Name)
        and node.value.value == "transaction"
        and node.attr.value == "atomic"
    )


def _allow_transaction_atomic() -> None:
    visitor = file_mutation.MutationVisitor
    original = visitor._skip_node_and_children

    def skip(self, node):
        if (
            isinstance(node, cst.FunctionDef)
            and node.decorators
            and all(_is_transaction_atomic(d) for d in node.decorators)
        ):
            # What mutmut does for an undecorated function: honour `# pragma: no mutate`.
            position = self.get_metadata(file_mutation.PositionProvider, node, None)
            if position and position.start.line in self._ignored_node_lines:
                self.ignored_functions.add(node.name.value)
                return True
            return False
        return original(self, node)

    visitor._skip_node_and_children = skip


def _robust_wait() -> None:
    """Let the fork runner ignore children it did not start.

    The clean test run happens in mutmut's own process, and a test that renders a PDF
    leaves the renderer's worker process behind as its child; when that one exits,
    ``os.wait()`` hands its pid to mutmut, which knows no such mutant (KeyError).
    """
    from datetime import datetime

    from mutmut.workers import isolation

    def wait_for_result(self, timeout=None):
        if self._no_tests_results:
            return self._no_tests_results.pop(0)
        while True:
            pid, wait_status = os.wait()
            if pid in self._running:
                break
        worker = self._running.pop(pid)
        return isolation.MutantResult(
            mutant_name=worker.mutant_name,
            exit_code=os.waitstatus_to_exitcode(wait_status),
            duration=(datetime.now() - worker.start_time).total_seconds(),
        )

    isolation.ForkRunner.wait_for_result = wait_for_result


def _likely_killers_first() -> None:
    """Hand each mutant its tests with the likeliest killers first.

    mutmut runs a mutant's tests with `-x`, so a killed mutant costs only the tests up to
    the first failure. mutmut passes them in no particular order; here the tests of the
    module itself come first (tests/*/test_selectors*.py for forums/selectors.py), then
    the rest of its app's tests, then everything else, each group fastest first. A mutant
    of a selector that every page calls is then usually killed in seconds instead of after
    a few hundred view tests; a survivor still runs them all (or MUTANT_MAX_TESTS of them).
    """
    from mutmut.state import state
    from mutmut.workers import isolation

    # MUTANT_MAX_TESTS=N: run at most the first N of a mutant's tests (in this order). Quicker
    # for functions that hundreds of view tests call; a mutant that survives its first N is
    # counted as surviving, so the kill rate is then a lower bound.
    cap = int(os.environ.get("MUTANT_MAX_TESTS") or 0)

    def ordered(mutant_name: str, tests: list[str]) -> list[str]:
        app, module = mutant_name.split(".")[:2]

        def key(test: str) -> tuple[int, float]:
            path = test.split("::")[0]
            # The module's own tests, wherever they live (tests/foundation/test_access.py
            # is agreements/access.py's).
            if path.rsplit("/", 1)[-1].startswith(f"test_{module}"):
                group = 0
            elif path.startswith(f"tests/{app}/"):
                group = 1
            else:
                group = 2
            return group, state().duration_by_test.get(test, 0.0)

        chosen = sorted(tests, key=key)
        return chosen[:cap] if cap else chosen

    for runner in (isolation.ForkServerRunner, isolation.ForkRunner):
        submit = runner.submit

        def reordered(self, mutant_name, tests, cpu_time_limit, estimated_time, _submit=submit):
            _submit(
                self, mutant_name, ordered(mutant_name, list(tests)), cpu_time_limit, estimated_time
            )

        runner.submit = reordered


def _module_of(mutant: str) -> str:
    return mutant.split(".x_")[0].replace(".", "/") + ".py"


def _pattern(module: str) -> str:
    if module not in MODULES:
        sys.exit(f"unknown module {module!r}; one of: {', '.join(MODULES)}")
    return module.removesuffix(".py").replace("/", ".") + ".*"


def _not_killed(module: str) -> list[str] | None:
    """The module's mutants still to (re)test, or None when it was never run."""
    from mutmut.stats import status_by_exit_code

    meta = Path("mutants") / (module + ".meta")
    if not meta.exists():
        return None
    codes = json.loads(meta.read_text())["exit_code_by_key"]
    return [name for name, code in codes.items() if status_by_exit_code[code] != "killed"]


def run(args: list[str]) -> None:
    """Run mutmut; for named modules only their mutants not yet killed.

    A killed mutant stays killed when tests are added, and mutmut itself re-creates the
    mutants of a function whose source changed, so only the rest need another run.
    """
    from mutmut.__main__ import cli

    _allow_transaction_atomic()
    _robust_wait()
    _likely_killers_first()
    children = next((a for a in args if a.startswith("--max-children=")), "--max-children=1")
    modules = [a for a in args if a != children]
    names: list[str] = []
    for module in modules:
        if not module.endswith(".py"):
            names.append(module)  # a mutant's name, or a pattern of names
            continue
        pending = _not_killed(module) if module in MODULES else None
        names += [_pattern(module)] if pending is None else pending
    if modules and not names:
        print(">> every mutant of", " ".join(modules), "is already killed")
        return
    try:
        cli(["run", children, *names], standalone_mode=False)
    except SystemExit as exit:
        if exit.code not in (0, None):
            raise


def report(modules: list[str]) -> None:
    from mutmut.stats import status_by_exit_code

    modules = modules or MODULES
    results = {}
    for module in modules:
        meta = Path("mutants") / (module + ".meta")
        if meta.exists():
            results[module] = json.loads(meta.read_text())["exit_code_by_key"]
    total_killed = total_checked = total = 0
    survivors = []
    print(f"{'module':<28} {'killed':>7} {'checked':>8} {'total':>6} {'rate':>7}")
    for module, codes in results.items():
        statuses = {name: status_by_exit_code[code] for name, code in codes.items()}
        checked = {n: s for n, s in statuses.items() if s != "not checked"}
        killed = sum(1 for s in checked.values() if s in ("killed", "timeout"))
        total_killed += killed
        total_checked += len(checked)
        total += len(statuses)
        rate = f"{100 * killed / len(checked):.1f} %" if checked else "-"
        print(f"{module:<28} {killed:>7} {len(checked):>8} {len(statuses):>6} {rate:>7}")
        survivors += [f"{n}: {s}" for n, s in sorted(checked.items()) if s != "killed"]
    if total_checked:
        rate = 100 * total_killed / total_checked
        print(f"{'overall':<28} {total_killed:>7} {total_checked:>8} {total:>6} {rate:.1f} %")
    print("(rate: killed of those checked; a timeout counts as killed: the mutant made its tests")
    print("hang, and it is listed below; 'checked' < 'total' when a run was stopped early)")
    print(f"\n{len(survivors)} checked and not killed (show one: .venv/bin/mutmut show <name>):")
    for line in survivors:
        print("    " + line)


if __name__ == "__main__":
    command, *rest = sys.argv[1:] or ["report"]
    {"run": run, "report": report}[command](rest)
