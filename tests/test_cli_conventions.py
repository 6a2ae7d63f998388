"""One set of command-line conventions (README "The command line"): -o/--output for every file
written, -r/--round for every round, -m/--ministry for the ministry folder, input errors exit 1,
bad invocations 2."""
import pytest
import typer.main
from typer.testing import CliRunner

from xlkpi.cli import app
from xlkpi.sample import write_sample


def commands(group=None, prefix=()):
    group = group or typer.main.get_command(app)
    for name, command in group.commands.items():
        if hasattr(command, "commands"):  # a group (typer vendors its own click)
            yield from commands(command, prefix + (name,))
        else:
            yield " ".join(prefix + (name,)), command


ALL = dict(commands())


def options(command):
    return {p.name: set(p.opts) for p in command.params if p.param_type_name == "option"}


def test_every_command_is_seen():
    assert {"score", "demo", "audit", "fill", "sign", "progress", "change request", "review add",
            "report final", "workbook template", "addin build"} <= set(ALL)


@pytest.mark.parametrize("name", sorted(ALL))
def test_one_spelling_per_concept(name):
    command = ALL[name]
    for param, opts in options(command).items():
        if param in ("out", "output", "report"):
            assert {"-o", "--output"} <= opts, (name, opts)
        if param == "round_":
            assert {"-r", "--round"} <= opts, (name, opts)
        if param == "folder":
            assert opts == {"-m", "--ministry"}, (name, opts)
        assert not opts & {"--out", "--folder", "--dir"}, (name, opts)
    # the ministry folder is never a positional argument
    assert not [p for p in command.params if p.param_type_name == "argument" and p.name == "folder"], name


def test_ministry_folder_from_the_environment(tmp_path, monkeypatch):
    empty = tmp_path / "empty"
    empty.mkdir()
    monkeypatch.setenv("XLKPI_MINISTRY", str(empty))
    result = CliRunner().invoke(app, ["committees", "--json"])
    assert result.exit_code == 1 and str(empty) in result.output


def test_a_bad_signed_agreement_is_an_input_error(tmp_path):
    broken = tmp_path / "signed.yaml"
    broken.write_text("department: [unclosed\n", encoding="utf-8")
    workbook = tmp_path / "book.xlsx"
    workbook.write_bytes(b"")
    result = CliRunner().invoke(app, ["audit", str(workbook), "-a", str(broken)])
    assert result.exit_code == 1, result.output


@pytest.mark.parametrize("args", [["score", "AGREEMENT", "-r", "7"], ["audit", "AGREEMENT", "-r", "5"],
                                  ["review", "add", "fda", "3", "--reason", "x", "-r", "10"],
                                  ["score", "AGREEMENT", "--no-such-option"]])
def test_bad_invocations_exit_2(tmp_path, args):
    agreement = write_sample(tmp_path / "agreements")[0]
    args = [str(agreement) if a == "AGREEMENT" else a for a in args]
    assert CliRunner().invoke(app, args + ["-m", str(tmp_path)] if args[0] == "review" else args).exit_code == 2
