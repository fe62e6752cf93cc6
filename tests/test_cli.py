"""The command line through Typer's CliRunner."""

import json

import pytest
from typer.testing import CliRunner

from aifprep import __version__
from aifprep.cli import app

runner = CliRunner()
COMMANDS = ["domains", "validate", "quiz", "stats", "mock-exam", "flashcards", "exam-date",
            "config", "config exam-date", "config retention"]


def run(*args, **kw):
    return runner.invoke(app, list(args), **kw)


def test_version():
    result = run("--version")
    assert result.exit_code == 0 and result.stdout.strip() == f"aifprep {__version__}"


@pytest.mark.parametrize("command", COMMANDS)
def test_every_command_has_help_with_an_example(command):
    result = run(*command.split(), "--help")
    assert result.exit_code == 0
    assert "Example:" in result.stdout


def test_domains_json_lists_five_domains_with_counts():
    result = run("domains", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    assert [r["slug"] for r in rows] == ["ai-ml", "genai", "foundation-models", "responsible-ai", "security"]
    assert [r["weight"] for r in rows] == [0.20, 0.24, 0.28, 0.14, 0.14]
    for r in rows:
        assert r["questions"] == sum(r["types"].values()) >= 20


def test_domains_table_is_plain_text_when_not_a_terminal():
    result = run("domains", env={"COLUMNS": "80"})
    assert result.exit_code == 0 and "foundation-models" in result.stdout
    assert "\x1b[" not in result.stdout


def test_extra_pack_adds_questions(pack_file):
    before = {r["slug"]: r["questions"] for r in json.loads(run("domains", "--json").stdout)}
    after = json.loads(run("--questions", str(pack_file), "domains", "--json").stdout)
    assert {r["slug"]: r["questions"] for r in after}["security"] == before["security"] + 2


def test_extra_pack_from_the_environment(pack_file, monkeypatch):
    monkeypatch.setenv("AIFPREP_QUESTIONS", str(pack_file.parent))
    rows = json.loads(run("domains", "--json").stdout)
    base = json.loads(runner.invoke(app, ["domains", "--json"], env={"AIFPREP_QUESTIONS": ""}).stdout)
    assert rows[4]["questions"] == base[4]["questions"] + 2


@pytest.mark.parametrize("value", ["9", "nope", "s-x"])
def test_unknown_domain_exits_2_and_lists_the_valid_ones(value):
    result = run("quiz", "--domain", value)
    assert result.exit_code == 2
    assert "valid domains: 1 ai-ml, 2 genai, 3 foundation-models, 4 responsible-ai, 5 security" in result.output
    assert "Traceback" not in result.output


def test_unknown_type_and_task_exit_2():
    assert run("quiz", "--type", "essay").exit_code == 2
    assert run("quiz", "--task", "7.7").exit_code == 2


def test_quiz_without_a_terminal_exits_2_with_one_line():
    result = run("quiz", "-n", "1")
    assert result.exit_code == 2
    assert "needs a terminal" in result.output and len(result.output.strip().splitlines()) == 1


def test_validate_bundled_bank_is_clean():
    result = run("validate")
    assert result.exit_code == 0 and result.stdout.startswith("OK:")


def test_validate_reports_every_problem_and_exits_1(tmp_path, pack_file):
    bad = tmp_path / "bad.yaml"
    bad.write_text("domain: security\nquestions:\n  - id: Bad_Id\n    task: '9.9'\n    type: single\n")
    result = run("validate", str(bad), str(pack_file))
    assert result.exit_code == 1
    lines = result.stdout.splitlines()
    assert any(line.startswith(f"{bad}:3: Bad_Id: 'id' must be") for line in lines)
    assert any(f"{bad}:4: Bad_Id: task 9.9 is not in domain security" in line for line in lines)
    assert "problem(s)" in lines[-1]


def test_validate_a_clean_pack_exits_0(pack_file):
    result = run("validate", str(pack_file))
    assert result.exit_code == 0, result.stdout
    assert "OK: 2 questions in 1 file(s)." in result.stdout


def test_validate_catches_a_pack_reusing_a_bundled_id(tmp_path):
    from aifprep import paths
    from aifprep.bank import bundled_files, check_files

    some = check_files(bundled_files(paths.bundled_questions_dir())).questions[0]
    pack = tmp_path / "dupe.yaml"
    from conftest import VALID_PACK
    pack.write_text(VALID_PACK.replace("pack-kms", some.id))
    result = run("validate", str(pack))
    assert result.exit_code == 1 and "already used by the bundled bank" in result.stdout


def test_broken_pack_gives_file_and_line_not_a_traceback(tmp_path):
    bad = tmp_path / "bad.yaml"
    bad.write_text("domain: security\nquestions:\n  - id: x\n    task: [\n")
    result = run("--questions", str(bad), "stats")
    assert result.exit_code == 1
    assert f"{bad}:" in result.output and "Traceback" not in result.output


def test_missing_pack_path_is_a_clear_error(tmp_path):
    result = run("--questions", str(tmp_path / "nowhere.yaml"), "domains")
    assert result.exit_code == 1 and "no such file or folder" in result.output


def test_stats_json_on_a_fresh_install():
    result = run("stats", "--json")
    assert result.exit_code == 0
    data = json.loads(result.stdout)
    assert data["answered"] == 0 and data["correct"] == 0 and data["sessions"] == []
    assert set(data["domains"]) == {"ai-ml", "genai", "foundation-models", "responsible-ai", "security"}
    assert all(set(d) >= {"answered", "correct", "seen", "total"} for d in data["domains"].values())


def test_stats_text_on_a_fresh_install():
    result = run("stats")
    assert result.exit_code == 0 and "aifprep quiz" in result.stdout


def test_damaged_progress_file_is_explained_and_kept(isolated_dirs):
    data = isolated_dirs / "data"
    data.mkdir()
    (data / "progress.json").write_text("{oops")
    result = run("stats", "--json")
    assert result.exit_code == 0
    assert "could not be used" in result.stderr and "progress.json.damaged-" in result.stderr
    assert json.loads(result.stdout)["answered"] == 0
    assert (next(data.glob("progress.json.damaged-*"))).read_text() == "{oops"


def test_no_color_env_gives_plain_output():
    result = run("stats", env={"NO_COLOR": "1", "TERM": "xterm-256color"})
    assert "\x1b[" not in result.stdout


def test_domains_tasks_shows_every_task_statement():
    result = run("domains", "--tasks", "--json")
    rows = json.loads(result.stdout)
    tasks = [t["task"] for r in rows for t in r["tasks"]]
    assert tasks == ["1.1", "1.2", "1.3", "2.1", "2.2", "2.3", "3.1", "3.2", "3.3", "3.4", "4.1", "4.2", "5.1", "5.2"]
    for r in rows:
        assert sum(t["questions"] for t in r["tasks"]) == r["questions"]
    text = run("domains", "--tasks", env={"COLUMNS": "100"}).stdout
    assert "Evaluating FM performance" in text


def test_validate_a_bundled_file_by_relative_path_is_clean(monkeypatch):
    from aifprep import paths

    folder = paths.bundled_questions_dir()
    monkeypatch.chdir(folder.parent)
    result = run("validate", f"{folder.name}/security.yaml")
    assert result.exit_code == 0, result.stdout


def test_help_lists_commands_in_the_order_a_candidate_uses_them_with_whole_summaries():
    out = run("--help", env={"COLUMNS": "80"}).stdout
    listed = [line.split()[0] for line in out.split("Commands:")[1].splitlines()
              if line.strip() and not line.startswith("    ")]
    assert listed == ["today", "study", "quiz", "mock-exam", "flashcards", "stats", "history",
                      "undo", "exam-date", "config", "export", "import", "reset", "restore",
                      "domains", "validate"]
    assert "..." not in out.split("Commands:")[1]


@pytest.mark.parametrize("command", [
    "domains --json", "stats --json",
    "validate",  # validates the bundled bank
])
def test_questions_is_accepted_after_the_command_too(command, pack_file):
    result = run(*command.split(), "--questions", str(pack_file))
    assert result.exit_code == 0, result.output
    if command.startswith("domains"):
        rows = json.loads(result.stdout)
        base = json.loads(run("domains", "--json").stdout)
        assert rows[4]["questions"] == base[4]["questions"] + 2


def test_quiz_missed_on_a_fresh_install_says_there_is_no_history(monkeypatch):
    import aifprep.cli.quiz_command as quiz_command

    monkeypatch.setattr(quiz_command, "require_terminal", lambda name: None)
    result = run("quiz", "--missed")
    assert result.exit_code == 1 and "no history yet" in result.output


def test_domains_objectives_json_counts_each_objective_by_type():
    result = run("domains", "--tasks", "--objectives", "--json")
    assert result.exit_code == 0
    rows = json.loads(result.stdout)
    objectives = {oid: o for r in rows for t in r["tasks"] for oid, o in t["objectives"].items()}
    assert len(objectives) == 69 and objectives["2.1.6"]["new"]
    for r in rows:
        for t in r["tasks"]:
            for o in t["objectives"].values():
                assert o["questions"] == sum(o["types"].values())
            assert sum(o["questions"] for o in t["objectives"].values()) <= t["questions"]


def test_domains_objectives_table_fits_80_columns():
    result = run("domains", "--objectives", env={"COLUMNS": "80"})
    assert result.exit_code == 0
    lines = result.stdout.splitlines()
    assert max(len(line.rstrip()) for line in lines) <= 80
    assert any(line.startswith("5.1.5*") for line in lines)


def test_validate_stats_prints_the_figures_only_when_asked(pack_file):
    plain = run("validate", str(pack_file)).stdout
    assert "Key length rank" not in plain and plain.strip().endswith("OK: 2 questions in 1 file(s).")
    stats = run("validate", "--stats", str(pack_file)).stdout
    assert "Key length rank over 1 single-answer questions" in stats
    assert "Objectives with questions: 0 of 69" in stats


def test_validate_prints_warnings_but_passes(tmp_path):
    pack = tmp_path / "short.yaml"
    pack.write_text(
        "domain: genai\n"
        "questions:\n"
        "  - id: short-match\n"
        "    task: \"2.3\"\n"
        "    type: matching\n"
        "    question: Match each need to a service.\n"
        "    pairs:\n"
        "      - {prompt: Speech to text, answer: Amazon Transcribe}\n"
        "      - {prompt: Text to speech, answer: Amazon Polly}\n"
        "      - {prompt: Translate text, answer: Amazon Frobnicate}\n"
        "    distractors: [Amazon Lex]\n"
        "    explanation: e\n"
        "    references: [https://docs.aws.amazon.com/x.html]\n")
    result = run("validate", str(pack))
    assert result.exit_code == 0, result.stdout
    assert "warning: missing 'pairs[0].why'" in result.stdout
    assert "warning: 'Amazon Frobnicate' is not in the service catalog" in result.stdout
    assert result.stdout.strip().splitlines()[-1].startswith("OK: 1 questions in 1 file(s).")


def test_validate_rejects_a_key_naming_a_closed_service(tmp_path):
    pack = tmp_path / "closed.yaml"
    pack.write_text(
        "domain: genai\n"
        "questions:\n"
        "  - id: closed-key\n"
        "    task: \"2.3\"\n"
        "    type: single\n"
        "    question: A new team needs enterprise search over its documents. Which service?\n"
        "    options:\n"
        "      - {text: Amazon Kendra, correct: true, why: x}\n"
        "      - {text: Amazon Polly, correct: false, why: x}\n"
        "      - {text: Amazon Lex, correct: false, why: x}\n"
        "      - {text: Amazon Translate, correct: false, why: x}\n"
        "    explanation: e\n"
        "    references: [https://docs.aws.amazon.com/x.html]\n")
    result = run("validate", str(pack))
    assert result.exit_code == 1
    assert "closed-key: the key names Amazon Kendra, which is closed to new customers" in result.stdout
