"""Errors that carry the file, row and field at fault and say how to fix it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SeedProblem:
    """One problem in the seeds: where it is, what is wrong, what to do."""

    file: str
    line: int | None
    field: str | None
    message: str
    hint: str

    def __str__(self) -> str:
        where = self.file
        if self.line is not None:
            where += f", line {self.line}"
        if self.field:
            where += f", field '{self.field}'"
        return f"{where}: {self.message}. {self.hint}"


class SeedError(Exception):
    """Bad input in the seeds folder (exit code 2). Holds every problem found."""

    def __init__(self, problems: list[SeedProblem]):
        self.problems = problems
        super().__init__("\n".join(str(p) for p in problems))

    @classmethod
    def at(cls, file: object, message: str, hint: str, field: str | None = None) -> SeedError:
        """The error of one problem with a whole file (no line), or with one of its fields."""
        return cls([SeedProblem(str(file), None, field, message, hint)])


class ValidationFailed(Exception):
    """The assembled graph does not conform to the SHACL shapes (exit code 1)."""

    def __init__(self, report_text: str):
        self.report_text = report_text
        super().__init__(report_text)


class ResourceMissing(FileNotFoundError):
    """A file or folder that ships with chainkg (ontology, shapes, queries, the example data
    set) is not where the package expects it: a broken or partial installation (exit code 2)."""

    def __init__(self, path: str, what: str):
        self.path = path
        super().__init__(
            f"{what} not found at {path}: the chainkg installation is incomplete. Reinstall it "
            "(`pip install --force-reinstall chainkg`, or `pip install -e .` in a checkout, "
            "whose ontology/, queries/ and seeds/ are linked into graph/chainkg/)"
        )
