"""The host unit tests of the decoder and emulator (tests/unit), one case each."""
import subprocess

import pytest
from conftest import BUILD

UNIT = BUILD / "host" / "unit-tests"


def unit_names():
    if not UNIT.exists():
        return ["missing-unit-binary"]
    return subprocess.run([str(UNIT), "--list"], stdout=subprocess.PIPE, check=True,
                          text=True).stdout.split()


@pytest.mark.parametrize("name", unit_names())
def test_unit(name):
    assert UNIT.exists(), "build/host/unit-tests missing: run make host-tools"
    p = subprocess.run([str(UNIT), name], stdout=subprocess.PIPE, stderr=subprocess.STDOUT,
                       text=True, timeout=60)
    assert p.returncode == 0, p.stdout
    assert f"ok   {name}" in p.stdout
