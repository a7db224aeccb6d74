"""The README stays true: two set-up commands, and every setting documented."""

import dataclasses
import re
from pathlib import Path

from lms.config import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text()


def test_quick_start_has_exactly_two_commands():
    quick_start = README.split("## Quick start", 1)[1]
    first_block = re.search(r"```bash\n(.*?)```", quick_start, re.S).group(1)
    commands = [line for line in first_block.splitlines() if line.strip() and not line.lstrip().startswith("#")]
    assert len(commands) == 2
    assert all(Path(__file__).resolve().parent.parent.joinpath(c.split()[0]).exists() for c in commands)


def test_every_setting_is_documented():
    names = [f.name for f in dataclasses.fields(Settings) if f.name != "extra"]
    missing = [name for name in names if f"LMS_{name}" not in README]
    assert missing == []
