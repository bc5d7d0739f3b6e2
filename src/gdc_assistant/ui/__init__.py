"""Gradio user interface for GDC Assistant: build_app(settings) -> gr.Blocks."""

__all__ = ["build_app"]


def __getattr__(name: str):
    # Lazy, so importing one tab module (gdc_assistant.ui.browse) does not build the whole app.
    if name == "build_app":
        from .app import build_app

        return build_app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
