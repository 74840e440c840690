"""The screens a visitor sees, one module each, drawn with pygame.

A scene draws one :class:`~kiosk.core.flow.Page` at a given moment onto a surface.
Scenes never change state; the app decides what to show and when.
"""
