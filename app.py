"""Start the GDC Assistant web app: `python app.py` (or `make run`).

The first run builds the index (a progress bar on stderr); later runs open it in seconds.
Configuration comes from GDC_ASSISTANT_* variables (HOST, PORT, AUTH=user:password, INDEX, ...).
"""

import sys

from gdc_assistant.config import Settings
from gdc_assistant.errors import GdcAssistantError


def main() -> int:
    """Serve the app until interrupted; expected failures print their fix and exit non-zero."""
    try:
        from gdc_assistant.ui.app import serve

        serve(Settings.from_env())
    except GdcAssistantError as exc:
        print(f"Error: {exc}", file=sys.stderr)
        return exc.exit_code
    return 0


if __name__ == "__main__":
    sys.exit(main())
