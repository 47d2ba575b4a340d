import pytest

from sandbox import registry


@pytest.fixture(autouse=True, scope="session")
def _one_torch_thread():
    """Demos run on one torch thread under the runner; the tests call them directly, so set it here too.

    On a busy 2-core machine more threads make these small ops several times slower.
    """
    import torch

    before = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(before)


@pytest.fixture(autouse=True)
def _english_messages():
    """Parameter messages follow the active language, which outside a request is the site's Korean.

    The demo tests read the English ones; the Korean ones have their own tests (test_runner,
    test_demo_panel).
    """
    from django.utils import translation

    with translation.override("en"):
        yield


@pytest.fixture(autouse=True)
def _store(db, settings):
    """Results are stored in the database (sandbox/store.py); here every run really runs (no memo)."""
    settings.SANDBOX_PROCESS_MEMO = False


@pytest.fixture
def stub_demo(monkeypatch):
    """Registers the test-only demo in tests/sandbox/stub_demo.py under the key "stub"."""
    monkeypatch.setitem(registry.DEMOS, "stub", "tests.sandbox.stub_demo")
    return "stub"


@pytest.fixture
def process_mode(settings):
    """Runs demos in killable worker processes, as production does (tests default to in-process)."""
    settings.SANDBOX_IN_PROCESS = False
    settings.SANDBOX_TIMEOUT_S = 20
    return settings


def spy_on(monkeypatch, module) -> list:
    """Counts calls of a demo module's real `run` (the list of parameters it was called with)."""
    calls = []
    real = module.run

    def spy(params, *, seed=0):
        calls.append(params)
        return real(params, seed=seed)

    monkeypatch.setattr(module, "run", spy)
    return calls
