"""The CI integrations work as documented: the pre-commit hook's file filter and the example
GitHub Actions workflow, whose cnncalc steps run here in a throw-away git repository."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from tests_support import ROOT

WORKFLOW = ROOT / "examples" / "github-actions" / "cnncalc.yml"
NEEDS_NETWORK = ("pip install", "gh ")  # installing cnncalc, commenting on the pull request
OWN_ANNOTATION = re.compile(r"::(error|warning|notice) file=[^:,\n]+,(line=\d+,)?(col=\d+,)?title=[^:,\n]*::.+")


def test_the_pre_commit_hook_lints_only_spec_files():
    (hook,) = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text(encoding="utf-8"))
    pattern = re.compile(hook["files"])
    specs = ["specs/vgg16.yaml", "models/specs/net.json", "net.cnn.yaml", "a/b/net.cnn.yml", "x.cnn.json"]
    others = [".github/workflows/ci.yml", "package.json", "config.yaml", "specs.yaml", "docs/specs.md", "a.cnn.txt"]
    assert [path for path in specs if pattern.search(path)] == specs  # pre-commit matches with re.search
    assert [path for path in others if pattern.search(path)] == []
    readme = (ROOT / "docs" / "lint.md").read_text(encoding="utf-8")
    assert f"files: {hook['files']}" in readme  # the lint guide's local hook filters alike
    assert "rev: v0.1.0" not in readme  # no tag that does not exist


def _git(repo: Path, *args: str) -> str:
    identity = ["-c", "user.name=ci", "-c", "user.email=ci@example.org", "-c", "init.defaultBranch=main"]
    return subprocess.run(["git", *identity, *args], cwd=repo, check=True, capture_output=True, text=True).stdout


def _pull_request(tmp_path: Path) -> Path:
    """A repository whose branch doubles a spec's filters and adds a spec, with main as origin."""
    repo = tmp_path / "repo"
    (repo / "specs").mkdir(parents=True)
    _git(repo, "init", "-q")
    (repo / "specs" / "net.yaml").write_text("input: 8x8x3\nlayers:\n  - CONV(4, 3)\n  - RELU\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "base")
    _git(repo, "remote", "add", "origin", str(repo))
    _git(repo, "fetch", "-q", "origin")
    _git(repo, "checkout", "-q", "-b", "wider")
    (repo / "specs" / "net.yaml").write_text("input: 8x8x3\nlayers:\n  - CONV(8, 3)\n  - RELU\n", encoding="utf-8")
    (repo / "specs" / "new.yaml").write_text("input: 8x8x3\nlayers:\n  - CONV(2, 3)\n", encoding="utf-8")
    _git(repo, "add", ".")
    _git(repo, "commit", "-q", "-m", "wider")
    return repo


def _shim(tmp_path: Path) -> Path:
    """A `cnncalc` command on PATH that runs this checkout (the workflow installs it the same way)."""
    folder = tmp_path / "bin"
    folder.mkdir()
    command = folder / "cnncalc"
    command.write_text(f'#!/bin/sh\nexec "{sys.executable}" -m cnncalc "$@"\n', encoding="utf-8")
    command.chmod(0o755)
    return folder


EXPRESSIONS = {"${{ github.base_ref }}": "main", "${{ vars.CNNCALC || '.' }}": "."}


@pytest.mark.skipif(shutil.which("git") is None or shutil.which("bash") is None, reason="needs git and bash")
def test_the_example_workflow_runs(tmp_path):
    workflow = yaml.safe_load(WORKFLOW.read_text(encoding="utf-8"))
    assert "pull_request" in workflow[True]  # YAML 1.1 reads the key `on` as true
    job = workflow["jobs"]["specs"]
    install = next(step["run"] for step in job["steps"] if "pip install" in step.get("run", ""))
    assert "pip install cnncalc" not in install  # not on PyPI: installed from its repository
    repo = _pull_request(tmp_path)
    environment = {
        **os.environ,
        **{key: EXPRESSIONS.get(value, value) for key, value in job["env"].items()},
        "PATH": f"{_shim(tmp_path)}{os.pathsep}{os.environ['PATH']}",
        "PYTHONPATH": str(ROOT),
        "RUNNER_TEMP": str(tmp_path),
    }
    ran = {}
    for step in job["steps"]:
        script = step.get("run")
        if script is None or any(marker in script for marker in NEEDS_NETWORK):
            continue  # actions (checkout, setup-python, upload) and the steps that need the network
        values = {key: EXPRESSIONS.get(value, value) for key, value in step.get("env", {}).items()}
        assert "${{" not in script, step["name"]  # expressions only through env: no script injection
        ran[step["name"]] = subprocess.run(
            ["bash", "--noprofile", "--norc", "-eo", "pipefail", "-c", script],  # GitHub's bash
            cwd=repo,
            env={**environment, **values},
            capture_output=True,
            text=True,
            timeout=300,
        )
    lint, sarif, diff = ran.values()
    # 8×8 input, one 3×3 convolution: each unit sees 3×3 (R001, a warning): exit 0, one annotation each
    assert lint.returncode == 0, lint.stderr
    annotations = lint.stdout.splitlines()
    assert annotations and all(OWN_ANNOTATION.fullmatch(line) for line in annotations), annotations
    assert {re.search("file=([^,]+)", line).group(1) for line in annotations} == {"specs/net.yaml", "specs/new.yaml"}
    assert sarif.returncode == 0, sarif.stderr
    log = json.loads((repo / "cnncalc.sarif").read_text(encoding="utf-8"))
    uris = {r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] for r in log["runs"][0]["results"]}
    assert uris == {"specs/net.yaml", "specs/new.yaml"}
    # 3·4·9 + 4 = 112 parameters before, 3·8·9 + 8 = 224 after: +100% is past params+10%, exit 1;
    # the new spec has no base to compare with
    assert diff.returncode == 1, diff.stderr
    assert diff.stdout.startswith("::notice file=specs/net.yaml,line=3,title=cnncalc diff::2 layers changed")
    table = (repo / "diff.md").read_text(encoding="utf-8")
    assert "| parameters | 112 | 224 | +112 (+100.0%) |" in table and table.count("### cnncalc diff") == 1
    assert "- params+10%: parameters 112 → 224" in table


def test_the_workflow_is_documented():
    guide = (ROOT / "docs" / "github-actions.md").read_text(encoding="utf-8")
    assert "examples/github-actions/cnncalc.yml" in guide and "pip install cnncalc\n" not in guide
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    assert "pip install cnncalc\n" not in readme and "docs/github-actions.md" in readme
