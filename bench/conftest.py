"""conftest -- collects bench_*.py files when pytest is pointed at bench/."""
import pytest


def pytest_collect_file(file_path, parent):
    # pytest's own pattern (test_*.py) skips these; a file named on the
    # command line is collected by pytest already, so leave it alone.
    if (file_path.suffix == ".py" and file_path.name.startswith("bench_")
            and not parent.session.isinitpath(file_path)):
        return pytest.Module.from_parent(parent, path=file_path)
    return None
